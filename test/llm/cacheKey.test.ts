import { describe, expect, it } from 'vitest';
import { cacheKey, MAX_CACHE_KEY_CHARS } from '../../llm/index.ts';
import { ValidationError } from '../../shared/index.ts';

describe("the response cache key from a caller's own key", () => {
  const parts = { operation: 'tactics', schema: { type: 'object' }, temperature: 0.4, maxTokens: 600 };

  it('depends on the key, the operation, the schema and the parameters, never on the messages', () => {
    const k = cacheKey({ ...parts, key: 'situation A' });
    expect(cacheKey({ ...parts, key: 'situation A' })).toBe(k);
    expect(k.startsWith('tactics:k:')).toBe(true);
    for (const other of [
      { ...parts, key: 'situation B' },
      { ...parts, operation: 'dialogue', key: 'situation A' },
      { ...parts, schema: { type: 'array' }, key: 'situation A' },
      { ...parts, temperature: 0.9, key: 'situation A' },
      { ...parts, maxTokens: 100, key: 'situation A' },
    ]) expect(cacheKey(other)).not.toBe(k);
  });

  it('never collides with a key made from messages, even when the text is the same', () => {
    const text = 'situation A';
    expect(cacheKey({ ...parts, key: text })).not.toBe(cacheKey({ ...parts, messages: [{ role: 'user', content: text }] }));
  });

  it('refuses an empty or oversized key with an error naming cacheKey', () => {
    expect(() => cacheKey({ ...parts, key: '' })).toThrow(ValidationError);
    expect(() => cacheKey({ ...parts, key: 'x'.repeat(MAX_CACHE_KEY_CHARS + 1) })).toThrow(/cacheKey: expected a non-empty string of at most 8192 characters, got 8193 characters/);
    expect(() => cacheKey({ ...parts, key: 'x'.repeat(MAX_CACHE_KEY_CHARS) })).not.toThrow();
  });
});
