/**
 * NPC roles in the designer overlay: under each NPC's name, its role and stance (how it behaves in danger), so a
 * designer sees at a glance who runs and who defends.
 */
import type { PlanOverlay } from './plans.ts';

/** Label colour per stance: guards warm, peaceful folk green, anything else grey. */
export function stanceColour(stance: string): string {
  return stance === 'guard' ? '#ffb347' : stance === 'peaceful' ? '#9be564' : '#cccccc';
}

/** `village guard · guard`, `blacksmith · peaceful`; just one of them when the other is missing or the same. */
export function roleText(role: string, stance: string): string {
  if (!role || role === stance) return stance;
  return stance ? `${role} · ${stance}` : role;
}

type Drawn = { readonly e: { readonly role?: string; readonly stance?: string }; readonly x: number; readonly y: number };

/**
 * A label under the name of each drawn entity that has a role or stance (NPCs), where the plan overlay puts a pack
 * member's order: NPCs are never in a pack, so the two never meet.
 */
export function roleLabels(drawn: readonly Drawn[]): PlanOverlay['labels'][number][] {
  const out: PlanOverlay['labels'][number][] = [];
  for (const { e, x, y } of drawn) {
    const text = roleText(e.role ?? '', e.stance ?? '');
    if (text) out.push({ at: { x, y: y + 1.45 }, text, colour: stanceColour(e.stance ?? ''), title: false });
  }
  return out;
}

/** `overlay` with the role labels of `drawn` added after its own. */
export function withRoleLabels(overlay: PlanOverlay, drawn: readonly Drawn[]): PlanOverlay {
  const roles = roleLabels(drawn);
  return roles.length ? { arrows: overlay.arrows, labels: [...overlay.labels, ...roles] } : overlay;
}
