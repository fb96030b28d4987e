import { BudgetExceededError } from '../errors.ts';
import type { ModelInfo } from '../registry.ts';
import type { RoutingOptions } from '../router.ts';
import type { CallContext } from './callContext.ts';
import type { GatewayParts } from './parts.ts';

/**
 * Route step: the chain of models for the call. The operation's preferred model (preset `model`) comes first, the
 * configured order after it. A passed soft budget (the call's, or any scope's) routes to the
 * cheapest; a hard per-call cost limit excludes models whose estimate is above it.
 */
export async function routeStep(g: GatewayParts, c: CallContext): Promise<void> {
  if (!c.cloud) return;
  const req = c.req;
  const callLimits = g.accounting.budgets.config.call;
  // The operation's preferred model (presets.<op>.model) pins it first; a per-call routing still has the last word.
  const preferred = c.preset.model;
  let routing: RoutingOptions = { ...g.opts.routing, ...(preferred !== undefined && { strategy: 'pinned' as const, pinned: preferred }), ...req.routing };
  const maxCost = callLimits?.costUsd?.hard;
  if (maxCost !== undefined) routing = { ...routing, constraints: { ...routing.constraints, maxCostUsd: Math.min(maxCost, routing.constraints?.maxCostUsd ?? Infinity) } };
  const soft = g.hasSoftBudgets ? await g.accounting.softPassed(c.subject) : undefined;
  if (soft || c.callSoft) {
    routing = { ...routing, strategy: 'cost' };
    g.log('warn', { tenant: c.tenant, room: req.room, operation: req.operation, budget: soft ?? 'call' }, 'soft budget passed: routing to the cheapest model');
  }
  const counted = c.counted;
  const rreq = { inputTokens: c.inputTokens, ...(counted && { inputTokensOf: (m: ModelInfo) => counted.of(m) }), maxTokens: c.maxOut, needsJson: c.schema !== undefined, needsStreaming: c.sink !== undefined };
  let decision = g.router.route(rreq, routing);
  const softCost = callLimits?.costUsd?.soft;
  if (softCost !== undefined && routing.strategy !== 'cost' && (decision.chain[0]?.estCostUsd ?? 0) > softCost) decision = g.router.route(rreq, { ...routing, strategy: 'cost' });
  if (soft) decision = { ...decision, reason: `soft budget passed (${soft}); ${decision.reason}` };
  if (decision.chain.length === 0 && maxCost !== undefined && decision.excluded.some((e) => e.reason.includes('> max $'))) {
    const err = new BudgetExceededError('call', 'cost', `every model's estimate > $${maxCost}`);
    c.st.refusal ??= err;
    c.st.fallbackReason ??= err.message;
  }
  c.decision = decision;
}
