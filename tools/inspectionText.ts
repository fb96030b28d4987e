import type { InspectionSections } from '../rooms/index.ts';

/** An inspection's sections as terminal text: one heading per section, rows indented under it. */
export function inspectionText(s: InspectionSections): string {
  const out: string[] = [];
  const head = (title: string): void => {
    out.push('', title);
  };
  const row = (label: string, value: string): void => {
    out.push(`  ${label.padEnd(14)} ${value}`);
  };
  const m = s.summary;
  out.push(`${m.name} (#${m.id}) · ${[m.kind, m.species || m.role].filter(Boolean).join(', ')} · ${m.alive ? `hp ${m.hp}` : 'dead'} · tick ${m.tick}`);
  if (m.where) out.push(`  ${m.where.words} (${m.where.x.toFixed(1)}, ${m.where.y.toFixed(1)})`);
  if (m.pack) out.push(`  in ${m.pack}`);
  head('State');
  for (const r of s.state) row(r.label, r.value);
  head('Order and plan');
  row('order', s.orderAndPlan.order ?? 'none');
  row('plan', s.orderAndPlan.plan ?? 'none');
  if (s.orderAndPlan.planSource) row('from', s.orderAndPlan.planSource);
  if (s.orderAndPlan.pending.length) row('waiting on', s.orderAndPlan.pending.join(', '));
  head('Recent decisions');
  if (!s.decisions.length) out.push('  none yet');
  for (const d of s.decisions) {
    const target = d.target ? ` → ${d.target.name} (#${d.target.id})` : '';
    const verdict = d.followed === null ? '' : d.followed ? ' · followed' : ' · not followed';
    out.push(`  tick ${d.tick} ${d.kind}: ${d.decided}${target}${verdict}`);
    if (d.reason) out.push(`      why: ${d.reason}`);
    if (d.outcome) out.push(`      then: ${d.outcome}`);
  }
  head('Memory');
  if (!s.memory.length) out.push('  no one yet');
  for (const mem of s.memory) {
    out.push(`  ${mem.player.name} (#${mem.player.id}): disposition ${mem.disposition.toFixed(2)}, ${mem.exchanges} exchanges, last at tick ${mem.lastTick}`);
    if (mem.summary) out.push(`      ${mem.summary}`);
    for (const l of mem.lines) out.push(`      tick ${l.tick} ${l.who}: ${l.text}`);
  }
  head('Persona');
  if (!s.persona.length) out.push('  none');
  for (const r of s.persona) row(r.label, r.value);
  head('Failures');
  out.push(`  ${s.failures.count} in all`);
  for (const l of s.failures.lines) out.push(`  ${l}`);
  return out.join('\n');
}
