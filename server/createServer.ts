import { randomUUID } from 'node:crypto';
import { defineRoom, defineServer, matchMaker } from '@colyseus/core';
import type { Server } from '@colyseus/core';
import { monitor } from '@colyseus/monitor';
import { Encoder } from '@colyseus/schema';
import type { BattleContext, Mind } from '../actors/index.ts';
import { localTactician, PlanSchema } from '../actors/index.ts';
import { gatewaySetup, LlmGateway, loadLairmindConfig, redactedUrl, registerLlmMetrics } from '../llm/index.ts';
import type { LoadedConfig } from '../llm/index.ts';
import { CloudDialogue, CloudTactics, MindService, mindsConfigFromEnv } from '../minds/index.ts';
import { worldRoom, ZoneDirectory } from '../rooms/index.ts';
import type { RoomObserver, WorldRoomServices } from '../rooms/index.ts';
import { hasAdminToken } from './adminAuth.ts';
import { createAlertReceiver } from './alertReceiver.ts';
import { createAdminRouter } from './admin/adminRouter.ts';
import { RoomCalls } from './admin/roomCalls.ts';
import { createRoomMethods } from './admin/roomMethods.ts';
import { identitiesFromConfig } from './identity/index.ts';
import { ScenarioLibrary } from './scenarioFiles.ts';
import type { ServerConfig } from './config.ts';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { ServerMetrics } from './metrics.ts';
import { serveClient } from './staticClient.ts';
import { withDeadline } from './deadline.ts';
import { createPresence } from './presence.ts';
import type { PresenceSetup } from './presence.ts';
import { assertPortFree, createTransport } from './transport.ts';
import { createHttpGuard, DEFAULT_HTTP_LIMITS } from './httpGuard.ts';
import { MatchmakeGuard } from './matchmakeGuard.ts';
import { trackPeerAddresses } from './peerAddress.ts';
import { watchSendBuffers } from './sendBufferWatch.ts';
import { colyseusLogger } from './colyseusLog.ts';
import { startTracing } from './tracing.ts';
import type { TracingSetup } from './tracing.ts';
import type { TransportInfo } from './transport.ts';
import { RoomKeeper } from './roomKeeper.ts';
import { createZoneRouter } from './admin/zoneRoutes.ts';
import { openSnapshotStore } from './snapshots/index.ts';

/** Whole /health answer, and each dependency check within it, ms. */
const HEALTH_MS = 900;
const HEALTH_CHECK_MS = 400;
/** What all of shutdown's Redis commands together may take, ms (then they are skipped). */
const SHUTDOWN_REDIS_MS = 1000;

/** A running server. */
export interface RunningServer {
  readonly port: number;
  /** The local minds (layers 2 and 3). */
  readonly minds: MindService;
  /** The LLM gateway (layer 4). */
  readonly llm: LlmGateway;
  readonly server: Server;
  readonly metrics: ServerMetrics;
  readonly transport: TransportInfo;
  readonly presence: PresenceSetup;
  readonly logger: Logger;
  /** Where spans go (OTLP, the host process's tracer provider, or nowhere). */
  readonly tracing: TracingSetup;
  /** Snapshots, restores and failover (null with SNAPSHOTS=off). */
  readonly keeper: RoomKeeper | null;
  /** Component statuses, as served at /health. */
  health(): Promise<HealthReport>;
  /** Disconnect clients, dispose rooms, close the transport and presence. */
  close(): Promise<void>;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly components: Record<string, { status: 'ok' | 'degraded' | 'down' | 'off'; [detail: string]: unknown }>;
}

/** What the caller may add to the defaults. */
export interface StartOptions {
  readonly logger?: Logger;
  /** Minds by port; the built-in ones are used when omitted. */
  readonly minds?: Readonly<Record<string, Mind | undefined>>;
  /** Another observer of the rooms besides the metrics (benchmarks, tests). */
  readonly observer?: RoomObserver;
  /** The LLM gateway's configuration (default: the file LAIRMIND_CONFIG names, ./lairmind.config.yaml, or the embedded default). */
  readonly llmConfig?: LoadedConfig;
}

/**
 * The composition root: transport, presence and driver, the `world` room with its services, `/health`,
 * `/metrics`, and the monitor behind the admin token. Starts listening before it resolves.
 */
export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  // The gateway's configuration file and the environment's keys: a bad file refuses to start, naming the field.
  const llmSetup = gatewaySetup(opts.llmConfig ?? loadLairmindConfig(process.env), process.env);
  // Before any room or mind exists: they decide once whether to make spans.
  const tracing = await startTracing(config, logger);
  Encoder.BUFFER_SIZE = config.ENCODER_BUFFER_KB * 1024;
  const guard = createHttpGuard(config.ADMIN_TOKEN, { ...DEFAULT_HTTP_LIMITS, adminBodyBytes: config.ADMIN_BODY_KB * 1024, bodyBytes: config.HTTP_BODY_KB * 1024 });
  const transport = await createTransport(config.TRANSPORT, logger, guard, { maxMessageBytes: config.CLIENT_MESSAGE_KB * 1024, sendBufferBytes: config.SEND_BUFFER_KB * 1024 });
  trackPeerAddresses(transport.transport);
  const matchmaking = new MatchmakeGuard({ trustProxy: config.TRUST_PROXY, limitLoopback: config.MATCHMAKE_LOOPBACK === 'limited' });
  const presence = await createPresence(config.REDIS_URL, logger);
  const metrics = new ServerMetrics(logger);
  const stopSendBufferWatch = watchSendBuffers(transport, config.SEND_BUFFER_KB * 1024, (bytes) => {
    metrics.slowClientDropped();
    logger.warn({ bufferedBytes: bytes, boundBytes: config.SEND_BUFFER_KB * 1024 }, 'transport: dropped a client that stopped reading (send buffer over its bound)');
  });
  const mindService = await MindService.create({ config: mindsConfigFromEnv(), logger: (line) => logger.warn({ component: 'minds' }, line) });
  const status = mindService.status();
  logger.info({ minds: { personality: status.personality, policy: status.policy, intent: status.intent, reply: status.reply } }, 'minds: local models loaded');
  const localMinds = { personality: mindService.personality, think: mindService.think, chat: mindService.chat };
  // The gateway shares Redis through the presence's fail-fast connection: its stores fall back to memory while Redis is down.
  const alerts = createAlertReceiver({ logger, webhookUrl: llmSetup.alertWebhookUrl });
  const llm = new LlmGateway({ ...llmSetup.options, ...(presence.redis && { redis: presence.redis, redisTimeouts: { timeoutMs: 300 } }), logger, onAlert: alerts.onAlert });
  const unregisterLlmMetrics = registerLlmMetrics(llm, metrics.registry);
  // Layer 4: the local tactician answers `tactics` when no cloud model may or can; cloud tactics serves the `plan` port.
  llm.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
  // Layer 3: NPCs speak through the gateway's streaming path for players whose tier allows it, else locally at once.
  const dialogue = new CloudDialogue({ gateway: llm, local: mindService.chat, onFirstChunk: (ms) => metrics.dialogueFirstChunk.observe(ms / 1000) });
  metrics.watchDialogue(dialogue.stats);
  const minds = opts.minds ?? { ...localMinds, chat: dialogue, plan: new CloudTactics({ gateway: llm, schema: PlanSchema }) };
  logger.info({
    config: llmSetup.source,
    providers: Object.fromEntries(llmSetup.providers.map((p) => [p.name, p.status === 'no key' ? `no key (${p.keyEnv.join(' or ')})` : p.status])),
    alerts: llmSetup.alertWebhookUrl ? `log and ${redactedUrl(llmSetup.alertWebhookUrl)}` : 'log',
  }, 'llm: gateway ready (the local tactician answers when no provider key is set)');
  // Players' tiers are the gateway's: a token naming another is refused; guests get its default tier.
  const identity = identitiesFromConfig(config, { tiers: Object.keys(llm.tiers.tiers), guestTier: llm.tiers.defaultTier }, logger);

  // Every check answers within its deadline whatever is down: /health must answer within a second.
  const llmHealth = async (): Promise<HealthReport['components'][string]> => {
    try {
      const h = await withDeadline('llm health', llm.health(), HEALTH_CHECK_MS);
      const open = Object.entries(h.breakers).filter(([, b]) => b.status !== 'closed').map(([k]) => k);
      // With every cloud model unreachable the game still plays (the local tactician answers): degraded, not down.
      const status = h.cloud === 'unreachable' ? 'degraded' : 'ok';
      return { status, cloud: h.cloud, providers: h.providers, shared: h.shared, ...(h.sharedReachable !== undefined && { sharedReachable: h.sharedReachable }), openBreakers: open, unavailable: h.unavailable };
    } catch (err) {
      return { status: 'down', error: err instanceof Error ? err.message : String(err) };
    }
  };

  const health = async (): Promise<HealthReport> => {
    const redis = presence.status(); // connection state and heartbeat: no round trip
    const matchmaking = redis.status === 'ok' ? { status: 'ok' as const, kind: presence.kind } : { ...redis, kind: presence.kind };
    const components: HealthReport['components'] = {
      transport: { status: 'ok', kind: transport.kind, native: transport.native },
      presence: matchmaking,
      driver: matchmaking,
      minds: { status: 'ok', ports: Object.keys(minds).filter((k) => minds[k]), runtime: mindService.status() },
      llm: await llmHealth(),
      snapshots: keeper ? keeper.health() : { status: 'off' },
    };
    return { status: Object.values(components).some((c) => c.status === 'down' || c.status === 'degraded') ? 'degraded' : 'ok', components };
  };

  // Durable rooms: snapshots in SQLite under DATA_DIR, or in Redis when it is shared (then rooms fail over).
  const keeper = config.SNAPSHOTS === 'on'
    ? new RoomKeeper({
        store: await openSnapshotStore({ dataDir: config.DATA_DIR, ...(config.REDIS_URL && { redisUrl: config.REDIS_URL }), keep: config.SNAPSHOT_KEEP, timeoutMs: 2000 }),
        intervalSeconds: config.SNAPSHOT_SECONDS,
        leaseMs: config.SNAPSHOT_LEASE_MS,
        logger,
        registry: metrics.registry,
      })
    : null;
  if (keeper) logger.info({ store: keeper.store.kind, ...(keeper.store.kind === 'sqlite' && { dataDir: config.DATA_DIR }), everySeconds: config.SNAPSHOT_SECONDS }, 'snapshots: rooms are durable');

  const scenarios = new ScenarioLibrary(config.SCENARIOS_DIR);
  // The admin API's room routes, run on whichever process hosts the room; this process answers for its own rooms.
  const roomCalls = new RoomCalls(createRoomMethods({ llm, keeper }));
  // Proof, known only to this process, that a room was created by the admin API.
  const adminKey = randomUUID();
  const roomServices: WorldRoomServices = { minds, identity, llmTiers: Object.keys(llm.tiers.tiers), viewSharing: config.VIEW_SHARING, playerSpawns: config.PLAYER_SPAWNS, ...(tracing.tracer && { tracer: tracing.tracer, traceTicks: config.TRACE_TICKS }), observer: opts.observer ? fanOut(metrics, opts.observer) : metrics, ...(keeper && { durability: keeper }), scenarios: (name, options) => {
    // Clients may start only the scenarios the operator made public; the admin API may start any.
    if (options.adminKey !== adminKey && !config.PUBLIC_SCENARIOS.includes(name)) {
      throw new Error(`room option scenario: '${name}' may only be started through the admin API (public scenarios: ${config.PUBLIC_SCENARIOS.join(', ') || 'none'})`);
    }
    return scenarios.load(name);
  } };
  const roomDefaults = {
    seed: config.SEED,
    worldSize: config.WORLD_SIZE,
    monsterDensity: config.MONSTER_DENSITY,
    tickRate: config.TICK_RATE,
    patchRate: config.PATCH_RATE,
    maxClients: config.MAX_CLIENTS,
    viewRadius: config.VIEW_RADIUS,
    reconnectSeconds: config.RECONNECT_SECONDS,
    debugSlowTickMs: config.DEBUG_SLOW_TICK_MS,
  };
  const zones = keeper ? new ZoneDirectory({ presence: () => presence.presence }) : null;
  const server = defineServer({
    transport: transport.transport,
    presence: presence.presence,
    driver: presence.driver,
    greet: false,
    logger: colyseusLogger(logger),
    gracefullyShutdown: false,
    routes: matchmaking.routes(),
    ...(config.PUBLIC_ADDRESS && { publicAddress: config.PUBLIC_ADDRESS }),
    rooms: {
      world: defineRoom(worldRoom(roomServices), roomDefaults),
      // The zones of one world split over processes: created, woken and found through the zone directory.
      zone: defineRoom(worldRoom({ ...roomServices, ...(zones && { zones }) }), { ...roomDefaults, zoneSize: config.ZONE_SIZE, zoneSleepSeconds: config.ZONE_SLEEP_SECONDS }),
    },
    express: (app) => {
      app.get('/health', async (_req, res) => {
        try {
          const report = await withDeadline('health', health(), HEALTH_MS);
          // 503 only when a component the game needs is down; a degraded one (the cloud unreachable while the local
          // tactician answers) still serves players, so load balancers keep the process.
          res.status(Object.values(report.components).some((c) => c.status === 'down') ? 503 : 200).json(report);
        } catch (err) {
          res.status(503).json({ status: 'degraded', error: err instanceof Error ? err.message : String(err) });
        }
      });
      app.get('/metrics', async (_req, res) => {
        metrics.clients.set(matchMaker.stats.local.ccu);
        res.type(metrics.registry.contentType).send(await metrics.text());
      });
      if (config.ADMIN_TOKEN) {
        const token = config.ADMIN_TOKEN;
        app.use('/colyseus', (req, res, next) => {
          if (hasAdminToken(req.headers.authorization, token)) return next();
          res.status(401).set('WWW-Authenticate', 'Basic realm="lairmind admin"').json({ error: 'missing or wrong admin token' });
        });
        app.use('/colyseus', monitor());
        logger.info('monitor: mounted at /colyseus (admin token required)');
      } else {
        logger.info('monitor: off; set ADMIN_TOKEN (16+ characters) to mount it at /colyseus');
      }
      if (config.ADMIN_TOKEN) {
        app.use('/admin/zones', createZoneRouter(config.ADMIN_TOKEN));
        app.use('/admin', createAdminRouter({ token: config.ADMIN_TOKEN, scenarios, llm, trustedOptions: { adminKey }, playerTokens: identity.tokens, registry: llmSetup.options.registry, keeper, calls: roomCalls }));
        logger.info({ scenarios: scenarios.dir }, 'admin API: mounted at /admin (Authorization: Bearer <ADMIN_TOKEN>)');
      } else {
        logger.info('admin API: off; set ADMIN_TOKEN (16+ characters) to turn it on at /admin');
      }
      serveClient(app as unknown as Parameters<typeof serveClient>[0], logger);
    },
  });

  matchmaking.install();
  if (transport.kind === 'uws') await assertPortFree(config.PORT);
  await server.listen(config.PORT);
  await roomCalls.listen();
  logger.info({ port: config.PORT, transport: transport.kind, presence: presence.kind }, `lairmind: listening on port ${config.PORT}`);
  // Rooms that were live come back (after a restart; or from a process that died, once its leases run out).
  keeper?.start();

  return {
    port: config.PORT,
    minds: mindService,
    llm,
    server,
    metrics,
    transport,
    presence,
    logger,
    tracing,
    keeper,
    health,
    async close() {
      stopSendBufferWatch();
      // Rooms disposed from here on come back at the next start: each takes a last snapshot before its clients go.
      keeper?.beginShutdown();
      matchmaking.close();
      // Colyseus' shutdown locks the rooms, closes every client with its shutdown code (4001), disposes the
      // rooms and removes their listings: Redis gets a fixed budget, reachable or not.
      presence.beginShutdown(SHUTDOWN_REDIS_MS);
      await server.gracefullyShutdown(false);
      await keeper?.close();
      // The rooms' last spans are ended: flush them while the rest closes (its own deadline; never throws).
      const tracesFlushed = tracing.shutdown();
      unregisterLlmMetrics();
      await llm.close();
      await alerts.close();
      await mindService.close();
      await presence.close();
      await tracesFlushed;
    },
  };
}

/** One observer that forwards every call to several. */
function fanOut(...observers: RoomObserver[]): RoomObserver {
  return {
    step: (...a) => observers.forEach((o) => o.step?.(...a)),
    patch: (...a) => observers.forEach((o) => o.patch?.(...a)),
    bytesSent: (...a) => observers.forEach((o) => o.bytesSent?.(...a)),
    messageRefused: (...a) => observers.forEach((o) => o.messageRefused?.(...a)),
    disposed: (...a) => observers.forEach((o) => o.disposed?.(...a)),
    log: (...a) => observers.forEach((o) => o.log?.(...a)),
  };
}
