import OpenAI from 'openai';
import { ProviderError } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import type { ProviderAdapter, ProviderRequest, ProviderResponse, StreamEvent, Usage } from '../types.ts';
import { classifyError } from './classify.ts';

/** Connection settings of a cloud provider. */
export interface ProviderConnection {
  readonly apiKey: string;
  /** Base URL (proxies, compatible endpoints, tests). OpenAI: including `/v1`. */
  readonly baseURL?: string;
}

/** OpenAI chat completions through the `openai` SDK (own retries off; JSON via `json_schema`). */
export class OpenAiAdapter implements ProviderAdapter {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly redactor: Redactor;

  constructor(conn: ProviderConnection, redactor: Redactor, name = 'openai') {
    this.name = name;
    this.redactor = redactor;
    redactor.add(conn.apiKey);
    this.client = new OpenAI({ apiKey: conn.apiKey, baseURL: conn.baseURL, maxRetries: 0, timeout: 600_000 });
  }

  private body(req: ProviderRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
    if (req.system) messages.push({ role: 'system', content: req.system });
    for (const m of req.messages) messages.push(m.role === 'assistant' ? { role: 'assistant', content: m.content } : { role: 'user', content: m.content });
    return {
      model: req.model,
      messages,
      temperature: req.temperature,
      max_completion_tokens: req.maxTokens,
      ...(req.jsonSchema ? { response_format: { type: 'json_schema', json_schema: { name: req.jsonSchema.name, strict: true, schema: req.jsonSchema.schema } } } : {}),
    };
  }

  async complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    let res: OpenAI.Chat.ChatCompletion;
    try {
      res = await this.client.chat.completions.create(this.body(req), { signal, timeout: req.timeoutMs });
    } catch (e) {
      throw classifyError(e, { provider: this.name, model: req.model, signal, redactor: this.redactor });
    }
    const choice = res?.choices?.[0];
    const text = choice?.message?.content;
    if (typeof text !== 'string') {
      const refusal = choice?.message?.refusal;
      throw new ProviderError({ provider: this.name, model: req.model, kind: 'invalid_output', message: refusal ? `refused: ${refusal.slice(0, 200)}` : 'response has no choices[0].message.content' });
    }
    return { text, usage: openAiUsage(res.usage), finishReason: String(choice?.finish_reason ?? 'unknown').toLowerCase() };
  }

  async *stream(req: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    let usage: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    let finish = 'unknown';
    try {
      const s = await this.client.chat.completions.create({ ...this.body(req), stream: true, stream_options: { include_usage: true } }, { signal, timeout: req.timeoutMs });
      for await (const chunk of s) {
        const c = chunk.choices?.[0];
        const delta = c?.delta?.content;
        if (delta) yield { type: 'text', text: delta };
        if (c?.finish_reason) finish = c.finish_reason.toLowerCase();
        if (chunk.usage) usage = openAiUsage(chunk.usage);
      }
    } catch (e) {
      throw classifyError(e, { provider: this.name, model: req.model, signal, redactor: this.redactor });
    }
    yield { type: 'done', usage, finishReason: finish };
  }
}

function openAiUsage(u: OpenAI.Completions.CompletionUsage | undefined | null): Usage {
  return {
    inputTokens: num(u?.prompt_tokens),
    cachedInputTokens: num(u?.prompt_tokens_details?.cached_tokens),
    outputTokens: num(u?.completion_tokens),
  };
}

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0;
}
