import type { Reservation } from '../accounting.ts';
import type { ModelInfo } from '../registry.ts';
import type { Usage } from '../types.ts';
import type { CallContext } from './callContext.ts';
import type { GatewayParts } from './parts.ts';

/** Settle step: turn an attempt's reservation into its real usage; returns what the attempt cost (USD). */
export async function settleStep(g: GatewayParts, c: CallContext, res: Reservation, model: ModelInfo, usage: Usage): Promise<number> {
  const u = c.st.usage;
  u.inputTokens += usage.inputTokens;
  u.outputTokens += usage.outputTokens;
  u.cachedInputTokens += usage.cachedInputTokens;
  let usd = 0;
  try {
    usd = await g.accounting.settle(res, model, usage);
  } catch (e) {
    g.log('warn', { error: g.redactor.text(String((e as Error)?.message)) }, 'settling a reservation failed');
  }
  c.st.costUsd += usd;
  return usd;
}
