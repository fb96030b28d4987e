import { LlmError } from '../errors.ts';
import type { CallContext } from './callContext.ts';
import { refuseCloud } from './callContext.ts';
import type { GatewayParts } from './parts.ts';

/**
 * Tier step: who the call is accounted to, whether the tier lets the layer reach the cloud at all, and one call
 * counted against the tier's hourly and daily limits (per player, or per tenant when the call names no player).
 */
export async function tierStep(g: GatewayParts, c: CallContext): Promise<void> {
  const req = c.req;
  c.tierDef = c.tierName !== undefined ? g.tiers.tier(c.tierName) : undefined;
  c.subject = {
    tenant: c.tenant,
    room: req.room,
    ...(req.player !== undefined && { player: req.player }),
    ...(c.tierDef?.budget && { tierBudget: c.tierDef.budget }),
    ...(req.roomBudget && { roomBudget: req.roomBudget }),
  };
  if (!c.cloud || c.tierName === undefined) return;
  const layer = c.preset.layer;
  if (!g.tiers.cloudAllowed(c.tierName, layer)) return refuseCloud(c, `tier ${c.tierName}: no cloud calls for ${layer}`);
  try {
    await g.tiers.take(req.player ?? c.tenant, c.tierName, layer, g.clock.now());
  } catch (e) {
    if (!(e instanceof LlmError)) throw e;
    refuseCloud(c, e.message, e);
  }
}
