import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor } from './helpers.ts';

/** Collect a stream's chunks and its result. */
async function drain(s: AsyncIterable<string> & { result: Promise<{ provider: string; cached: boolean; record: { fallbackReason: string | undefined } }> }) {
  const chunks: string[] = [];
  for await (const c of s) chunks.push(c);
  return { chunks, result: await s.result };
}

describe('one admission path: streams go through the same steps as calls', () => {
  let openai: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'stream', chunks: ['Well ', 'met, ', 'traveller.'], usage: { input: 50, output: 6 } }));
  });
  afterAll(async () => openai.close());

  it("a stream honours the call's own token budget (the old stream path skipped it)", async () => {
    openai.requests.length = 0;
    const { gw } = gatewayFor([openai], { budgets: { call: { tokens: { hard: 20 } } } });
    gw.registerLocal('dialogue', () => 'Hm.');
    const { chunks, result } = await drain(gw.stream({ operation: 'dialogue', messages: [{ role: 'user', content: 'Tell me the long story of this village, from its founding to this very day.' }] }));
    expect(chunks).toEqual(['Hm.']);
    expect(result.provider).toBe('local');
    expect(result.record.fallbackReason).toMatch(/budget exceeded: call tokens hard limit/);
    expect(openai.requests).toHaveLength(0);
  });

  it('a stream of a cacheable operation is served from the cache the second time (the old stream path skipped it)', async () => {
    openai.requests.length = 0;
    const { gw } = gatewayFor([openai], { presets: { greeting: { cacheable: true, cacheTtlMs: 60_000 } } });
    const ask = () => gw.stream({ operation: 'greeting', messages: [{ role: 'user', content: 'hello' }] });
    const first = await drain(ask());
    expect(first.chunks.join('')).toBe('Well met, traveller.');
    expect(first.result.cached).toBe(false);
    const second = await drain(ask());
    expect(second.chunks.join('')).toBe('Well met, traveller.');
    expect(second.result.cached).toBe(true);
    expect(openai.requests).toHaveLength(1);
  });

  it('a consumer that stops early cancels the stream', async () => {
    openai.requests.length = 0;
    const { gw } = gatewayFor([openai]);
    const s = gw.stream({ operation: 'dialogue', messages: [{ role: 'user', content: 'hi' }] });
    for await (const c of s) {
      expect(c).toBe('Well ');
      break;
    }
    await expect(s.result).rejects.toThrow(/abort/i);
  });
});
