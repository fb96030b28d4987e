import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfigText } from '../../llm/index.ts';
import { formatIssues } from '../../shared/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, Plan } from './helpers.ts';

/** A model entry in the shape of llm/models.yaml. */
const entry = (provider: string, model: string, enabled = true): string =>
  `{ provider: ${provider}, model: ${model}, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2026-01-01 }, latencyMs: 900, quality: 0.6, enabled: ${enabled} }`;

function problems(text: string): string[] {
  const r = checkConfigText(text, 'test.yaml', process.cwd());
  return r.ok ? [] : r.issues.map((i) => formatIssues([i]));
}

describe('presets.<op>.model: the preferred model of one operation', () => {
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', usage: { input: 100, output: 10 } }));
    anthropic = await startFake('anthropic', () => ({ type: 'ok', text: '{"ok":true}', usage: { input: 100, output: 10 } }));
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  const ask = (gw: ReturnType<typeof gatewayFor>['gw'], operation: string, routing?: object) =>
    gw.call({ operation, messages: [{ role: 'user', content: 'plan' }], schema: Plan, ...(routing && { routing }) });

  it('goes first for that operation only; the usual order follows as fallbacks; a per-call routing still wins', async () => {
    const { gw } = gatewayFor([openai, anthropic], { cache: { enabled: false }, routing: { strategy: 'cost' } });
    expect((await ask(gw, 'tactics')).provider).toBe('openai'); // the cheapest, without a preference
    const { gw: tuned } = gatewayFor([openai, anthropic], { cache: { enabled: false }, routing: { strategy: 'cost' }, presets: { tactics: { model: 'anthropic:claude-haiku-4-5' } } });
    const r = await ask(tuned, 'tactics');
    expect(r.provider).toBe('anthropic');
    expect(r.decision?.chain.map((c) => c.id)).toEqual(['anthropic:claude-haiku-4-5', 'openai:gpt-4o-mini']);
    expect(r.record.routing).toMatch(/^pinned: anthropic:claude-haiku-4-5 /);
    expect((await ask(tuned, 'dialogue')).provider).toBe('openai');
    expect((await ask(tuned, 'tactics', { strategy: 'cost' })).provider).toBe('openai');
    expect(tuned.preset('tactics').model).toBe('anthropic:claude-haiku-4-5');
    // The preferred model failing: the next link answers.
    anthropic.queue({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    const fell = await ask(tuned, 'tactics');
    expect([fell.provider, fell.record.fallbackUsed]).toEqual(['openai', true]);
  });

  it('the config file: a model of a provider nobody configured, one the registry lacks or disables, is an error at its path', () => {
    expect(problems('presets:\n  tactics: { model: "grok:grok-4" }\n')).toEqual([expect.stringMatching(/^presets\.tactics\.model: unknown provider "grok"/)]);
    expect(problems('presets:\n  tactics: { model: gpt-4o-mini }\n')).toEqual(['presets.tactics.model: got "gpt-4o-mini"; expected a model id provider:model']);
    const models = `models:\n  entries:\n    - ${entry('openai', 'a')}\n    - ${entry('openai', 'b', false)}\n`;
    expect(problems(`${models}presets:\n  dialogue: { model: "openai:c" }\n`)).toEqual(['presets.dialogue.model: model openai:c is not in the model registry (models.entries)']);
    expect(problems(`${models}presets:\n  dialogue: { model: "openai:b" }\n`)).toEqual(['presets.dialogue.model: model openai:b is disabled in the model registry']);
    expect(problems(`${models}presets:\n  dialogue: { model: "openai:a" }\n`)).toEqual([]);
  });
});
