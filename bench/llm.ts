import OpenAI from 'openai';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { z } from 'zod';
import { defaultModelRegistry, LlmGateway, registryFrom } from '../llm/index.ts';
import type { ModelInfo } from '../llm/index.ts';
import { gc, quantile, round } from './stats.ts';

const KEY = 'sk-bench-0000000000';
const BODY = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"ok":true}', refusal: null } }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});

/** A minimal OpenAI-compatible fake on 127.0.0.1 answering every chat completion at once. */
async function fakeOpenAi(): Promise<{ baseURL: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(BODY));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { baseURL: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, server };
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
  const { baseURL, server } = await fakeOpenAi();
  try {
    const { id: _id, ...entry } = defaultModelRegistry().models.find((m) => m.id === 'openai:gpt-4o-mini') as ModelInfo;
    // No rpm/tpm limit here: the benchmark sends far more than a real deployment's minute allows.
    const registry = registryFrom({ models: [{ ...entry, rpm: 0, tpm: 0 }] });
    const providers = { openai: { apiKey: KEY, baseURL } };
    const gw = new LlmGateway({ registry, providers, cache: { enabled: false } });
    const cached = new LlmGateway({ registry, providers });
    const raw = new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0 });
    const schema = z.toJSONSchema(Plan) as Record<string, unknown>;
    const rawCall = (): Promise<unknown> =>
      raw.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, temperature: 0.4, max_completion_tokens: 600, response_format: { type: 'json_schema', json_schema: { name: 'tactics', strict: true, schema } } });
    const gwCall = (g: LlmGateway, i: number): Promise<unknown> => g.call({ operation: 'tactics', messages: [...MESSAGES, { role: 'user', content: `turn ${i}` }], schema: Plan, tenant: 'bench', room: 'r' });

    for (let i = 0; i < warm; i++) {
      await rawCall();
      await gwCall(gw, i);
    }
    gc();
    const rawMs: number[] = [];
    const gwMs: number[] = [];
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      await rawCall();
      rawMs.push(performance.now() - t);
      t = performance.now();
      await gwCall(gw, i);
      gwMs.push(performance.now() - t);
    }

    await gwCall(cached, -1);
    const hitMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await gwCall(cached, -1);
      hitMs.push(performance.now() - t);
    }

    const total = opts.smoke ? 300 : 5000;
    const throughput = async (fn: (i: number) => Promise<unknown>): Promise<number> => {
      let next = 0;
      const t = performance.now();
      await Promise.all(Array.from({ length: 100 }, async () => {
        while (next < total) await fn(next++);
      }));
      return total / ((performance.now() - t) / 1000);
    };
    const rawCps = await throughput(() => rawCall());
    const gwCps = await throughput((i) => gwCall(gw, i));

    const m: Record<string, number> = {
      overhead_p50_ms: round(quantile(gwMs, 0.5) - quantile(rawMs, 0.5), 4),
      overhead_p99_ms: round(quantile(gwMs, 0.99) - quantile(rawMs, 0.99), 4),
      cache_hit_p50_ms: round(quantile(hitMs, 0.5), 4),
      calls_per_s_c100: round(gwCps, 1),
      baseline_raw_p50_ms: round(quantile(rawMs, 0.5), 4),
      baseline_raw_p99_ms: round(quantile(rawMs, 0.99), 4),
      gateway_p50_ms: round(quantile(gwMs, 0.5), 4),
      gateway_p99_ms: round(quantile(gwMs, 0.99), 4),
      baseline_raw_calls_per_s_c100: round(rawCps, 1),
      throughput_ratio_c100: round(gwCps / rawCps, 3),
    };
    console.table(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v }])));
    return m;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
