import { z } from 'zod';
import { ValidationError } from '../../shared/index.ts';
import { parseMix } from '../bots/index.ts';
import type { BotMix } from '../bots/index.ts';

/** Most bots one load test may start. */
export const MAX_BOTS = 5000;
/** Longest ramp and steady phase, in seconds. */
export const MAX_RAMP_S = 600;
export const MAX_DURATION_S = 3600;
/** Most worker processes. */
export const MAX_WORKERS = 32;

/** A duration such as `30s`, `2m`, `500ms` or a bare number of seconds, in seconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration (e.g. 30s, 2m, 500ms)`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

const duration = (max: number) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    try {
      return typeof v === 'number' ? v : parseDuration(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }).pipe(z.number().min(0).max(max, `at most ${max} s`));

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Options of a load test (from the command line or a caller); sizes and times are bounded. */
export const LoadtestOptionsSchema = z.object({
  /** WebSocket address of the server, e.g. `ws://127.0.0.1:2567`. */
  url: z.string().url(),
  /** Room name bots join (or create). */
  room: z.string().min(1).max(64).default('world'),
  bots: count(1, MAX_BOTS),
  /** Seconds over which bots join, evenly spaced. */
  ramp: duration(MAX_RAMP_S).default(0),
  /** Seconds of steady load after the ramp. */
  duration: duration(MAX_DURATION_S).default(30),
  /** Behaviour weights, e.g. `fighter:50,wanderer:40,talker:10`. */
  mix: z.union([z.string(), z.record(z.string(), z.number())]).default('wanderer:100').transform((v, ctx): BotMix => {
    try {
      return parseMix(typeof v === 'string' ? v : Object.entries(v).map(([k, w]) => `${k}:${w}`).join(','));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  /** Worker processes the bots are spread over. */
  workers: count(1, MAX_WORKERS).default(2),
  /** Seed of every bot's random stream. */
  seed: z.string().min(1).max(128).default('loadtest'),
  /** Milliseconds between each bot's pings. */
  pingEvery: count(100, 60_000).default(1000),
  /** Seconds between samples of the time series (and scrapes of /metrics). */
  sampleEvery: z.coerce.number().min(0.2).max(60).default(1),
  /** Allow a server that is not on this machine. */
  allowRemote: z.boolean().default(false),
  /** The server's tick rate in Hz (its TICK_RATE): the report's tick chart draws the tick interval as the budget. */
  tickRate: count(1, 120).default(20),
  /** Fail the run when the server's tick p99 (ms) is above this. */
  tickP99Budget: z.coerce.number().positive().max(10_000).optional(),
  /** Fail the run when bots report more errors than this (or more bots fail to join). */
  maxErrors: z.coerce.number().int().min(0).optional(),
  /** Where to write the reports (`<out>.json`, `<out>.html`); none when omitted. */
  out: z.string().min(1).optional(),
  /** Print the progress line. */
  progress: z.boolean().default(true),
}).strict();

export type LoadtestOptionsInput = z.input<typeof LoadtestOptionsSchema>;
export type LoadtestOptions = z.output<typeof LoadtestOptionsSchema>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Validate options: errors name the field; a non-loopback server needs `allowRemote`. */
export function parseLoadtestOptions(input: unknown): LoadtestOptions {
  const r = LoadtestOptionsSchema.safeParse(input);
  if (!r.success) throw new ValidationError('loadtest options', r.error.issues);
  const o = r.data;
  const u = new URL(o.url);
  const issues: { path: string[]; message: string }[] = [];
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') issues.push({ path: ['url'], message: `must be a ws:// or wss:// address, got ${u.protocol}//` });
  if (!LOOPBACK.has(u.hostname) && !o.allowRemote) issues.push({ path: ['url'], message: `${u.hostname} is not this machine; load-testing another host needs --allow-remote` });
  if (issues.length) throw new ValidationError('loadtest options', issues);
  return o;
}

/** The server's HTTP base address for a WebSocket address (`ws://h:p` → `http://h:p`). */
export function httpBase(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '';
  return u.toString().replace(/\/$/, '');
}
