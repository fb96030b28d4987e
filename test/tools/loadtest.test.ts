import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadtest, runSmoke } from '../../tools/loadtest/index.ts';
import type { LoadtestReport, SeriesPoint } from '../../tools/loadtest/index.ts';
import { startTestServer } from '../rooms/serverHarness.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const SERIES_KEYS: (keyof SeriesPoint)[] = [
  't', 'connected', 'failed', 'joinP50Ms', 'joinP95Ms', 'joinP99Ms', 'pingP50Ms', 'pingP99Ms', 'patchesPerBotS', 'bytesPerBotS',
  'tickP50Ms', 'tickP99Ms', 'patchP99Ms', 'serverCpuPct', 'serverRssMb', 'mindDecisionsPerS', 'llmCalls', 'llmCacheHits', 'llmCostUsd',
  'errors', 'generatorCpuPct',
];

describe('lairmind loadtest against a real server', () => {
  let server: Server;
  let report: LoadtestReport;
  const dir = mkdtempSync(join(tmpdir(), 'lairmind-loadtest-'));

  beforeAll(async () => {
    server = await startTestServer({ MONSTER_DENSITY: '4', WORLD_SIZE: '128', MAX_CLIENTS: '50' });
    report = await runLoadtest({
      url: server.url, bots: 8, ramp: 1, duration: 4, workers: 2, sampleEvery: 0.5, pingEvery: 250,
      mix: 'fighter:1,wanderer:1,talker:1,idler:1', out: join(dir, 'run'), progress: false, maxErrors: 1000,
    });
  }, 90_000);
  afterAll(async () => {
    await server?.close();
  });

  it('every bot joins; the summary has every figure', () => {
    const s = report.summary;
    expect(s.bots).toEqual({ requested: 8, connectedPeak: 8, connectedAtEnd: 8, failed: 0 });
    for (const [k, v] of Object.entries({ ...s.joinMs, ...s.pingMs, patches: s.patchesPerBotS, down: s.downBytesPerBotS, gen: s.generatorCpuPctMax, dur: s.durationS })) {
      expect(Number.isFinite(v), k).toBe(true);
    }
    expect(s.patchesPerBotS).toBeGreaterThan(5);
    expect(s.downBytesPerBotS).toBeGreaterThan(0);
    const sv = s.server;
    for (const k of ['tickP50Ms', 'tickP99Ms', 'patchP99Ms', 'cpuPctMean', 'cpuPctMax', 'rssMbMax', 'mindDecisionsPerS', 'downBytesPerS', 'llmCalls', 'llmCacheHits', 'llmCacheMisses', 'llmCostUsd'] as const) {
      expect(Number.isFinite(sv[k]), `server.${k}`).toBe(true);
    }
    expect(sv.window).toBe('steady');
    expect(sv.scrapeErrors).toBe(0);
    expect(sv.rssMbMax).toBeGreaterThan(10);
    expect(sv.tickP99Ms).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  });

  it('the time series has every field at every point', () => {
    expect(report.series.length).toBeGreaterThanOrEqual(6);
    for (const p of report.series) for (const k of SERIES_KEYS) expect(typeof p[k], k).toBe('number');
    const steady = report.series.filter((p) => p.connected === 8);
    expect(steady.some((p) => Number.isFinite(p.tickP99Ms) && Number.isFinite(p.serverCpuPct) && Number.isFinite(p.pingP99Ms))).toBe(true);
  });

  it('writes the JSON and an offline HTML page with charts', () => {
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as LoadtestReport;
    expect(Object.keys(json).sort()).toEqual(['errorExamples', 'errorsByKind', 'failures', 'ok', 'options', 'series', 'startedAt', 'summary', 'tool', 'version']);
    expect(json.summary.bots.requested).toBe(8);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html).toContain('var uPlot'); // the charting library is inlined: the page opens offline
    expect(html).not.toMatch(/<script[^>]+src=/);
    for (const title of ['Bots', 'Join latency', 'Ping round trip', 'Server tick', 'CPU', 'Server RSS', 'Mind decisions', 'LLM gateway', 'Bot errors']) expect(html).toContain(title);
  });

  it('failed joins are errors that fail a run with an error budget', async () => {
    const r = await runLoadtest({ url: server.url, room: 'no-such-room', bots: 2, ramp: 0, duration: 1, workers: 1, progress: false, maxErrors: 0 });
    expect(r.summary.bots.failed).toBe(2);
    expect(r.errorsByKind.join).toBe(2);
    expect(r.ok).toBe(false);
    expect(r.failures.join('\n')).toMatch(/2 bot errors \(at most 0 allowed\): join 2/);
  }, 60_000);
});

describe('loadtest:smoke', () => {
  it('fails when a deliberately slowed room breaks the tick budget', async () => {
    const r = await runSmoke({ bots: 4, ramp: 1, duration: 4, serverEnv: { DEBUG_SLOW_TICK_MS: '60' }, progress: false });
    expect(r.ok).toBe(false);
    expect(r.summary.server.tickP99Ms).toBeGreaterThan(50);
    expect(r.failures.join('\n')).toMatch(/server tick p99 [\d.]+ ms is over the budget of 50 ms/);
  }, 120_000);

  it('passes on a healthy server', async () => {
    const r = await runSmoke({ bots: 6, ramp: 1, duration: 4, progress: false });
    expect(r.failures).toEqual([]);
    expect(r.summary.bots.connectedAtEnd).toBe(6);
  }, 120_000);
});
