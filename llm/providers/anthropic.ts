import Anthropic from '@anthropic-ai/sdk';
import { ProviderError } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import type { ProviderAdapter, ProviderRequest, ProviderResponse, StreamEvent, Usage } from '../types.ts';
import { classifyError } from './classify.ts';
import type { ProviderConnection } from './openai.ts';

/**
 * Anthropic messages through `@anthropic-ai/sdk` (own retries off: it would otherwise sleep on any
 * Retry-After, however long). JSON via `output_config.format`. Base URL without `/v1`.
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly name: string;
  private readonly client: Anthropic;
  private readonly redactor: Redactor;

  constructor(conn: ProviderConnection, redactor: Redactor, name = 'anthropic') {
    this.name = name;
    this.redactor = redactor;
    redactor.add(conn.apiKey);
    this.client = new Anthropic({ apiKey: conn.apiKey, baseURL: conn.baseURL, maxRetries: 0, timeout: 600_000 });
  }

  private body(req: ProviderRequest): Anthropic.MessageCreateParamsNonStreaming {
    return {
      model: req.model,
      max_tokens: req.maxTokens,
      temperature: Math.min(1, req.temperature),
      ...(req.system ? { system: req.system } : {}),
      messages: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'assistant' : 'user', content: m.content })),
      ...(req.jsonSchema ? { output_config: { format: { type: 'json_schema', schema: req.jsonSchema.schema } } } : {}),
    } as Anthropic.MessageCreateParamsNonStreaming;
  }

  async complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    let res: Anthropic.Message;
    try {
      res = await this.client.messages.create(this.body(req), { signal, timeout: req.timeoutMs });
    } catch (e) {
      throw classifyError(e, { provider: this.name, model: req.model, signal, redactor: this.redactor });
    }
    const blocks = Array.isArray(res?.content) ? res.content : undefined;
    const texts = blocks?.filter((b): b is Anthropic.TextBlock => b?.type === 'text').map((b) => b.text);
    if (!texts || texts.length === 0) {
      throw new ProviderError({ provider: this.name, model: req.model, kind: 'invalid_output', message: 'response has no text content block' });
    }
    return { text: texts.join(''), usage: anthropicUsage(res.usage), finishReason: String(res.stop_reason ?? 'unknown').toLowerCase() };
  }

  async *stream(req: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    let input = 0;
    let cached = 0;
    let output = 0;
    let finish = 'unknown';
    try {
      const s = await this.client.messages.create({ ...this.body(req), stream: true }, { signal, timeout: req.timeoutMs });
      for await (const ev of s) {
        if (ev.type === 'message_start') {
          input = num(ev.message.usage?.input_tokens) + num(ev.message.usage?.cache_read_input_tokens);
          cached = num(ev.message.usage?.cache_read_input_tokens);
          output = num(ev.message.usage?.output_tokens);
        } else if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
          yield { type: 'text', text: ev.delta.text };
        } else if (ev.type === 'message_delta') {
          output = num(ev.usage?.output_tokens) || output;
          if (ev.delta.stop_reason) finish = ev.delta.stop_reason.toLowerCase();
        }
      }
    } catch (e) {
      throw classifyError(e, { provider: this.name, model: req.model, signal, redactor: this.redactor });
    }
    yield { type: 'done', usage: { inputTokens: input, cachedInputTokens: cached, outputTokens: output }, finishReason: finish };
  }
}

function anthropicUsage(u: Anthropic.Usage | undefined): Usage {
  // Anthropic reports cache reads separately from input_tokens; our inputTokens includes them.
  const cached = num(u?.cache_read_input_tokens);
  return { inputTokens: num(u?.input_tokens) + cached, cachedInputTokens: cached, outputTokens: num(u?.output_tokens) };
}

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0;
}
