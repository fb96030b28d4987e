import { AllProvidersFailedError } from '../errors.ts';
import type { CallResult } from '../gatewayTypes.ts';
import { attemptStep } from './attemptStep.ts';
import { budgetStep } from './budgetStep.ts';
import { cacheLookup, cacheStore } from './cacheStep.ts';
import type { CallContext } from './callContext.ts';
import { guardStep } from './guardStep.ts';
import { localStep } from './localStep.ts';
import { now } from './parts.ts';
import type { GatewayParts } from './parts.ts';
import { closeSpan, fail, failures, finish } from './recordStep.ts';
import { routeStep } from './routeStep.ts';
import { tierStep } from './tierStep.ts';

/**
 * The one admission path of every call and stream: validate (in {@link createContext}), guard, cache, tier, budget,
 * route, then each link of the chain (attempt, settle), the local handler last, and the record. Cache hits come
 * before the tier step: they cost nothing, so they use no tier limit.
 */
export async function runCall(g: GatewayParts, c: CallContext): Promise<CallResult<unknown>> {
  try {
    return await steps(g, c);
  } catch (e) {
    closeSpan(c, { outcome: 'error', costUsd: c.st.costUsd, error: e }); // an abort or a throwing step
    throw e;
  }
}

async function steps(g: GatewayParts, c: CallContext): Promise<CallResult<unknown>> {
  guardStep(g, c);
  const hit = await cacheLookup(g, c);
  if (hit) {
    if (c.sink) c.sink(typeof hit.v === 'string' ? hit.v : JSON.stringify(hit.v));
    return finish(g, c, { provider: hit.p, model: hit.m, cached: true, routing: 'cache hit', fallback: false }, hit.v);
  }
  await tierStep(g, c);
  budgetStep(g, c);
  await routeStep(g, c);
  const st = c.st;
  for (const [k, link] of (c.decision?.chain ?? []).entries()) {
    if (!c.cloud) break;
    if (now() >= st.deadlineAt - 1) {
      st.fallbackReason ??= 'deadline';
      break;
    }
    const out = await attemptStep(g, c, link);
    if (out.ok) {
      cacheStore(g, c, out.value, link.provider, link.model);
      return finish(g, c, { provider: link.provider, model: link.model, cached: false, routing: c.decision?.reason ?? '', fallback: k > 0 }, out.value);
    }
    if (out.fatal) return fail(g, c, out.fatal);
    st.fallbackReason ??= `${link.id}: ${out.reason}`;
  }
  const local = await localStep(g, c);
  if (local.ok) {
    if (c.sink) c.sink(local.value as string);
    const tried = (c.decision?.chain.length ?? 0) > 0;
    return finish(g, c, { provider: 'local', model: c.req.operation, cached: false, routing: c.decision?.reason ?? 'local only', fallback: tried || st.fallbackReason !== undefined }, local.value);
  }
  if (local.error) return fail(g, c, local.error);
  if (st.refusal) return fail(g, c, st.refusal, 'refused');
  const handler = g.local.handler(c.req.operation);
  return fail(g, c, new AllProvidersFailedError(failures(c, handler ? 'local fallback disabled' : 'no local handler'), { cause: st.lastError }));
}
