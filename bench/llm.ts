import OpenAI from 'openai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultModelRegistry, LlmGateway, registryFrom } from '../llm/index.ts';
import type { CallResult, ModelInfo } from '../llm/index.ts';
import { gc, quantile, round } from './stats.ts';

const KEY = 'sk-bench-0000000000';

/** The fake OpenAI endpoint (bench/fakeOpenAiProcess.ts) in a child process; resolves once it listens. */
async function fakeProcess(mode: 'instant' | 'slow-flaky', seed = 'fake'): Promise<{ baseURL: string; close: () => Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fakeOpenAiProcess.ts'), mode, seed], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the fake provider did not start in 30 s')), 30_000);
    proc.stdout.once('data', (d: Buffer) => {
      clearTimeout(t);
      resolve(Number(d.toString().trim()));
    });
    proc.once('exit', (code) => reject(new Error(`the fake provider exited with ${code}`)));
  });
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((r) => {
      proc.once('exit', () => r());
      proc.kill('SIGTERM');
    }),
  };
}

const Plan = z.object({ ok: z.boolean() });
const MESSAGES = [{ role: 'system' as const, content: 'You plan pack tactics. Reply in JSON.' }, { role: 'user' as const, content: 'Three wolves, one player at range 4.' }];

/**
 * `npm run bench:llm`: gateway overhead over the raw SDK against the same local fake (interleaved, same
 * run), cache-hit latency in memory, and throughput at 100 concurrent calls.
 */
export async function runLlmBench(opts: { smoke: boolean }): Promise<Record<string, number>> {
  const n = opts.smoke ? 200 : 3000;
  const warm = opts.smoke ? 50 : 300;
  const { baseURL, close } = await fakeProcess('instant');
  try {
    const { id: _id, ...entry } = defaultModelRegistry().models.find((m) => m.id === 'openai:gpt-4o-mini') as ModelInfo;
    // No rpm/tpm limit here: the benchmark sends far more than a real deployment's minute allows.
    const registry = registryFrom({ models: [{ ...entry, rpm: 0, tpm: 0 }] });
    const providers = { openai: { apiKey: KEY, baseURL } };
    // Every budget scope and a tier's hourly and daily limits on (set high enough never to refuse): the price of
    // the spend controls is in the overhead.
    const big = { tokens: { soft: 1e12, hard: 1e12 }, costUsd: { soft: 1e6, hard: 1e6 } };
    const budgets = { call: { tokens: { hard: 100_000 } }, room: big, player: big, tenant: big, deployment: { daily: big, monthly: big } };
    const tiers = { bench: { layers: { '*': { hourly: 1e9, daily: 1e9 } }, budget: big, alertDailyCostUsd: 1e6 } };
    const gw = new LlmGateway({ registry, providers, cache: { enabled: false }, budgets, tiers, defaultTier: 'bench', onAlert: () => undefined });
    const plain = new LlmGateway({ registry, providers, cache: { enabled: false } });
    const cached = new LlmGateway({ registry, providers });
    const raw = new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0 });
    const schema = z.toJSONSchema(Plan) as Record<string, unknown>;
    const rawCall = (): Promise<unknown> =>
      raw.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, temperature: 0.4, max_completion_tokens: 600, response_format: { type: 'json_schema', json_schema: { name: 'tactics', strict: true, schema } } });
    const gwCall = (g: LlmGateway, i: number): Promise<CallResult<unknown>> => g.call({ operation: 'tactics', messages: [...MESSAGES, { role: 'user', content: `turn ${i}` }], schema: Plan, tenant: 'bench', player: `p${i % 50}`, room: 'r', tier: g === gw ? 'bench' : undefined });

    for (let i = 0; i < warm; i++) {
      await rawCall();
      await gwCall(gw, i);
      await gwCall(plain, i);
    }
    gc();
    const rawMs: number[] = [];
    const gwMs: number[] = [];
    const plainMs: number[] = [];
    // Per call: the gateway's own time, i.e. its latency minus the provider attempts' (SDK + network) time.
    const gwOwnMs: number[] = [];
    const own = (r: CallResult<unknown>): number => r.record.latencyMs - r.record.attempts.reduce((sum, a) => sum + a.ms, 0);
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      await rawCall();
      rawMs.push(performance.now() - t);
      t = performance.now();
      const r = await gwCall(gw, i);
      gwMs.push(performance.now() - t);
      gwOwnMs.push(own(r));
      t = performance.now();
      await gwCall(plain, i);
      plainMs.push(performance.now() - t);
    }

    await gwCall(cached, -1);
    const hitMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await gwCall(cached, -1);
      hitMs.push(performance.now() - t);
    }

    const total = opts.smoke ? 300 : 5000;
    // A call that fails (an attempt timing out on a saturated machine) is counted, not fatal.
    const throughput = async (fn: (i: number) => Promise<unknown>): Promise<{ cps: number; failed: number }> => {
      let next = 0;
      let failed = 0;
      const t = performance.now();
      await Promise.all(Array.from({ length: 100 }, async () => {
        while (next < total) await fn(next++).catch(() => failed++);
      }));
      return { cps: total / ((performance.now() - t) / 1000), failed };
    };
    const { cps: rawCps, failed: rawFailed } = await throughput(() => rawCall());
    // Open loop at 1,000 asks/s (10 every 10 ms): each call's own time, with the event loop not saturated by a closed
    // loop of 100 callers (there, a call's own time mostly measures waiting behind the other 99).
    const rateOwnMs: number[] = [];
    const cpuAt1000 = async (fire: (i: number) => Promise<unknown>): Promise<number> => {
      const calls: Promise<unknown>[] = [];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < rateTotal; i += 10) {
        for (let k = 0; k < 10; k++) calls.push(fire(i + k).catch(() => undefined));
        const wait = t0 + i + 10 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      await Promise.all(calls);
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000 / rateTotal;
    };
    const rateCalls: Promise<unknown>[] = [];
    const rateTotal = opts.smoke ? 500 : 3000;
    const rateStart = performance.now();
    // (own time: latency minus the provider attempts; includes waiting for the event loop)
    for (let i = 0; i < rateTotal; i += 10) {
      for (let k = 0; k < 10; k++) rateCalls.push(gwCall(gw, i + k).then((r) => rateOwnMs.push(own(r)), () => undefined));
      const due = rateStart + (i + 10);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(rateCalls);
    const rateAchieved = rateTotal / ((performance.now() - rateStart) / 1000);
    // CPU per call at the same rate, the raw SDK against the gateway: what each call costs the process.
    const rawCpuMs = await cpuAt1000(() => rawCall());
    const gwCpuMs = await cpuAt1000((i) => gwCall(gw, i));
    const c100OwnMs: number[] = [];
    const { cps: gwCps, failed: gwFailed } = await throughput(async (i) => c100OwnMs.push(own(await gwCall(gw, i))));
    const queued = await queueBench(opts.smoke);

    const m: Record<string, number> = {
      overhead_p50_ms: round(quantile(gwMs, 0.5) - quantile(rawMs, 0.5), 4),
      overhead_p99_ms: round(quantile(gwOwnMs, 0.99), 4),
      overhead_p50_ms_per_call: round(quantile(gwOwnMs, 0.5), 4),
      'overhead_p99_ms@1000rps': round(quantile(rateOwnMs, 0.99), 4),
      'overhead_p50_ms@1000rps': round(quantile(rateOwnMs, 0.5), 4),
      'asks_per_s@1000rps': round(rateAchieved, 1),
      'overhead_cpu_ms_per_call@1000rps': round(gwCpuMs - rawCpuMs, 4),
      'baseline_raw_cpu_ms_per_call@1000rps': round(rawCpuMs, 4),
      'overhead_p99_ms@c100': round(quantile(c100OwnMs, 0.99), 4),
      overhead_p99_diff_ms: round(quantile(gwMs, 0.99) - quantile(rawMs, 0.99), 4),
      overhead_p50_ms_no_limits: round(quantile(plainMs, 0.5) - quantile(rawMs, 0.5), 4),
      cache_hit_p50_ms: round(quantile(hitMs, 0.5), 4),
      calls_per_s_c100: round(gwCps, 1),
      baseline_raw_p50_ms: round(quantile(rawMs, 0.5), 4),
      baseline_raw_p99_ms: round(quantile(rawMs, 0.99), 4),
      gateway_p50_ms: round(quantile(gwMs, 0.5), 4),
      gateway_p99_ms: round(quantile(gwMs, 0.99), 4),
      baseline_raw_calls_per_s_c100: round(rawCps, 1),
      throughput_ratio_c100: round(gwCps / rawCps, 3),
      failed_calls_c100: gwFailed,
      baseline_raw_failed_calls_c100: rawFailed,
      ...queued,
    };
    console.table(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v }])));
    return m;
  } finally {
    await close();
  }
}

/**
 * 1,000 asks from 50 rooms against a fake with 50–400 ms latency and 5% errors, through a queue capped at 32 in
 * flight: background work (summaries) floods the cap from the start while battle tactics arrive at a steady rate.
 * Reports how long tactics waited for a slot (p99) against background work, and calls per second.
 */
async function queueBench(smoke: boolean): Promise<Record<string, number>> {
  const total = smoke ? 200 : 1000;
  const tactics = total / 5;
  const { baseURL, close } = await fakeProcess('slow-flaky', 'queue-bench');
  try {
    const { id: _id, ...entry } = defaultModelRegistry().models.find((m) => m.id === 'openai:gpt-4o-mini') as ModelInfo;
    const registry = registryFrom({ models: [{ ...entry, rpm: 0, tpm: 0 }] });
    const gw = new LlmGateway({
      registry,
      providers: { openai: { apiKey: KEY, baseURL } },
      cache: { enabled: false },
      queue: { concurrency: { openai: 32 }, maxWaiting: 5000 },
      presets: { summary: { priority: 'background', deadlineMs: 60_000, timeoutMs: 5_000 } },
      telemetryCapacity: total,
    });
    gw.registerLocal('*', () => ({ ok: false }));
    const ask = (op: 'summary' | 'tactics', i: number): Promise<CallResult<unknown>> =>
      gw.call({ operation: op, messages: [...MESSAGES, { role: 'user', content: `${op} ${i}` }], schema: Plan, room: `room-${i % 50}` });
    const t0 = performance.now();
    const background = Array.from({ length: total - tactics }, (_, i) => ask('summary', i));
    // Tactics start once the flood is admitted and waiting (the cap saturated), so their waits measure the queue,
    // not the burst of admitting 800 requests at once.
    while (gw.queue.depth('background') < total - tactics - 64) await new Promise((r) => setTimeout(r, 5));
    const battle: Promise<CallResult<unknown>>[] = [];
    for (let i = 0; i < tactics; i++) {
      battle.push(ask('tactics', i));
      await new Promise((r) => setTimeout(r, 10));
    }
    const [b, t] = await Promise.all([Promise.all(background), Promise.all(battle)]);
    const seconds = (performance.now() - t0) / 1000;
    const waits = (rs: CallResult<unknown>[]): number[] => rs.map((r) => r.record.attempts.reduce((sum, a) => sum + (a.queueMs ?? 0), 0));
    return {
      'queue_wait_p99_ms@tactics': round(quantile(waits(t), 0.99), 2),
      'queue_wait_p50_ms@tactics': round(quantile(waits(t), 0.5), 2),
      'queue_wait_p99_ms@background': round(quantile(waits(b), 0.99), 2),
      calls_per_s: round(total / seconds, 1),
      'cloud_answered_fraction@queue': round([...b, ...t].filter((r) => r.provider === 'openai').length / total, 3),
    };
  } finally {
    await close();
  }
}
