import { describe, expect, it } from 'vitest';
import { bucketsDelta, bucketsOf, histogramQuantile, llmSince, parsePromText, readScrape, sumOf, windowBetween } from '../../tools/loadtest/index.ts';

const TEXT = (tickCounts: number[], cpu: number) => `# HELP lairmind_tick_duration_seconds x
# TYPE lairmind_tick_duration_seconds histogram
lairmind_tick_duration_seconds_bucket{le="0.01"} ${tickCounts[0]}
lairmind_tick_duration_seconds_bucket{le="0.05"} ${tickCounts[1]}
lairmind_tick_duration_seconds_bucket{le="0.1"} ${tickCounts[2]}
lairmind_tick_duration_seconds_bucket{le="+Inf"} ${tickCounts[3]}
lairmind_tick_duration_seconds_sum 1
lairmind_tick_duration_seconds_count ${tickCounts[3]}
lairmind_process_cpu_seconds_total ${cpu}
lairmind_process_resident_memory_bytes 104857600
lairmind_mind_requests_total{port="think"} 10
lairmind_mind_requests_total{port="chat"} 5
llm_calls_total{provider="local",model="tactician",operation="plan",outcome="ok"} 3
llm_cache_requests_total{result="hit"} 2
llm_cost_usd_total{provider="openai",model="m",operation="plan"} 0.25
`;

describe('reading /metrics', () => {
  it('parses samples and labels, sums by name and label', () => {
    const s = parsePromText(TEXT([1, 2, 3, 3], 1));
    expect(sumOf(s, 'lairmind_mind_requests_total')).toBe(15);
    expect(sumOf(s, 'lairmind_mind_requests_total', { port: 'think' })).toBe(10);
    expect(sumOf(s, 'nothing')).toBeNaN();
    expect(bucketsOf(s, 'lairmind_tick_duration_seconds')?.le).toEqual([0.01, 0.05, 0.1, Infinity]);
  });

  it('interpolates histogram quantiles inside buckets, between two scrapes', () => {
    const a = bucketsOf(parsePromText(TEXT([100, 100, 100, 100], 0)), 'lairmind_tick_duration_seconds')!;
    const b = bucketsOf(parsePromText(TEXT([190, 200, 200, 200], 0)), 'lairmind_tick_duration_seconds')!;
    const d = bucketsDelta(b, a);
    expect(d.counts).toEqual([90, 100, 100, 100]);
    expect(histogramQuantile(d, 0.5)).toBeCloseTo(0.01 * (50 / 90), 6);
    expect(histogramQuantile(d, 0.99)).toBeCloseTo(0.01 + 0.04 * (9 / 10), 6);
    expect(histogramQuantile({ le: [0.01, Infinity], counts: [0, 5] }, 0.99)).toBe(0.01);
    expect(histogramQuantile({ le: [0.01], counts: [0] }, 0.5)).toBeNaN();
  });

  it('turns two scrapes into a window: tick ms, CPU %, RSS MB, decisions/s', () => {
    const a = readScrape(TEXT([100, 100, 100, 100], 10), 0);
    const b = readScrape(TEXT([100, 200, 200, 200], 10.5), 1000);
    const w = windowBetween(a, b);
    expect(w.tickP50Ms).toBeCloseTo(30, 6);
    expect(w.cpuPct).toBeCloseTo(50, 6);
    expect(w.rssMb).toBe(100);
    expect(w.mindDecisionsPerS).toBe(0);
  });

  it('counts LLM calls, cache hits and cost from the test\'s first scrape, not since the server started', () => {
    const first = readScrape(TEXT([100, 100, 100, 100], 10), 0);
    expect([first.llmCalls, first.llmCacheHits, first.llmCostUsd]).toEqual([3, 2, 0.25]);
    expect(llmSince(null, first)).toEqual({ llmCalls: 0, llmCacheHits: 0, llmCostUsd: 0 });
    expect(llmSince(first, first)).toEqual({ llmCalls: 0, llmCacheHits: 0, llmCostUsd: 0 });
    const later = readScrape(TEXT([100, 100, 100, 100], 10).replace('outcome="ok"} 3', 'outcome="ok"} 7').replace('"hit"} 2', '"hit"} 5').replace('operation="plan"} 0.25', 'operation="plan"} 0.75'), 1000);
    const d = llmSince(first, later);
    expect(d.llmCalls).toBe(4);
    expect(d.llmCacheHits).toBe(3);
    expect(d.llmCostUsd).toBeCloseTo(0.5, 9);
  });
});
