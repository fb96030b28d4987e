import type { ChatReply, ChatRequest, Mind, MindRequest, ReplyInput } from '../actors/index.ts';
import { extractEntities } from './entities.ts';
import type { IntentClassifier } from './intentClassifier.ts';
import { failReply } from './mindBatch.ts';
import { newStats } from './mindStats.ts';
import { parseChat } from './payloads.ts';
import type { ReplyContext } from './replyGrammar.ts';
import type { ReplyWriter } from './replyWriter.ts';
import { normalizeChat } from './text.ts';

/** One request of a chat batch, understood and answered locally (or refused: then only `reply`, an error). */
export interface PreparedChat {
  readonly reply: ReplyInput;
  /** What the reply was written from (absent for a refused request). */
  readonly context?: ReplyContext;
  readonly request?: ChatRequest;
}

/** Layer 3 dialogue: a tick's chat lines → one batched intent call → replies in character. */
export class ChatMind implements Mind {
  readonly stats = newStats();
  private readonly classifier: IntentClassifier;
  private readonly writer: ReplyWriter;

  constructor(classifier: IntentClassifier, writer: ReplyWriter) {
    this.classifier = classifier;
    this.writer = writer;
  }

  /** Classify lines (normalised and cut to 280 characters first). */
  async classify(texts: readonly string[]): Promise<{ text: string; intent: ChatReply['intent']; confidence: number }[]> {
    const norm = texts.map((t) => normalizeChat(t));
    const res = await this.classifier.classify(norm);
    return res.map((r, i) => ({ text: norm[i] as string, intent: r.intent, confidence: r.confidence }));
  }

  /**
   * Understand a batch (one intent call for all lines), extract what each line names, and write the local reply
   * of each: a reply or an error per request, in order. Cloud dialogue builds on this.
   */
  async prepare(requests: readonly MindRequest[], signal?: AbortSignal): Promise<PreparedChat[]> {
    const t0 = performance.now();
    const out: (PreparedChat | undefined)[] = new Array(requests.length);
    const ok: { i: number; request: ChatRequest; ctx: Omit<ReplyContext, 'intent' | 'confidence'> }[] = [];
    requests.forEach((r, i) => {
      if (signal?.aborted) {
        out[i] = { reply: failReply(r.requestId, 'aborted') };
        this.stats.errors++;
        return;
      }
      const parsed = parseChat(r.payload);
      if (!parsed.ok) {
        out[i] = { reply: failReply(r.requestId, parsed.error) };
        this.stats.errors++;
        return;
      }
      const c = parsed.value;
      const text = normalizeChat(c.text);
      const named = extractEntities(text);
      ok.push({
        i, request: c,
        ctx: {
          persona: c.persona, playerName: normalizeChat(c.playerName, 40), text, disposition: c.disposition, memory: c.memory, ...(c.sees && { sees: c.sees }),
          ...(named.name !== undefined && { givenName: named.name }), topics: [...named.places, ...named.items],
        },
      });
    });
    const intents = await this.classifier.classify(ok.map((o) => o.ctx.text));
    const contexts: ReplyContext[] = ok.map((o, k) => ({ ...o.ctx, intent: (intents[k] as { intent: ChatReply['intent'] }).intent, confidence: (intents[k] as { confidence: number }).confidence }));
    const written = await this.writer.write(contexts);
    ok.forEach((o, k) => {
      const c = contexts[k] as ReplyContext;
      const w = written[k] as { reply: string; source: 'model' | 'grammar' };
      const value: ChatReply = {
        intent: c.intent, confidence: c.confidence, reply: w.reply, heard: c.text, ...(c.givenName !== undefined && { givenName: c.givenName }),
        ...(c.topics?.length && { topics: c.topics }), source: w.source === 'model' ? 'model' : 'local',
      };
      out[o.i] = { reply: { requestId: (requests[o.i] as MindRequest).requestId, ok: true, value }, context: c, request: o.request };
      if ((intents[k] as { source: string }).source === 'fallback') this.stats.fallbacks++;
    });
    const ms = performance.now() - t0;
    Object.assign(this.stats, { requests: this.stats.requests + requests.length, batches: this.stats.batches + 1, lastBatchMs: ms, totalMs: this.stats.totalMs + ms });
    return out as PreparedChat[];
  }

  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    return (await this.prepare(requests, signal)).map((p) => p.reply);
  }

  /** Understand and answer plain chat requests (the same path as {@link serve}); invalid ones throw. */
  async answer(batch: readonly unknown[]): Promise<ChatReply[]> {
    const out = await this.serve(batch.map((payload, i) => ({ requestId: i, actor: 0, port: 'chat', payload, deadline: Infinity })));
    return out.map((r, i) => {
      if (!r.ok) throw new TypeError(`chat request ${i}: ${r.error}`);
      return r.value as ChatReply;
    });
  }
}
