import { createRequire } from 'node:module';
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

/**
 * How a model's prompts are counted: OpenAI's own BPE for OpenAI models (`o200k_base` for GPT-4o, 4.1, 4.5, 5 and
 * the o-series; `cl100k_base` for GPT-4 and GPT-3.5), the character estimate for models whose tokenizer is not
 * published (Anthropic, Gemini, anything else).
 */
export type TokenizerName = 'o200k_base' | 'cl100k_base' | 'estimate';

/** OpenAI model names (also a fine-tune, `ft:gpt-4o-mini-2024-07-18:org::id`, or a router's `openai/gpt-4o`), whoever serves them. */
const OPENAI_MODEL = /^(?:gpt-|chatgpt-|chat-latest|o\d|codex-|computer-use-)/;

/** The tokenizer that counts `model`'s prompts; chosen by the model name, so an OpenAI-compatible proxy serving GPT-4o counts as OpenAI. */
export function tokenizerFor(m: { readonly provider: string; readonly model: string }): TokenizerName {
  const name = m.model.toLowerCase().replace(/^(?:ft:|openai\/)/, '');
  if (!OPENAI_MODEL.test(name)) return 'estimate';
  // gpt-4, gpt-4-turbo, gpt-4-0613 …, gpt-3.5-turbo: cl100k. gpt-4o, gpt-4.1, gpt-4.5 and everything newer: o200k.
  return /^gpt-3\.5|^gpt-4(?![o.])/.test(name) ? 'cl100k_base' : 'o200k_base';
}

/** The part of a gpt-tokenizer encoding module that counting needs. */
interface Encoding {
  countTokens(text: string, opts?: { disallowedSpecial?: Set<string> }): number;
}

/** Special-token text (`<|endoftext|>`) in a prompt is counted as the text it is, as the API does; never rejected. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens added per chat message by OpenAI's chat format (`<|start|>role<|message|>…<|end|>`), and to prime the reply. */
const OPENAI_PER_MESSAGE = 3;
const OPENAI_REPLY_PRIMING = 3;

export interface TokenCounterOptions {
  /** Texts whose counts are remembered per tokenizer (LRU; 0: none). Default 256. */
  readonly cacheEntries?: number;
  /** Longest text remembered, characters. Default 32 768. */
  readonly maxCachedChars?: number;
}

/** A chat message as counted; `name` is OpenAI's optional participant name (1 token more). */
export interface CountedMessage {
  readonly role: string;
  readonly content: string;
  readonly name?: string;
}

/**
 * Counts prompt tokens per model: exact for OpenAI models with gpt-tokenizer (the BPE ranks load on first use, about
 * 150–450 ms once, so a server with no OpenAI model never pays it; {@link preload} moves it to start-up), the
 * character estimate for the rest. Counts of repeated texts (a response schema, a fixed system prompt) are kept
 * in a small LRU per tokenizer.
 */
export class TokenCounter {
  private readonly encodings = new Map<TokenizerName, Encoding>();
  private readonly caches = new Map<TokenizerName, Map<string, number>>();
  private readonly cacheEntries: number;
  private readonly maxCachedChars: number;
  private readonly loadTimes: Partial<Record<TokenizerName, number>> = {};

  constructor(opts: TokenCounterOptions = {}) {
    this.cacheEntries = Math.max(0, Math.floor(opts.cacheEntries ?? 256));
    this.maxCachedChars = Math.max(0, Math.floor(opts.maxCachedChars ?? 32_768));
  }

  /** Load the encodings of these tokenizers now (e.g. at start-up for the configured models) rather than on the first call. */
  preload(tokenizers: Iterable<TokenizerName>): void {
    for (const t of tokenizers) if (t !== 'estimate') this.encoding(t);
  }

  /** Milliseconds each loaded encoding took to load in this counter (0 when another counter had loaded it). */
  get loaded(): Readonly<Partial<Record<TokenizerName, number>>> {
    return this.loadTimes;
  }

  /** Tokens of a text. */
  text(text: string, tokenizer: TokenizerName): number {
    if (tokenizer === 'estimate') return estimateTextTokens(text);
    if (text.length === 0) return 0;
    const cacheable = this.cacheEntries > 0 && text.length <= this.maxCachedChars;
    let cache: Map<string, number> | undefined;
    if (cacheable) {
      cache = this.caches.get(tokenizer);
      if (!cache) this.caches.set(tokenizer, (cache = new Map()));
      const hit = cache.get(text);
      if (hit !== undefined) {
        cache.delete(text);
        cache.set(text, hit); // most recently used last
        return hit;
      }
    }
    const n = this.encoding(tokenizer).countTokens(text, AS_TEXT);
    if (cache) {
      if (cache.size >= this.cacheEntries) cache.delete(cache.keys().next().value as string);
      cache.set(text, n);
    }
    return n;
  }

  /**
   * Prompt tokens of a chat request. OpenAI tokenizers: as the Chat Completions API bills it (3 per message, its
   * role, content and name (+1), the system text as the first message, 3 to prime the reply), plus the response
   * schema's JSON text (how the API frames a schema is not published: this is close, not exact). `estimate`: the
   * character estimate of {@link estimatePromptTokens}.
   */
  prompt(tokenizer: TokenizerName, system: string, messages: readonly CountedMessage[], schemaText = ''): number {
    if (tokenizer === 'estimate') return estimatePromptTokens(system, messages as readonly RenderedMessage[], schemaText);
    const msg = (role: string, content: string, name?: string): number =>
      OPENAI_PER_MESSAGE + this.text(role, tokenizer) + this.text(content, tokenizer) + (name === undefined ? 0 : this.text(name, tokenizer) + 1);
    let n = OPENAI_REPLY_PRIMING + this.text(schemaText, tokenizer);
    if (system.length > 0) n += msg('system', system);
    for (const m of messages) n += msg(m.role, m.content, m.name);
    return n;
  }

  /** One request's prompt, counted per tokenizer on demand (each at most once). */
  forPrompt(system: string, messages: readonly CountedMessage[], schemaText = ''): PromptTokens {
    return new PromptTokens(this, system, messages, schemaText);
  }

  private encoding(t: Exclude<TokenizerName, 'estimate'>): Encoding {
    let e = this.encodings.get(t);
    if (!e) {
      const t0 = performance.now();
      // Synchronous and on first use: the ranks are a large module, loaded only where an OpenAI model is counted.
      e = createRequire(import.meta.url)(`gpt-tokenizer/cjs/encoding/${t}`) as Encoding;
      this.loadTimes[t] = performance.now() - t0;
      this.encodings.set(t, e);
    }
    return e;
  }
}

/** A request's prompt tokens for each model, counted lazily once per tokenizer. */
export class PromptTokens {
  private readonly counts = new Map<TokenizerName, number>();

  constructor(
    private readonly counter: TokenCounter,
    private readonly system: string,
    private readonly messages: readonly CountedMessage[],
    private readonly schemaText: string,
  ) {}

  /** Prompt tokens as `model`'s provider counts them (exact for OpenAI models, the estimate otherwise). */
  of(model: { readonly provider: string; readonly model: string }): number {
    return this.by(tokenizerFor(model));
  }

  /** The largest count over these models (an upper bound valid for any of them); the estimate when there are none. */
  max(models: Iterable<{ readonly provider: string; readonly model: string }>): number {
    let n = -1;
    for (const m of models) n = Math.max(n, this.of(m));
    return n < 0 ? this.by('estimate') : n;
  }

  /** Prompt tokens by one tokenizer. */
  by(t: TokenizerName): number {
    let n = this.counts.get(t);
    if (n === undefined) {
      n = this.counter.prompt(t, this.system, this.messages, this.schemaText);
      this.counts.set(t, n);
    }
    return n;
  }
}
