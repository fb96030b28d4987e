import { GoogleGenAI } from '@google/genai';
import type { GenerateContentConfig, GenerateContentResponse } from '@google/genai';
import { ProviderError } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import type { ProviderAdapter, ProviderRequest, ProviderResponse, StreamEvent, Usage } from '../types.ts';
import { classifyError } from './classify.ts';
import type { ProviderConnection } from './openai.ts';

/**
 * Gemini generateContent through `@google/genai` 2.x (runs on Node 20). The key is always passed
 * (without one the SDK probes cloud metadata). JSON via `responseMimeType` + `responseJsonSchema`.
 * Base URL without version; the API version is `v1beta`.
 */
export class GeminiAdapter implements ProviderAdapter {
  readonly name: string;
  private readonly client: GoogleGenAI;
  private readonly redactor: Redactor;

  constructor(conn: ProviderConnection, redactor: Redactor, name = 'gemini') {
    this.name = name;
    this.redactor = redactor;
    redactor.add(conn.apiKey);
    this.client = new GoogleGenAI({ apiKey: conn.apiKey, httpOptions: { apiVersion: 'v1beta', ...(conn.baseURL ? { baseUrl: conn.baseURL } : {}) } });
  }

  private params(req: ProviderRequest, signal: AbortSignal): { model: string; contents: { role: string; parts: { text: string }[] }[]; config: GenerateContentConfig } {
    return {
      model: req.model,
      contents: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
      config: {
        ...(req.system ? { systemInstruction: req.system } : {}),
        temperature: req.temperature,
        maxOutputTokens: req.maxTokens,
        abortSignal: signal,
        httpOptions: { timeout: req.timeoutMs },
        ...(req.jsonSchema ? { responseMimeType: 'application/json', responseJsonSchema: req.jsonSchema.schema } : {}),
      },
    };
  }

  async complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    let res: GenerateContentResponse;
    try {
      res = await this.client.models.generateContent(this.params(req, signal));
    } catch (e) {
      throw classifyError(e, { provider: this.name, model: req.model, signal, redactor: this.redactor });
    }
    const cand = res?.candidates?.[0];
    const parts = cand?.content?.parts;
    const text = Array.isArray(parts) ? parts.map((p) => (typeof p.text === 'string' && !p.thought ? p.text : '')).join('') : undefined;
    if (!text) {
      throw new ProviderError({ provider: this.name, model: req.model, kind: 'invalid_output', message: `response has no text (finishReason ${String(cand?.finishReason ?? 'none')})` });
    }
    return { text, usage: geminiUsage(res.usageMetadata), finishReason: String(cand?.finishReason ?? 'unknown').toLowerCase() };
  }

  async *stream(req: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    let usage: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    let finish = 'unknown';
    try {
      const s = await this.client.models.generateContentStream(this.params(req, signal));
      for await (const chunk of s) {
        const cand = chunk.candidates?.[0];
        const text = (cand?.content?.parts ?? []).map((p) => (typeof p.text === 'string' && !p.thought ? p.text : '')).join('');
        if (text) yield { type: 'text', text };
        if (cand?.finishReason) finish = String(cand.finishReason).toLowerCase();
        if (chunk.usageMetadata) usage = geminiUsage(chunk.usageMetadata);
      }
    } catch (e) {
      throw classifyError(e, { provider: this.name, model: req.model, signal, redactor: this.redactor });
    }
    yield { type: 'done', usage, finishReason: finish };
  }
}

function geminiUsage(u: GenerateContentResponse['usageMetadata']): Usage {
  return { inputTokens: num(u?.promptTokenCount), cachedInputTokens: num(u?.cachedContentTokenCount), outputTokens: num(u?.candidatesTokenCount) };
}

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0;
}
