import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, writeFileSync } from 'node:fs';
import { assignBehaviours } from '../bots/index.ts';
import { renderHtmlReport } from './htmlReport.ts';
import { httpBase, parseLoadtestOptions } from './options.ts';
import type { LoadtestOptions } from './options.ts';
import { quantile } from './quantile.ts';
import { reportJson } from './report.ts';
import type { LoadtestReport, LoadtestSummary, SeriesPoint } from './report.ts';
import { llmSince, scrapeServer, windowBetween } from './serverScrape.ts';
import type { ServerScrape } from './serverScrape.ts';
import type { FromWorker, ToWorker, WorkerBot, WorkerSample } from './workerProtocol.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
/** Seconds to wait for workers to start, and to stop after the run. */
const WORKER_START_S = 30;
const WORKER_STOP_S = 15;

export interface RunHooks {
  /** Receives the progress line (default: stderr, rewritten in place on a terminal). */
  readonly progress?: (line: string) => void;
}

interface Worker {
  readonly proc: ChildProcess;
  ready: boolean;
  done: boolean;
  connected: number;
  failed: number;
}

/**
 * Run a load test: spread the bots over worker processes (so the generator is not the bottleneck), join them
 * over the ramp, hold the load for the duration, then stop them all; sample bots and the server's /metrics
 * every `sampleEvery` seconds. Bounded in bots and time (see options); stops by itself. Writes `<out>.json`
 * and `<out>.html` when `out` is set. Throws only on bad options or when workers cannot start.
 */
export async function runLoadtest(input: unknown, hooks: RunHooks = {}): Promise<LoadtestReport> {
  const o = parseLoadtestOptions(input);
  const base = httpBase(o.url);
  const startedAt = new Date().toISOString();
  const behaviours = assignBehaviours(o.mix, o.bots);
  const progress = o.progress ? hooks.progress ?? defaultProgress() : () => {};

  const workers: Worker[] = [];
  const pending: WorkerSample[] = [];
  const errorsByKind: Record<string, number> = {};
  const errorExamples: { kind: string; message: string }[] = [];
  const allJoins: number[] = [];
  const steadyRtts: number[] = [];
  const countErrors = (kind: string, n: number, message?: string) => {
    errorsByKind[kind] = (errorsByKind[kind] ?? 0) + n;
    if (message && errorExamples.length < 20) errorExamples.push({ kind, message });
  };

  const workerCount = Math.min(o.workers, o.bots);
  for (let i = 0; i < workerCount; i++) {
    const proc = fork(join(HERE, 'worker.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LAIRMIND_LOADTEST_WORKER: String(i) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const w: Worker = { proc, ready: false, done: false, connected: 0, failed: 0 };
    proc.on('message', (m: FromWorker) => {
      if (m.type === 'ready') w.ready = true;
      else {
        pending.push(m);
        if (m.type === 'done') w.done = true;
      }
    });
    proc.on('exit', (code) => {
      if (!w.done) countErrors('worker', 1, `worker ${i} exited with code ${code} before the end of the run`);
      w.done = true;
      w.connected = 0;
    });
    workers.push(w);
  }
  const killAll = () => workers.forEach((w) => w.proc.exitCode === null && w.proc.kill('SIGKILL'));

  try {
    await until(() => workers.every((w) => w.ready || w.done), WORKER_START_S * 1000);
    if (!workers.every((w) => w.ready)) throw new Error(`load-test workers did not start within ${WORKER_START_S} s`);

    let last = await scrapeServer(base);
    let scrapeErrors = 0;
    if ('error' in last) scrapeErrors++;
    let firstScrape = 'error' in last ? null : last;
    let steadyScrape: ServerScrape | null = null;

    const shares: WorkerBot[][] = workers.map(() => []);
    for (let i = 0; i < o.bots; i++) shares[i % workerCount]!.push({ index: i, behaviour: behaviours[i]!, startAtMs: (o.ramp * 1000 * i) / o.bots });
    workers.forEach((w, i) => send(w.proc, { type: 'start', url: o.url, room: o.room, seed: o.seed, pingEveryMs: o.pingEvery, sampleEveryMs: o.sampleEvery * 1000, bots: shares[i]! }));
    const t0 = performance.now();
    const endAt = t0 + (o.ramp + o.duration) * 1000;
    const rampEnd = t0 + o.ramp * 1000;

    const series: SeriesPoint[] = [];
    const steady = { patches: 0, bytes: 0, botSeconds: 0, cpu: [] as number[], rss: [] as number[] };
    let connectedPeak = 0;
    let generatorCpuPctMax = 0;

    const takePoint = async (): Promise<void> => {
      const samples = pending.splice(0);
      const rtts: number[] = [];
      let patches = 0;
      let bytes = 0;
      let errors = 0;
      let botSeconds = 0;
      let generatorCpuPct = 0;
      for (const s of samples) {
        const w = workers[s.worker];
        if (w) {
          w.connected = s.connected;
          w.failed = s.failed;
        }
        for (const j of s.joins) allJoins.push(j);
        for (const r of s.rtts) rtts.push(r);
        patches += s.patches;
        bytes += s.bytes;
        botSeconds += s.connected * s.seconds;
        generatorCpuPct = Math.max(generatorCpuPct, s.cpuPct);
        for (const [k, n] of Object.entries(s.errors)) {
          errors += n ?? 0;
          countErrors(k, n ?? 0);
        }
        for (const e of s.errorExamples) if (errorExamples.length < 20) errorExamples.push(e);
      }
      const connected = workers.reduce((a, w) => a + w.connected, 0);
      const failed = workers.reduce((a, w) => a + w.failed, 0);
      connectedPeak = Math.max(connectedPeak, connected);
      generatorCpuPctMax = Math.max(generatorCpuPctMax, generatorCpuPct);
      const now = performance.now();
      const scrape = await scrapeServer(base);
      let win = null;
      let llm = null;
      if ('error' in scrape) {
        scrapeErrors++;
        if (scrapeErrors === 1) countErrors('scrape', 0, scrape.error);
      } else {
        win = windowBetween('error' in last ? null : last, scrape);
        firstScrape ??= scrape;
        llm = llmSince(firstScrape, scrape);
        last = scrape;
        if (!steadyScrape && now >= rampEnd) steadyScrape = scrape;
      }
      const inSteady = now >= rampEnd;
      if (inSteady) {
        for (const r of rtts) steadyRtts.push(r);
        steady.patches += patches;
        steady.bytes += bytes;
        steady.botSeconds += botSeconds;
        if (win && Number.isFinite(win.cpuPct)) steady.cpu.push(win.cpuPct);
        if (win) steady.rss.push(win.rssMb);
      }
      const point: SeriesPoint = {
        t: Math.round((now - t0) / 100) / 10,
        connected, failed,
        joinP50Ms: quantile(allJoins, 0.5), joinP95Ms: quantile(allJoins, 0.95), joinP99Ms: quantile(allJoins, 0.99),
        pingP50Ms: quantile(rtts, 0.5), pingP99Ms: quantile(rtts, 0.99),
        patchesPerBotS: botSeconds > 0 ? patches / botSeconds : 0,
        bytesPerBotS: botSeconds > 0 ? bytes / botSeconds : 0,
        tickP50Ms: win?.tickP50Ms ?? NaN, tickP99Ms: win?.tickP99Ms ?? NaN, patchP99Ms: win?.patchP99Ms ?? NaN,
        serverCpuPct: win?.cpuPct ?? NaN, serverRssMb: win?.rssMb ?? NaN, mindDecisionsPerS: win?.mindDecisionsPerS ?? NaN,
        llmCalls: llm?.llmCalls ?? NaN, llmCacheHits: llm?.llmCacheHits ?? NaN, llmCostUsd: llm?.llmCostUsd ?? NaN,
        errors, generatorCpuPct,
      };
      series.push(point);
      progress(progressLine(point, o.bots, o.ramp + o.duration));
    };

    while (performance.now() < endAt) {
      await sleep(Math.min(o.sampleEvery * 1000, Math.max(0, endAt - performance.now())));
      if (workers.every((w) => w.done)) break;
      await takePoint();
    }
    const connectedAtEnd = workers.reduce((a, w) => a + w.connected, 0);
    workers.forEach((w) => !w.done && send(w.proc, { type: 'stop' }));
    await until(() => workers.every((w) => w.done), WORKER_STOP_S * 1000);
    const durationS = (performance.now() - t0) / 1000;
    await takePoint();
    progress('');

    const end = 'error' in last ? null : last;
    const from = steadyScrape && end && steadyScrape !== end ? steadyScrape : firstScrape;
    const whole = end ? windowBetween(from, end) : null;
    const cpuAll = series.map((p) => p.serverCpuPct);
    const summary: LoadtestSummary = {
      durationS,
      bots: { requested: o.bots, connectedPeak, connectedAtEnd, failed: series[series.length - 1]?.failed ?? 0 },
      joinMs: { p50: quantile(allJoins, 0.5), p95: quantile(allJoins, 0.95), p99: quantile(allJoins, 0.99) },
      pingMs: { p50: quantile(steadyRtts, 0.5), p99: quantile(steadyRtts, 0.99) },
      patchesPerBotS: steady.botSeconds > 0 ? steady.patches / steady.botSeconds : NaN,
      downBytesPerBotS: steady.botSeconds > 0 ? steady.bytes / steady.botSeconds : NaN,
      server: {
        window: steadyScrape && from === steadyScrape ? 'steady' : 'whole',
        tickP50Ms: whole?.tickP50Ms ?? NaN,
        tickP99Ms: whole?.tickP99Ms ?? NaN,
        patchP99Ms: whole?.patchP99Ms ?? NaN,
        cpuPctMean: steady.cpu.length ? steady.cpu.reduce((a, b) => a + b, 0) / steady.cpu.length : whole?.cpuPct ?? NaN,
        cpuPctMax: maxOf(cpuAll),
        rssMbMax: maxOf(series.map((p) => p.serverRssMb)),
        mindDecisionsPerS: whole?.mindDecisionsPerS ?? NaN,
        downBytesPerS: whole?.serverBytesPerS ?? NaN,
        llmCalls: end && firstScrape ? end.llmCalls - firstScrape.llmCalls : NaN,
        llmCacheHits: end && firstScrape ? end.llmCacheHits - firstScrape.llmCacheHits : NaN,
        llmCacheMisses: end && firstScrape ? end.llmCacheMisses - firstScrape.llmCacheMisses : NaN,
        llmCostUsd: end && firstScrape ? end.llmCostUsd - firstScrape.llmCostUsd : NaN,
        scrapeErrors,
      },
      generatorCpuPctMax,
      errors: Object.values(errorsByKind).reduce((a, b) => a + b, 0),
    };
    const failures: string[] = [];
    if (o.tickP99Budget !== undefined) {
      if (!Number.isFinite(summary.server.tickP99Ms)) failures.push('server tick p99 could not be measured (no /metrics)');
      else if (summary.server.tickP99Ms > o.tickP99Budget) failures.push(`server tick p99 ${summary.server.tickP99Ms.toFixed(2)} ms is over the budget of ${o.tickP99Budget} ms`);
    }
    if (o.maxErrors !== undefined && summary.errors > o.maxErrors) failures.push(`${summary.errors} bot errors (at most ${o.maxErrors} allowed): ${Object.entries(errorsByKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (o.maxErrors !== undefined && summary.bots.failed > o.maxErrors) failures.push(`${summary.bots.failed} bots failed to join`);
    const { progress: _p, ...options } = o;
    const report: LoadtestReport = { tool: 'lairmind loadtest', version: 1, startedAt, options, summary, errorsByKind, errorExamples, series, failures, ok: failures.length === 0 };
    if (o.out) writeReports(report, o.out);
    return report;
  } finally {
    killAll();
  }
}

/** Write `<out>.json` and `<out>.html`. */
export function writeReports(report: LoadtestReport, out: string): { json: string; html: string } {
  const json = `${out}.json`;
  const html = `${out}.html`;
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, reportJson(report));
  writeFileSync(html, renderHtmlReport(report));
  return { json, html };
}

function progressLine(p: SeriesPoint, bots: number, totalS: number): string {
  const tick = Number.isFinite(p.tickP99Ms) ? `${p.tickP99Ms.toFixed(1)} ms` : 'n/a';
  return `loadtest: ${p.connected}/${bots} bots connected, ${p.failed} failed | ${p.t.toFixed(0)}/${totalS.toFixed(0)} s | tick p99 ${tick} | errors ${p.errors}`;
}

function defaultProgress(): (line: string) => void {
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  return (line) => {
    if (tty) {
      process.stderr.write(`\r\x1b[2K${line}`);
      if (!line) process.stderr.write('\r');
    } else if (line && performance.now() - lastPrinted >= 5000) {
      process.stderr.write(`${line}\n`);
      lastPrinted = performance.now();
    }
  };
}

function send(proc: ChildProcess, m: ToWorker): void {
  if (proc.connected) proc.send(m);
}

/** Largest finite value; NaN when there is none. */
function maxOf(xs: readonly number[]): number {
  let m = NaN;
  for (const x of xs) if (Number.isFinite(x) && !(x <= m)) m = x;
  return m;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!check() && performance.now() < end) await sleep(50);
}
