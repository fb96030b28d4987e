import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/index.ts';
import { defaultModelRegistry, parseRegistry } from '../../llm/index.ts';

describe('model registry', () => {
  it('loads the shipped llm/models.yaml with prices and dates', () => {
    const r = defaultModelRegistry();
    const mini = r.models.find((m) => m.id === 'openai:gpt-4o-mini');
    expect(mini?.price).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6, checked: '2025-07-04' });
    expect(r.models.map((m) => m.provider)).toEqual(expect.arrayContaining(['openai', 'anthropic', 'gemini']));
    for (const m of r.models) expect(m.price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('names the bad field in errors', () => {
    const yaml = `models:
  - provider: openai
    model: a
    capabilities: { json: true, streaming: true }
    contextWindow: 1000
    price: { input: -1, cachedInput: 0, output: 1, checked: 2025-01-01 }
    latencyMs: 100
    quality: 0.5
`;
    const e = (() => {
      try {
        parseRegistry(yaml, 'models.yaml');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/^invalid models\.yaml: models\[0\]\.price\.input: /);
    expect(() => parseRegistry('models:\n  - provider: openai\n    model: a\n    qualty: 1\n')).toThrow(/models\[0\]/);
    expect(() => parseRegistry('{"models": [}')).toThrow(/YAML syntax error at line 1, column 13: .*\n {2}1 \| \{"models": \[\}\n {4}\| {13}\^/);
  });

  it('accepts JSON and rejects duplicates and a listed local provider', () => {
    const m = { provider: 'openai', model: 'x', capabilities: { json: true, streaming: false }, contextWindow: 10, price: { input: 1, cachedInput: 1, output: 1, checked: '2025-01-01' }, latencyMs: 1, quality: 1 };
    expect(parseRegistry(JSON.stringify({ models: [m] })).models[0]).toMatchObject({ id: 'openai:x', enabled: true, rpm: 0 });
    expect(() => parseRegistry(JSON.stringify({ models: [m, m] }))).toThrow('models[1]: duplicate model openai:x');
    expect(() => parseRegistry(JSON.stringify({ models: [{ ...m, provider: 'local' }] }))).toThrow('models[0].provider');
  });
});
