import { z } from 'zod';
import { DEFAULT_SEED, explainIssues, ValidationError } from '../shared/index.ts';

/** The samplers OTEL_TRACES_SAMPLER may name. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

const httpUrl = z.string().url().refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Server settings from environment variables. Every one has a default, so the server starts with none set:
 * one process, local presence and driver, no Redis, no keys.
 */
export const ServerConfigSchema = z.object({
  /** TCP port for HTTP and WebSocket. */
  PORT: int(0, 65535).default(2567),
  /** `uws` (uWebSockets.js, the default) or `ws`. */
  TRANSPORT: z.enum(['uws', 'ws']).default('uws'),
  /** Redis URL; when set, rooms are shared across processes (Colyseus Redis presence and driver). */
  REDIS_URL: z.string().url().optional(),
  /** Address (host:port) clients reach this process at, when several processes share rooms through Redis. */
  PUBLIC_ADDRESS: z.string().min(1).optional(),
  /** Scenarios (comma-separated names) that any client may start a room with; others only through the admin API. */
  PUBLIC_SCENARIOS: z.string().default('').transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean)),
  /** Proxies in front of the server: the client's address (for matchmaking limits) is taken from X-Forwarded-For, that many hops from the right. */
  TRUST_PROXY: int(0, 10).default(0),
  /** Whether the matchmaking limits per client address also apply to this machine's own requests (load tests run from it). */
  MATCHMAKE_LOOPBACK: z.enum(['exempt', 'limited']).default('limited'),
  /** Bearer token for the monitor and the admin API; without it they are off. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Secret (32+ bytes) that signs and verifies player tokens (HS256). Without it auth is off: everyone is a guest on
   * the free tier. Never logged.
   */
  AUTH_SECRET: z.string().refine((s) => Buffer.byteLength(s, 'utf8') >= 32, 'must be at least 32 bytes (a short secret can be guessed offline from one token)').optional(),
  /** The `iss` claim player tokens carry and must carry. */
  AUTH_ISSUER: z.string().min(1).max(128).default('lairmind'),
  /** `1`: a join without a player token is refused (needs AUTH_SECRET); `0`: it joins as a guest on the free tier. */
  AUTH_REQUIRED: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Defaults of the `world` room (a creating client may override them). */
  SEED: z.string().min(1).default(DEFAULT_SEED),
  WORLD_SIZE: int(32, 8192).default(512),
  /** Side of a zone in tiles, for worlds played as zones (room `zone`): each zone is a room any process may host. */
  ZONE_SIZE: int(16, 4096).default(128),
  /** Seconds a zone stays up with nobody in or near it before it sleeps (snapshot, then disposed; woken on approach). */
  ZONE_SLEEP_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** Multiplies the generated monster density. */
  MONSTER_DENSITY: z.coerce.number().min(0).max(100).default(1),
  TICK_RATE: int(1, 120).default(20),
  PATCH_RATE: int(1, 60).default(20),
  MAX_CLIENTS: int(1, 2000).default(200),
  VIEW_RADIUS: z.coerce.number().min(4).max(4096).default(24),
  /** `cell`: clients whose avatars are in the same cell (side VIEW_RADIUS) share one view, encoded once per patch; `client`: a view per client. */
  VIEW_SHARING: z.enum(['cell', 'client']).default('cell'),
  /** `spread`: joins spread over the world (the least crowded of sites far apart); `gather`: joins land near the players already there. */
  PLAYER_SPAWNS: z.enum(['spread', 'gather']).default('spread'),
  RECONNECT_SECONDS: z.coerce.number().min(0).max(600).default(20),
  /** Testing only: busy milliseconds added to every simulation step (a deliberately slowed room; 0 = off). */
  DEBUG_SLOW_TICK_MS: z.coerce.number().min(0).max(1000).default(0),
  /** Folder of scenario files (`<name>.yaml|.yml|.json`) that the room option `scenario` and the admin API name (default: scenarios/). */
  SCENARIOS_DIR: z.string().min(1).optional(),
  /** Largest WebSocket message a client may send, in KiB (both transports). */
  CLIENT_MESSAGE_KB: int(1, 1024).default(4),
  /** Bytes queued for a client that stops reading before it is dropped, in KiB. */
  SEND_BUFFER_KB: int(16, 65536).default(512),
  /** Largest HTTP request body, in KiB: admin API (after its token is checked) and everything else. */
  ADMIN_BODY_KB: int(1, 65536).default(4096),
  HTTP_BODY_KB: int(1, 65536).default(64),
  /** Schema encoder buffer in KiB (raise for very large rooms). */
  ENCODER_BUFFER_KB: int(16, 65536).default(1024),
  /**
   * OTLP/HTTP collector base URL (`http://collector:4318`); traces go to `<url>/v1/traces`. When neither this nor
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, no tracing SDK is started and spans cost nothing.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Full URL for traces, used as it is (wins over OTEL_EXPORTER_OTLP_ENDPOINT). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  /** `service.name` of the exported spans. */
  OTEL_SERVICE_NAME: z.string().min(1).max(128).default('lairmind'),
  /** Which traces are kept (the standard sampler names). */
  OTEL_TRACES_SAMPLER: z.enum(TRACE_SAMPLERS).default('parentbased_traceidratio'),
  /** Fraction of traces kept by the `traceidratio` samplers, 0..1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** `true` turns tracing off whatever else is set. */
  OTEL_SDK_DISABLED: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['true', 'false'])).default('false').transform((v) => v === 'true'),
  /** Where the embedded snapshot store (SQLite) keeps its database, when REDIS_URL is not set. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** `off`: rooms keep no snapshots and no flight recorder (they live and die with the process). */
  SNAPSHOTS: z.enum(['on', 'off']).default('on'),
  /** Seconds between a room's snapshots (also taken at graceful shutdown and when the recorder's window fills). */
  SNAPSHOT_SECONDS: z.coerce.number().min(0.5).max(3600).default(10),
  /** Snapshots kept per room (older ones are deleted as new ones are written). */
  SNAPSHOT_KEEP: int(1, 100).default(3),
  /** A room's lease, ms: another process takes a room over this long after its owner stopped renewing it. */
  SNAPSHOT_LEASE_MS: int(1000, 120_000).default(6000),
  /** Which room ticks get a span: `asks` (those that send the coordinator's asks, and overruns) or `all`. */
  TRACE_TICKS: z.enum(['asks', 'all']).default('asks'),
});

export type ServerConfig = z.output<typeof ServerConfigSchema>;

/** Read the config from `env`; the error names each bad variable (its value is never echoed). */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ServerConfigSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const r = ServerConfigSchema.safeParse(picked);
  // What each variable should be, never its value (a variable may hold a secret); near misses of allowed values only.
  if (!r.success) throw new ValidationError('environment', explainIssues(ServerConfigSchema, r.error.issues, picked, { showValueAt: () => false }));
  if (r.data.AUTH_REQUIRED && !r.data.AUTH_SECRET) {
    throw new ValidationError('environment', [{ path: ['AUTH_REQUIRED'], message: 'needs AUTH_SECRET: without a secret no player token can be checked, so no one could join' }]);
  }
  return r.data;
}

/** A URL with any password or user name replaced, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
