/** A chat role. `system` holds trusted instructions only; player text never goes there. */
export type Role = 'system' | 'user' | 'assistant';

/**
 * A piece of text that came from outside the trust boundary (a player, chat, a file): the guard
 * sanitises it, bounds its length and wraps it in delimiters the model is told never to obey.
 */
export interface UntrustedText {
  readonly kind: 'untrusted';
  /** Short label shown to the model, e.g. `player chat`. */
  readonly label: string;
  readonly text: string;
}

/** Message content: plain trusted text, or a list mixing trusted strings and untrusted parts. */
export type Content = string | ReadonlyArray<string | UntrustedText>;

/** One message of a request, as the caller writes it. */
export interface ChatMessage {
  readonly role: Role;
  readonly content: Content;
}

/** A message after the guard rendered it: plain text only. */
export interface RenderedMessage {
  readonly role: Role;
  readonly content: string;
}

/** Token usage of one provider response. */
export interface Usage {
  /** Prompt tokens, including cached ones. */
  readonly inputTokens: number;
  /** Of `inputTokens`, how many were served from the provider's prompt cache (cheaper). */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}

/** What an adapter receives: one attempt against one model. */
export interface ProviderRequest {
  readonly model: string;
  /** System text (trusted); adapters put it where their API wants it. */
  readonly system: string;
  /** user/assistant turns, oldest first. */
  readonly messages: readonly RenderedMessage[];
  /** Sampling temperature, 0..2. */
  readonly temperature: number;
  /** Upper bound on output tokens. */
  readonly maxTokens: number;
  /** JSON schema for native structured output, or undefined for free text. */
  readonly jsonSchema?: { readonly name: string; readonly schema: Record<string, unknown> };
  /** Per-attempt timeout in ms (the adapter also gets an AbortSignal that fires then). */
  readonly timeoutMs: number;
}

/** What an adapter returns. */
export interface ProviderResponse {
  readonly text: string;
  readonly usage: Usage;
  /** Provider's finish/stop reason, normalised to lower case (`stop`, `length`, …). */
  readonly finishReason: string;
}

/** One event of a streamed response. */
export type StreamEvent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'done'; readonly usage: Usage; readonly finishReason: string };

/** A cloud (or compatible) provider behind its SDK. */
export interface ProviderAdapter {
  /** Provider name as used in the registry (`openai`, `anthropic`, `gemini`). */
  readonly name: string;
  /** One attempt; throws a ProviderError on failure. */
  complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse>;
  /** One streamed attempt; throws a ProviderError on failure. */
  stream(req: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}
