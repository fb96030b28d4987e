import type { RunReport } from './runReport.ts';
import type { TimelineEntry } from './runTimeline.ts';

/** Timeline entries printed in full on the terminal; a longer timeline shows its start and end. */
const TERMINAL_ENTRIES = 60;

/** One timeline entry as a sentence (without its tick). */
export function entryText(e: TimelineEntry): string {
  switch (e.kind) {
    case 'death':
      return `${e.victim}${e.pack ? ` (${e.pack})` : ''} killed by ${e.killer}, last blow ${e.damage}`;
    case 'trigger':
      return `trigger '${e.trigger}' fired${e.when ? ` (${e.when})` : ''}: ${e.actions.join('; ') || 'no actions'}`;
    case 'plan':
      return `${e.pack}: ${/^[aeiou]/.test(e.formation) ? 'an' : 'a'} ${e.formation} plan from ${e.source}${e.battleCry ? `: "${e.battleCry}"` : ''}`;
    case 'outcome':
      return e.result === 'none' ? `end: ${e.reason}` : `${e.result.toUpperCase()}: ${e.reason}`;
  }
}

/** The label of an entry's kind, as the timeline's second column shows it. */
export const ENTRY_LABEL: Record<TimelineEntry['kind'], string> = { death: 'death', trigger: 'trigger', plan: 'plan', outcome: 'outcome' };

const pct = (a: number, b: number): string => (b > 0 ? `${Math.round((a / b) * 100)} %` : 'n/a');

/** A table of rows with left-aligned columns. */
function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => `  ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ')}`.trimEnd();
  return [line(head), ...rows.map(line)];
}

/** Packs listed in full on the terminal; beyond, untouched packs are counted and the rest cut. */
const TERMINAL_PACKS = 20;

function survivorLines(r: RunReport): string[] {
  if (r.survivors.length === 0) return ['  no packs'];
  const many = r.survivors.length > TERMINAL_PACKS;
  const touched = many ? r.survivors.filter((p) => p.alive < p.total || p.hp < p.maxHp) : r.survivors;
  const shown = touched.slice(0, 2 * TERMINAL_PACKS);
  const lines = shown.length ? table(['pack', 'species', 'side', 'alive', 'hp left'], shown.map((p) => [p.pack, p.species.toLowerCase(), p.side, `${p.alive}/${p.total}`, `${p.hp}/${p.maxHp} (${pct(p.hp, p.maxHp)})`])) : [];
  if (touched.length > shown.length) lines.push(`  … ${touched.length - shown.length} more packs that lost hp or members (all of them in --report and --html)`);
  const untouched = r.survivors.length - touched.length;
  if (untouched > 0) lines.push(`  ${untouched} other packs untouched (every member alive at full hp)`);
  return lines;
}

/** The terminal's timeline, survivors per pack and the players' end state. */
export function detailLines(r: RunReport): string[] {
  const entries = r.timeline;
  const tw = String(entries[entries.length - 1]?.tick ?? 0).length;
  const row = (e: TimelineEntry): string => `  ${String(e.tick).padStart(Math.max(4, tw))}  ${ENTRY_LABEL[e.kind].padEnd(7)}  ${entryText(e)}`;
  const shown = entries.length <= TERMINAL_ENTRIES
    ? entries.map(row)
    : [...entries.slice(0, 40).map(row), `  … ${entries.length - 60} more entries (all of them in --report and --html) …`, ...entries.slice(-20).map(row)];
  const lines = [`timeline (tick, what):`, ...shown];
  if (r.timelineDropped) lines.push(`  (${r.timelineDropped} later entries were not kept)`);
  lines.push('survivors per pack:', ...survivorLines(r));
  lines.push('players:');
  if (r.players.length === 0) lines.push('  none');
  for (const p of r.players) {
    const state = p.alive ? `alive, hp ${p.hp}/${p.maxHp}` : `dead (killed by ${p.killedBy ?? 'unknown'})`;
    const died = p.deaths ? `, died ${p.deaths} time${p.deaths === 1 ? '' : 's'}` : '';
    lines.push(`  ${p.name}: ${state}; ${p.kills} kill${p.kills === 1 ? '' : 's'}, ${p.damageDealt} damage dealt${died}; at (${p.at.x}, ${p.at.y})`);
  }
  return lines;
}
