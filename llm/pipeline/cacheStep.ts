import { cacheKey } from '../cache.ts';
import type { CallContext } from './callContext.ts';
import type { GatewayParts } from './parts.ts';

/** What the cache keeps for a reply: the validated value and who produced it. */
interface CachedReply {
  readonly v: unknown;
  readonly p: string;
  readonly m: string;
}

/** Cache step (lookup): a reply for the same request, or undefined. Cache hits cost nothing and use no tier limit. */
export async function cacheLookup(g: GatewayParts, c: CallContext): Promise<CachedReply | undefined> {
  const p = c.preset;
  if (!g.cacheEnabled || !p.cacheable || p.cacheTtlMs <= 0) return undefined;
  // A caller that knows when two prompts deserve one answer (a quantised situation) names the key itself.
  const parts = { operation: c.req.operation, schema: c.jsonSchema, temperature: p.temperature, maxTokens: p.maxTokens };
  c.cacheKey = cacheKey(c.req.cacheKey !== undefined ? { ...parts, key: c.req.cacheKey } : { ...parts, messages: c.req.messages });
  const hit = g.cache.get(c.cacheKey);
  const v = hit instanceof Promise ? await hit : hit;
  return v === undefined ? undefined : (v as CachedReply);
}

/** Cache step (store): keep a cloud reply for the preset's TTL. */
export function cacheStore(g: GatewayParts, c: CallContext, value: unknown, provider: string, model: string): void {
  if (c.cacheKey === undefined) return;
  const reply: CachedReply = { v: value, p: provider, m: model };
  void g.cache.set(c.cacheKey, reply, c.preset.cacheTtlMs);
}
