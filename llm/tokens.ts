import type { RenderedMessage } from './types.ts';

/**
 * Characters per token for English-ish prompts with JSON: ~4 for OpenAI/Anthropic/Gemini BPE
 * tokenizers on prose, fewer on JSON and digits. We use 3.5 so estimates err high (budgets reserve an
 * upper bound, then settle with real usage).
 */
export const CHARS_PER_TOKEN = 3.5;

/** Overhead tokens per message (role markers, separators). */
const PER_MESSAGE = 4;

/** Estimated tokens of a text. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Estimated prompt tokens of a rendered request (system + messages + schema). */
export function estimatePromptTokens(system: string, messages: readonly RenderedMessage[], schemaText = ''): number {
  let n = estimateTextTokens(system) + PER_MESSAGE + estimateTextTokens(schemaText);
  for (const m of messages) n += estimateTextTokens(m.content) + PER_MESSAGE;
  return n;
}
