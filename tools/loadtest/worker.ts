// A load-test worker process: runs its share of the bots and reports a sample per window over IPC.
// Started by runLoadtest (child_process.fork with tsx); not meant to be run by hand.
import { Bot } from '../bots/index.ts';
import type { BotErrorKind, BotSink } from '../bots/index.ts';
import type { FromWorker, ToWorker, WorkerSample } from './workerProtocol.ts';

const workerId = Number(process.env.LAIRMIND_LOADTEST_WORKER ?? 0);
/** Example error messages kept per window. */
const EXAMPLES = 5;

class Window implements BotSink {
  connected = 0;
  failed = 0;
  joins: number[] = [];
  rtts: number[] = [];
  patches = 0;
  bytes = 0;
  sentByType: Record<string, number> = {};
  errors: Partial<Record<BotErrorKind, number>> = {};
  examples: { kind: BotErrorKind; message: string }[] = [];
  private cpu = process.cpuUsage();
  private at = performance.now();

  joined(ms: number): void {
    this.connected++;
    this.joins.push(ms);
  }
  error(kind: BotErrorKind, message: string): void {
    if (kind === 'join') this.failed++;
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
    if (this.examples.length < EXAMPLES) this.examples.push({ kind, message: message.slice(0, 200) });
  }
  rtt(ms: number): void {
    this.rtts.push(ms);
  }
  patch(): void {
    this.patches++;
  }
  received(bytes: number): void {
    this.bytes += bytes;
  }
  sent(type: string): void {
    this.sentByType[type] = (this.sentByType[type] ?? 0) + 1;
  }
  left(): void {
    this.connected--;
  }

  /** The window so far; starts a new one. */
  take(): WorkerSample {
    const cpu = process.cpuUsage(this.cpu);
    const now = performance.now();
    const seconds = (now - this.at) / 1000;
    const s: WorkerSample = {
      worker: workerId, connected: this.connected, failed: this.failed, joins: this.joins, rtts: this.rtts, patches: this.patches,
      bytes: this.bytes, sent: this.sentByType, errors: this.errors, errorExamples: this.examples,
      cpuPct: seconds > 0 ? ((cpu.user + cpu.system) / 1e6 / seconds) * 100 : 0, seconds,
    };
    this.joins = [];
    this.rtts = [];
    this.patches = 0;
    this.bytes = 0;
    this.sentByType = {};
    this.errors = {};
    this.examples = [];
    this.cpu = process.cpuUsage();
    this.at = now;
    return s;
  }
}

const window = new Window();
const bots: Bot[] = [];
const timers: ReturnType<typeof setTimeout>[] = [];
let sampler: ReturnType<typeof setInterval> | undefined;

function post(m: FromWorker): void {
  process.send?.(m);
}

process.on('uncaughtException', (err) => window.error('exception', `uncaught: ${err.message}`));
process.on('unhandledRejection', (err) => window.error('exception', `unhandled: ${err instanceof Error ? err.message : String(err)}`));

process.on('message', (raw: ToWorker) => {
  if (raw.type === 'start') {
    const m = raw;
    for (const b of m.bots) {
      const bot = new Bot({ url: m.url, room: m.room, behaviour: b.behaviour, seed: m.seed, index: b.index, pingEveryMs: m.pingEveryMs, sink: window });
      bots.push(bot);
      timers.push(setTimeout(() => void bot.start(), b.startAtMs));
    }
    sampler = setInterval(() => post({ type: 'sample', ...window.take() }), m.sampleEveryMs);
  } else if (raw.type === 'stop') {
    for (const t of timers) clearTimeout(t);
    if (sampler) clearInterval(sampler);
    void Promise.allSettled(bots.map((b) => b.stop())).then(() => {
      post({ type: 'done', ...window.take() });
      process.disconnect?.();
      setTimeout(() => process.exit(0), 200).unref();
    });
  }
});

post({ type: 'ready' });
