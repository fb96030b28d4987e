import { z } from 'zod';
import { ManualClock, Rng } from '../../shared/index.ts';
import { LlmGateway, registryFrom } from '../../llm/index.ts';
import type { GatewayOptions, ModelRegistry } from '../../llm/index.ts';
import type { FakeKind, FakeProvider } from './fakeProvider.ts';

/** Test API keys: distinctive so a leak is easy to find. */
export const KEYS: Record<FakeKind, string> = {
  openai: 'fake-openai-key-SECRET-0123456789',
  anthropic: 'fake-anthropic-key-SECRET-0123456789',
  gemini: 'fake-gemini-key-SECRET-0123456789',
};

export const MODEL: Record<FakeKind, string> = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5', gemini: 'gemini-2.5-flash' };

/** One model per provider, prices from the reference table. */
export function testRegistry(over: Partial<Record<FakeKind, object>> = {}): ModelRegistry {
  const base = (provider: FakeKind, input: number, cached: number, output: number, latencyMs: number, quality: number): object => ({
    provider, model: MODEL[provider], capabilities: { json: true, streaming: true }, contextWindow: 128000,
    price: { input, cachedInput: cached, output, checked: '2026-01-01' }, latencyMs, quality, rpm: 0, tpm: 0, ...over[provider],
  });
  return registryFrom({ models: [base('openai', 0.15, 0.075, 0.6, 900, 0.62), base('anthropic', 1, 0.1, 5, 1100, 0.78), base('gemini', 0.3, 0.03, 2.5, 1200, 0.74)] });
}

/** The schema the tests ask for. */
export const Plan = z.object({ ok: z.boolean() }).strict();

/** A sleep that records delays and returns at once. */
export function sleepSpy(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

/** A gateway wired to the given fakes (and only them), a manual clock and a seeded rng. */
export function gatewayFor(fakes: readonly FakeProvider[], opts: Partial<GatewayOptions> = {}): { gw: LlmGateway; clock: ManualClock; delays: number[] } {
  const clock = new ManualClock(1_700_000_000_000);
  const spy = sleepSpy();
  const providers = Object.fromEntries(fakes.map((f) => [f.kind, { apiKey: KEYS[f.kind], baseURL: f.baseURL }]));
  const gw = new LlmGateway({ registry: testRegistry(), providers, clock, rng: Rng.create('test'), sleep: spy.sleep, ...opts });
  gw.registerLocal('*', () => ({ ok: false }));
  return { gw, clock, delays: spy.delays };
}
