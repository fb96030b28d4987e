import { describe, expect, it } from 'vitest';
import { loadtestCharts, parseLoadtestOptions, renderHtmlReport } from '../../tools/loadtest/index.ts';
import type { LoadtestReport, LoadtestSummary, SeriesPoint } from '../../tools/loadtest/index.ts';
import { chartTop } from '../../tools/uplotCharts.ts';

const point = (t: number, over: Partial<SeriesPoint> = {}): SeriesPoint => ({
  t, connected: 4, failed: 0, joinP50Ms: 5, joinP95Ms: 8, joinP99Ms: 9, pingP50Ms: 1, pingP99Ms: 2, patchesPerBotS: 20, bytesPerBotS: 2048,
  tickP50Ms: 3, tickP99Ms: 12, patchP99Ms: 1, serverCpuPct: 40, serverRssMb: 120, mindDecisionsPerS: 10,
  llmCalls: 0, llmCacheHits: 0, llmCostUsd: 0, errors: 0, generatorCpuPct: 20, ...over,
});

const SUMMARY: LoadtestSummary = {
  durationS: 2, bots: { requested: 4, connectedPeak: 4, connectedAtEnd: 4, failed: 0 }, joinMs: { p50: 5, p95: 8, p99: 9 }, pingMs: { p50: 1, p99: 2 },
  patchesPerBotS: 20, downBytesPerBotS: 2048,
  server: {
    window: 'steady', tickP50Ms: 3, tickP99Ms: 12, patchP99Ms: 1, cpuPctMean: 40, cpuPctMax: 50, rssMbMax: 120, mindDecisionsPerS: 10, downBytesPerS: 8192,
    llmCalls: 0, llmCacheHits: 0, llmCacheMisses: 0, llmCostUsd: 0, scrapeErrors: 0,
  },
  generatorCpuPctMax: 20, errors: 0,
};

function report(series: SeriesPoint[], options: Record<string, unknown> = {}): LoadtestReport {
  const { progress: _p, ...o } = parseLoadtestOptions({ url: 'ws://127.0.0.1:2567', bots: 4, ...options });
  return {
    tool: 'lairmind loadtest', version: 1, startedAt: '2026-01-01T00:00:00.000Z', options: o,
    summary: SUMMARY, errorsByKind: {}, errorExamples: [], series, failures: [], ok: true,
  };
}

const chart = (r: LoadtestReport, title: string) => {
  const c = loadtestCharts(r).find((x) => x.title.startsWith(title));
  if (!c) throw new Error(`no chart '${title}'`);
  return c;
};

describe('load-test HTML report', () => {
  it('draws the tick budget at the tick interval of the tick rate, and the p99 target when set', () => {
    const r = report([point(0.5), point(1), point(1.5)], { tickRate: 20, tickP99Budget: 25 });
    const tick = chart(r, 'Server tick');
    const budget = tick.lines.find((l) => l.label === 'tick budget 50 ms (20 Hz)');
    expect(budget?.values).toEqual([50, 50, 50]);
    expect(budget?.dash).toBe(true);
    expect(tick.lines.find((l) => l.label === 'p99 target 25 ms')?.values).toEqual([25, 25, 25]);
    const at30 = chart(report([point(1)], { tickRate: 30 }), 'Server tick');
    expect(at30.lines.map((l) => l.label)).toEqual(['tick p50', 'tick p99', 'patch p99', 'tick budget 33.33 ms (30 Hz)']);
    const html = renderHtmlReport(r);
    expect(html).toContain('tick budget 50 ms (20 Hz)');
    expect(html).toContain('p99 target 25 ms');
  });

  it('fits the cost axis to the spend: a small axis for $0, the data plus headroom otherwise', () => {
    const none = chart(report([point(1), point(2)]), 'LLM cost');
    expect(none.title).toBe('LLM cost during the test');
    expect(chartTop(none)).toBe(0.01);
    const spent = chart(report([point(1, { llmCostUsd: 0.2 }), point(2, { llmCostUsd: 0.4 })]), 'LLM cost');
    expect(chartTop(spent)).toBeCloseTo(0.44, 9);
    expect(spent.lines[0]?.values).toEqual([0.2, 0.4]);
    const calls = chart(report([point(1, { llmCalls: 0 }), point(2, { llmCalls: 3, llmCacheHits: 1 })]), 'LLM gateway calls');
    expect(calls.title).toBe('LLM gateway calls during the test');
    expect(calls.lines.map((l) => l.values)).toEqual([[0, 3], [0, 1]]);
    expect(chartTop(calls)).toBe(5);
    expect(chartTop(chart(report([point(1)]), 'Server tick'))).toBeNull();
  });

  it('is one self-contained page whose charts carry the series', () => {
    const html = renderHtmlReport(report([point(1, { llmCostUsd: 0.003 })]));
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('var uPlot');
    const json = /const charts = (\[.*\]);\n/.exec(html)?.[1];
    const charts = JSON.parse(json ?? '[]') as { title: string; top: number | null; data: number[][] }[];
    const cost = charts.find((c) => c.title === 'LLM cost during the test (USD)');
    expect(cost?.data).toEqual([[1], [0.003]]);
    expect(cost?.top).toBe(0.01);
  });
});
