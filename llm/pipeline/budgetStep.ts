import { BudgetExceededError } from '../errors.ts';
import type { CallContext } from './callContext.ts';
import { refuseCloud } from './callContext.ts';
import type { GatewayParts } from './parts.ts';

/**
 * Budget step (the call's own limit): the output allowance is cut so prompt + output fit the call's token limit;
 * a prompt that leaves fewer than the preset's `minOutputTokens` is refused before anything is sent. The other
 * scopes (room, player, tenant, deployment) are reserved atomically per attempt (see Accounting).
 */
export function budgetStep(g: GatewayParts, c: CallContext): void {
  if (!c.cloud) return;
  const budgets = g.accounting.budgets;
  const p = c.preset;
  const maxOut = Math.min(p.maxTokens, (budgets.config.call?.tokens?.hard ?? Infinity) - c.inputTokens);
  const least = Math.min(p.minOutputTokens, p.maxTokens);
  const level = budgets.callLevel(c.inputTokens + (maxOut < least ? p.maxTokens : maxOut), 0);
  if (level.level === 'hard') {
    const err = new BudgetExceededError('call', level.metric ?? 'tokens', `${level.detail ?? ''} (prompt ${c.inputTokens} tokens, at least ${least} output tokens)`);
    return refuseCloud(c, err.message, err);
  }
  c.maxOut = maxOut;
  c.callSoft = level.level === 'soft';
}
