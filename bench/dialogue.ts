// Benchmark of NPC replies streamed from a cloud model: how soon a reply's first chunk reaches the player after the
// provider wrote it, and what a hundred players talking at once cost the tick. Every part runs in its own process:
// the fake OpenAI (bench/fakeOpenAiProcess.ts, streaming), the server, and the load generator of the tick part.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import WebSocket from 'ws';
import { Rng } from '../shared/index.ts';
import { startServerProcess } from '../tools/loadtest/serverProcess.ts';
import { freePort } from '../tools/freePort.ts';
import { child, expectLine } from './net.ts';
import type { Window } from './net.ts';
import { quantile, round } from './stats.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const SECRET = 'bench-dialogue-secret-0123456789-abcdef';
const ADMIN = 'bench-dialogue-admin-token';
const KEY = 'sk-bench-0000000000';
/** The fake's first-token latency and the time between its chunks, ms. */
const FIRST_MS = 200;
const GAP_MS = 40;
/** Most time a talk may take to be answered before the run is called broken, ms. */
const REPLY_TIMEOUT_MS = 10_000;

/** High-resolution epoch time, ms: the clock the fake prints its `sent` times on. */
const epoch = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The gateway's configuration: OpenAI as the only provider with one streaming model, and tiers whose limits no run
 * reaches (premium's shipped limit is 30 dialogue calls an hour per player: a run would measure the local fallback).
 */
function configFile(dir: string): string {
  const file = join(dir, 'lairmind.config.yaml');
  writeFileSync(file, [
    'providers: { openai: {} }',
    'models:',
    '  entries:',
    '    - { provider: openai, model: gpt-4o-mini, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2025-07-04 }, latencyMs: 900, quality: 0.62 }',
    'cache: { enabled: false }',
    'tiers:',
    '  free: { layers: { "*": { hourly: 0, daily: 0 } } }',
    '  premium: { layers: { "*": { hourly: 1000000, daily: 10000000 } } }',
  ].join('\n') + '\n');
  return file;
}

/** The fake OpenAI in its own process, streaming; `sent` holds the epoch time of each reply's first content chunk. */
interface FakeProcess {
  readonly baseURL: string;
  readonly sent: number[];
  /** How far apart the two processes' clocks can be at most, ms, from stdin/stdout round trips (0: no sign they differ). */
  clockDisagreement(): Promise<number>;
  close(): Promise<void>;
}

async function startFake(): Promise<FakeProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fakeOpenAiProcess.ts'), 'stream', String(FIRST_MS), String(GAP_MS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const sent: number[] = [];
  let clockWaiter: ((t: number) => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the fake provider did not start in 30 s')), 30_000);
    proc.once('exit', (code) => reject(new Error(`the fake provider exited with ${code} before it listened`)));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'sent') sent.push(Number(value));
      else if (word === 'clock') clockWaiter?.(Number(value));
      else if (/^\d+$/.test(line)) {
        clearTimeout(t);
        resolve(Number(line));
      }
    });
  });
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    sent,
    async clockDisagreement() {
      let worst = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = epoch();
        const theirs = await new Promise<number>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('the fake provider did not answer `clock` in 5 s')), 5000);
          clockWaiter = (v) => {
            clearTimeout(t);
            resolve(v);
          };
          proc.stdin.write('clock\n');
        });
        const t2 = epoch();
        // Its reading must lie between our send and our receipt; by how much it does not is what the clocks disagree.
        worst = Math.max(worst, t0 - theirs, theirs - t2);
      }
      return Math.max(0, worst);
    },
    close: () => new Promise<void>((r) => {
      if (proc.exitCode !== null) return r();
      proc.once('exit', () => r());
      proc.kill('SIGTERM');
    }),
  };
}

async function admin(port: number, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Poll `check` every 20 ms until it returns a value, or throw naming `what`. */
async function waitFor<T>(what: string, check: () => T | undefined, ms: number): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface SeenState {
  players?: { get(key: string): { actor: number } | undefined };
  entities?: { forEach(cb: (e: { id: number; name: string; x: number; y: number }) => void): void };
  speech?: { forEach(cb: (l: { seq: number; actor: number }) => void): void };
}

/** The entity the client sees that matches `pick`. */
function seen(room: Room, pick: (e: { id: number; name: string }) => boolean): { id: number; x: number; y: number } | undefined {
  let found: { id: number; x: number; y: number } | undefined;
  (room.state as SeenState).entities?.forEach((e) => {
    if (!found && pick(e)) found = { id: e.id, x: e.x, y: e.y };
  });
  return found;
}

/** The newest speech line by `actor` in the client's state (its seq; 0 when none). */
function lastLine(room: Room, actor: number): number {
  let seq = 0;
  (room.state as SeenState).speech?.forEach((l) => {
    if (l.actor === actor && l.seq > seq) seq = l.seq;
  });
  return seq;
}

/** An NPC for the spawn API, standing still at `at` (relative to the request's origin), who knows where the old mine is. */
function npc(name: string, at: { x: number; y: number }): unknown {
  return { npc: { name, role: 'blacksmith', knows: ['the old mine east of the village is full of spiders'], mood: 'gruff', at, wander: 0 } };
}

interface FirstChunk {
  /** Client arrival of each reply's first `speech` message minus the fake's write of its first content chunk, ms. */
  readonly fromProvider: number[];
  /** The same arrival minus the client's send of the talk line, ms. */
  readonly fromSend: number[];
  readonly replaced: number;
  /** Talks answered without streaming (the local reply straight away). */
  readonly notStreamed: number;
  readonly clockMs: number;
}

/**
 * One premium player next to an NPC in a server of its own process; `n` talks one after another, each sent at a
 * random phase of the tick, each waiting for the reply to be said in the state before the next.
 */
async function firstChunk(fake: FakeProcess, config: string, n: number, warm: number): Promise<FirstChunk> {
  const server = await startServerProcess({
    LAIRMIND_CONFIG: config, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, AUTH_SECRET: SECRET, ADMIN_TOKEN: ADMIN,
    MONSTER_DENSITY: '0', MATCHMAKE_LOOPBACK: 'exempt', SEED: 'bench-dialogue',
  }, { captureLogs: true });
  let room: Room | undefined;
  try {
    const { token } = await admin(server.port, 'POST', '/admin/players/tokens', { player: 'bench-ada', tier: 'premium', ttlSeconds: 3600 });
    const client = new Client(server.url);
    client.auth.token = token as string;
    const r = await client.create('world', { name: 'Ada' });
    room = r;
    r.reconnection.enabled = false;
    r.onMessage('*', () => {});
    const arrived = new Map<number, number>();
    const replaced = new Set<number>();
    r.onMessage('speech', (m: { id: number; done: boolean; replaced?: boolean }) => {
      const t = epoch();
      if (!arrived.has(m.id)) arrived.set(m.id, t);
      if (m.replaced) replaced.add(m.id);
    });
    const me = await waitFor('the avatar in the state', () => {
      const actor = (r.state as SeenState).players?.get(r.sessionId)?.actor;
      return actor ? seen(r, (e) => e.id === actor) : undefined;
    }, 10_000);
    await admin(server.port, 'POST', `/admin/rooms/${r.roomId}/spawn?x=${me.x}&y=${me.y}`, { name: 'smithy', spawns: [npc('Hilda', { x: 2, y: 0 })] });
    const hilda = (await waitFor('Hilda in the client\'s state', () => seen(r, (e) => e.name === 'Hilda'), 10_000)).id;
    const clockMs = await fake.clockDisagreement();
    const rng = Rng.create('bench-dialogue-talks');
    const out = { fromProvider: [] as number[], fromSend: [] as number[], replaced: 0, notStreamed: 0, clockMs };
    for (let i = 0; i < warm + n; i++) {
      // Talk at a random phase of the 50 ms tick: right after the last reply's patch, every talk would wait a whole tick.
      await sleep(rng.float(0, 50));
      const before = lastLine(r, hilda);
      const known = new Set(arrived.keys());
      const sentBefore = fake.sent.length;
      const t0 = epoch();
      r.send('talk', { to: hilda, text: 'Where is the old mine?' });
      await waitFor(`Hilda's reply to talk ${i + 1} in the state`, () => (lastLine(r, hilda) > before ? true : undefined), REPLY_TIMEOUT_MS);
      const ids = [...arrived.keys()].filter((id) => !known.has(id));
      const sent = fake.sent.slice(sentBefore);
      if (ids.length > 1 || sent.length > 1) throw new Error(`talk ${i + 1}: ${ids.length} streamed replies and ${sent.length} provider streams for one line; expected one of each`);
      if (i < warm) continue;
      if (ids.length === 0) {
        out.notStreamed++;
        continue;
      }
      const id = ids[0] as number;
      if (sent.length === 0) throw new Error(`talk ${i + 1}: a streamed reply arrived but the fake wrote no stream`);
      const at = arrived.get(id) as number;
      out.fromProvider.push(at - (sent[0] as number));
      out.fromSend.push(at - t0);
      if (replaced.has(id)) out.replaced++;
    }
    return out;
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the server's last lines: ${server.logs.slice(-8).join(' | ')}`, { cause: e });
  } finally {
    await room?.leave().catch(() => {});
    await server.stop();
  }
}

/**
 * Where the tick part's players stand: ten villages on a ring of 80 tiles around the centre, 50 tiles apart (more
 * than a view's reach), an NPC in the middle of each and a tenth of the players within a few tiles of it.
 */
const VILLAGES = ['Hilda', 'Osric', 'Maren', 'Tobin', 'Wenna', 'Garrick', 'Ysolde', 'Piet', 'Agnes', 'Corin'].map((name, j) => {
  const angle = (j * 2 * Math.PI) / 10;
  return { name, x: Math.round(Math.cos(angle) * 80), y: Math.round(Math.sin(angle) * 80) };
});

interface TalkTicks {
  readonly talking: Window[];
  readonly silent: Window[];
  readonly stats: { talks: number; speechMessages: number; replies: number; done: number; replaced: number };
}

/**
 * `k` premium players (bench/netClients.ts, its own process) in one room of bench/netServer.ts (the server with its
 * steps timed), in ten villages of an NPC each, strolling about it (NET_STAY); windows with every player talking once a second
 * to the NPC nearest to it, turns spread evenly, alternate with windows of the same players silent (ABBA order, so
 * drift falls on both).
 */
async function talkTicks(fake: FakeProcess, config: string, k: number, o: { warmS: number; settleS: number; measureS: number; rounds: number }): Promise<TalkTicks> {
  const port = await freePort();
  const server = child('bench/netServer.ts', [], {
    PORT: String(port), LOG_LEVEL: 'silent', MONSTER_DENSITY: '0', SEED: 'bench-dialogue', MAX_CLIENTS: '2000', MATCHMAKE_LOOPBACK: 'exempt',
    NET_CLUSTERS: VILLAGES.map((v) => `${v.x}:${v.y}`).join(';'), NET_CLUSTER_RADIUS: '6',
    LAIRMIND_CONFIG: config, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.baseURL, AUTH_SECRET: SECRET, ADMIN_TOKEN: ADMIN,
  });
  try {
    await expectLine(server.lines, 'ready', 'server');
    const clients = child('bench/netClients.ts', [`ws://127.0.0.1:${port}`, String(k), '0'], { NET_AUTH_SECRET: SECRET, NET_TIER: 'premium', NET_STAY: '6' });
    try {
      const roomId = (await expectLine(clients.lines, 'joined', 'clients')).split(' ')[1];
      await admin(port, 'POST', `/admin/rooms/${roomId}/spawn?x=0&y=0`, { name: 'villages', spawns: VILLAGES.map((v) => npc(v.name, { x: v.x, y: v.y })) });
      const talk = (every: number): void => void clients.proc.stdin!.write(`talk ${every}\n`);
      talk(1);
      await sleep(o.warmS * 1000);
      const windows: TalkTicks = { talking: [], silent: [], stats: { talks: 0, speechMessages: 0, replies: 0, done: 0, replaced: 0 } };
      for (let rep = 0; rep < o.rounds; rep++) {
        for (const phase of rep % 2 ? (['talking', 'silent'] as const) : (['silent', 'talking'] as const)) {
          talk(phase === 'talking' ? 1 : 0);
          await sleep(o.settleS * 1000); // streams of the other phase end (a reply takes ~0.7 s)
          server.proc.stdin!.write(`measure ${o.measureS}\n`);
          windows[phase].push(JSON.parse(await expectLine(server.lines, '{', 'server')) as Window);
        }
      }
      talk(0);
      clients.proc.stdin!.write('stats\n');
      return { ...windows, stats: JSON.parse((await expectLine(clients.lines, 'stats ', 'clients')).slice(6)) as TalkTicks['stats'] };
    } finally {
      clients.proc.kill('SIGKILL');
    }
  } finally {
    server.proc.stdin!.write('exit\n');
    await sleep(300);
    server.proc.kill('SIGKILL');
  }
}

/** Tick = step + its patch (as bench:net counts it), over all windows. */
function ticks(ws: readonly Window[]): number[] {
  return ws.flatMap((w) => w.steps.slice(0, w.patches.length).map((s, i) => s + (w.patches[i] ?? 0)));
}

/** Gaps between consecutive steps' ends, ms: 50 at 20 Hz; more when a tick started late. */
function gaps(ws: readonly Window[]): number[] {
  return ws.flatMap((w) => w.stepAt.slice(1).map((t, i) => t - (w.stepAt[i] as number)));
}

/** Players in the tick comparison. */
const TALKERS = 100;

/** `bench:minds` dialogue part: the first chunk's delay to the client, and the tick with 100 players talking vs silent. */
export async function runDialogueBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'lairmind-bench-dialogue-'));
  const fake = await startFake();
  try {
    const config = configFile(dir);
    const fc = await firstChunk(fake, config, smoke ? 5 : 30, smoke ? 1 : 3);
    const tt = await talkTicks(fake, config, TALKERS, smoke ? { warmS: 2, settleS: 1.5, measureS: 2, rounds: 1 } : { warmS: 5, settleS: 2, measureS: 10, rounds: 4 });
    const m: Record<string, number> = {
      reply_first_chunk_ms_p50: round(quantile(fc.fromProvider, 0.5), 2),
      reply_first_chunk_ms_p95: round(quantile(fc.fromProvider, 0.95), 2),
      reply_first_chunk_ms_max: round(Math.max(...fc.fromProvider), 2),
      reply_first_chunk_from_send_ms_p50: round(quantile(fc.fromSend, 0.5), 2),
      reply_first_chunk_from_send_ms_p95: round(quantile(fc.fromSend, 0.95), 2),
      reply_first_chunk_samples: fc.fromProvider.length,
      reply_replaced: fc.replaced,
      reply_not_streamed: fc.notStreamed,
      reply_clock_disagreement_ms: round(fc.clockMs, 3),
    };
    const talking = ticks(tt.talking), silent = ticks(tt.silent);
    const cpu = (ws: readonly Window[]): number => (100 * ws.reduce((a, w) => a + w.cpuMs, 0)) / (1000 * ws.reduce((a, w) => a + w.seconds, 0));
    const k = TALKERS;
    m[`tick_p99_ms_talking@${k}`] = round(quantile(talking, 0.99));
    m[`tick_p99_ms_silent@${k}`] = round(quantile(silent, 0.99));
    m[`tick_p99_talking_over_silent@${k}`] = round(quantile(talking, 0.99) / quantile(silent, 0.99));
    m[`tick_p50_ms_talking@${k}`] = round(quantile(talking, 0.5));
    m[`tick_p50_ms_silent@${k}`] = round(quantile(silent, 0.5));
    m[`tick_gap_p99_ms_talking@${k}`] = round(quantile(gaps(tt.talking), 0.99));
    m[`tick_gap_p99_ms_silent@${k}`] = round(quantile(gaps(tt.silent), 0.99));
    m[`server_cpu_pct_talking@${k}`] = round(cpu(tt.talking), 1);
    m[`server_cpu_pct_silent@${k}`] = round(cpu(tt.silent), 1);
    m[`talk_lines_sent@${k}`] = tt.stats.talks;
    m[`talk_replies_streamed@${k}`] = tt.stats.replies;
    m[`talk_replies_replaced@${k}`] = tt.stats.replaced;
    // Speech lines said in the state during the talking windows (each player's line and its NPC's answer): ~2k/s when every talk was answered.
    const said = round(tt.talking.reduce((a, w) => a + w.lines, 0) / tt.talking.reduce((a, w) => a + w.seconds, 0), 1);
    m[`talk_lines_said_per_s@${k}`] = said;
    if (said < 0.8 * k) console.warn(`warning: ${said} lines said per second while ${k} players talked once a second each: many found no NPC in view, or the server fell behind`);
    m[`talk_speech_messages_per_reply@${k}`] = round(tt.stats.speechMessages / Math.max(1, tt.stats.replies), 1);

    console.log(`\nNPC replies streamed from a fake OpenAI (first token ${FIRST_MS} ms, then a chunk every ${GAP_MS} ms), server and fake in their own processes`);
    console.table([
      { figure: 'reply_first_chunk_ms (provider wrote → client got)', p50: m.reply_first_chunk_ms_p50, p95: m.reply_first_chunk_ms_p95, max: m.reply_first_chunk_ms_max, target: '≤ 50' },
      { figure: 'reply_first_chunk_from_send_ms (client sent → client got)', p50: m.reply_first_chunk_from_send_ms_p50, p95: m.reply_first_chunk_from_send_ms_p95, target: `— (${FIRST_MS} provider + ≤ 50 tick wait + first chunk)` },
      { figure: `replies replaced (of ${fc.fromProvider.length}; not streamed: ${fc.notStreamed})`, p50: m.reply_replaced, target: '0' },
    ]);
    console.log(`clocks of the two processes disagree by at most ${m.reply_clock_disagreement_ms} ms`);
    console.log(`\n${k} premium players in ten villages of an NPC each: every player talking once a second to its NPC (turns staggered) vs the same players silent, ${tt.talking.length} windows each, interleaved`);
    console.table([
      { phase: 'silent', 'tick p50 ms': m[`tick_p50_ms_silent@${k}`], 'tick p99 ms': m[`tick_p99_ms_silent@${k}`], 'gap p99 ms': m[`tick_gap_p99_ms_silent@${k}`], 'server CPU %': m[`server_cpu_pct_silent@${k}`], target: '' },
      { phase: 'talking', 'tick p50 ms': m[`tick_p50_ms_talking@${k}`], 'tick p99 ms': m[`tick_p99_ms_talking@${k}`], 'gap p99 ms': m[`tick_gap_p99_ms_talking@${k}`], 'server CPU %': m[`server_cpu_pct_talking@${k}`], target: 'tick p99 ≤ 25 (bench:net\'s at 100 clients)' },
      { phase: 'talking / silent', 'tick p99 ms': m[`tick_p99_talking_over_silent@${k}`], target: '' },
    ]);
    console.log(`gap: time between consecutive steps (50 ms at 20 Hz; more when a tick started late). Lines said per second while talking ${m[`talk_lines_said_per_s@${k}`]} (players' and NPCs'); talk lines sent ${tt.stats.talks}, replies streamed ${tt.stats.replies} (replaced ${tt.stats.replaced}, target 0), ${m[`talk_speech_messages_per_reply@${k}`]} speech messages heard per reply`);
    return m;
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
