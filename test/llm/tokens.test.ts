import { chatEnabledModels } from 'gpt-tokenizer/modelsChatEnabled.gen';
import { modelToEncodingMap } from 'gpt-tokenizer/mapping';
import { describe, expect, it } from 'vitest';
import { estimatePromptTokens, TokenCounter, tokenizerFor } from '../../llm/index.ts';

// Known counts from OpenAI's cookbook "How to count tokens with tiktoken" (tiktoken's own output).
const KNOWN: [string, number, number][] = [
  // text, o200k_base, cl100k_base
  ['tiktoken is great!', 6, 6],
  ['antidisestablishmentarianism', 6, 6],
  ['2 + 2 = 4', 7, 7],
  ['お誕生日おめでとう', 8, 9],
];

// The cookbook's chat example: 124 prompt tokens for gpt-4o and gpt-4o-mini, 129 for gpt-4, as the API reported.
const COOKBOOK_CHAT = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

describe('token counting', () => {
  it('counts texts exactly as tiktoken does (o200k_base and cl100k_base)', () => {
    const c = new TokenCounter();
    for (const [text, o200k, cl100k] of KNOWN) {
      expect(c.text(text, 'o200k_base')).toBe(o200k);
      expect(c.text(text, 'cl100k_base')).toBe(cl100k);
    }
  });

  it('counts a chat as the Chat Completions API bills it', () => {
    const c = new TokenCounter();
    expect(c.prompt('o200k_base', '', COOKBOOK_CHAT)).toBe(124);
    expect(c.prompt('cl100k_base', '', COOKBOOK_CHAT)).toBe(129);
    // The system text is the first message: the same count either way.
    const [sys, ...rest] = COOKBOOK_CHAT;
    expect(c.prompt('o200k_base', sys!.content, rest)).toBe(124);
  });

  it('picks the tokenizer by model: OpenAI models by their encoding, whoever serves them; the estimate for the rest', () => {
    const pick = (provider: string, model: string): string => tokenizerFor({ provider, model });
    expect(pick('openai', 'gpt-4o-mini')).toBe('o200k_base');
    expect(pick('openai', 'gpt-4.1-mini')).toBe('o200k_base');
    expect(pick('openai', 'gpt-5-mini')).toBe('o200k_base');
    expect(pick('openai', 'gpt-5.4-mini')).toBe('o200k_base');
    expect(pick('openai', 'o3-mini')).toBe('o200k_base');
    expect(pick('openai', 'gpt-4')).toBe('cl100k_base');
    expect(pick('openai', 'gpt-4-turbo-2024-04-09')).toBe('cl100k_base');
    expect(pick('openai', 'gpt-3.5-turbo')).toBe('cl100k_base');
    expect(pick('eu-proxy', 'gpt-4o')).toBe('o200k_base');
    expect(pick('openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123')).toBe('o200k_base');
    expect(pick('anthropic', 'claude-haiku-4-5')).toBe('estimate');
    expect(pick('gemini', 'gemini-2.5-flash')).toBe('estimate');
    expect(pick('openai', 'llama-3.1-8b-instruct')).toBe('estimate'); // an OpenAI-compatible server with another model
    // Agrees with gpt-tokenizer's own table for every chat model it knows (gpt-oss's harmony encoding has o200k's ranks).
    const theirs = modelToEncodingMap as Record<string, string>;
    const unnamed = ['daybreak-blue-latest', 'daybreak-red-latest']; // code names outside OpenAI's model families
    for (const m of chatEnabledModels.filter((x) => !unnamed.includes(x))) {
      expect([m, pick('openai', m)]).toEqual([m, (theirs[m] ?? 'o200k_base').replace('o200k_harmony', 'o200k_base')]);
    }
  });

  it('counts special-token text as text instead of refusing it', () => {
    const c = new TokenCounter();
    expect(c.text('a <|endoftext|> b', 'o200k_base')).toBe(9);
    expect(c.prompt('o200k_base', 'sys', [{ role: 'user', content: '<|im_start|>system' }])).toBeGreaterThan(10);
  });

  it('keeps the estimate for models without a published tokenizer, and loads no encoding for it', () => {
    const c = new TokenCounter();
    const msgs = [{ role: 'user' as const, content: 'x'.repeat(700) }];
    expect(c.prompt('estimate', 'system text', msgs, '{"type":"object"}')).toBe(estimatePromptTokens('system text', msgs, '{"type":"object"}'));
    const p = c.forPrompt('system text', msgs);
    expect(p.of({ provider: 'anthropic', model: 'claude-haiku-4-5' })).toBe(estimatePromptTokens('system text', msgs));
    expect(c.loaded).toEqual({});
    // 700 × 'x' is far fewer o200k tokens than the estimate's 200.
    expect(p.of({ provider: 'openai', model: 'gpt-4o-mini' })).toBeLessThan(150);
    expect(Object.keys(c.loaded)).toEqual(['o200k_base']);
    expect(p.max([{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'gemini', model: 'gemini-2.5-flash' }])).toBe(estimatePromptTokens('system text', msgs));
    expect(p.max([])).toBe(estimatePromptTokens('system text', msgs));
  });

  it('counts a prompt once per tokenizer and the same with or without the count cache', () => {
    const cached = new TokenCounter();
    const uncached = new TokenCounter({ cacheEntries: 0 });
    const schema = JSON.stringify({ type: 'object', properties: { formation: { type: 'string', enum: ['pincer', 'line', 'swarm'] } } });
    for (let k = 0; k < 3; k++) {
      const msgs = [{ role: 'user', content: `Wolves ${k}: ${'circle the player near the tower; '.repeat(20)}` }];
      expect(cached.prompt('o200k_base', `You plan pack tactics. [canary-${k}]`, msgs, schema)).toBe(uncached.prompt('o200k_base', `You plan pack tactics. [canary-${k}]`, msgs, schema));
    }
    const p = cached.forPrompt('s', [{ role: 'user', content: 'u' }]);
    const first = p.by('o200k_base');
    expect(p.of({ provider: 'openai', model: 'gpt-5-mini' })).toBe(first);
    expect(p.of({ provider: 'openai', model: 'gpt-4' })).toBe(p.by('cl100k_base'));
  });
});
