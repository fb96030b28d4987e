/**
 * The live inspector: while an actor is selected in designer mode it asks the admin API for that actor every
 * `everyMs` (one request in flight at most) and lays the answer out as sections a person reads (summary, state,
 * order and plan, recent decisions, memory, persona, failures). Stops when closed.
 */
import type { AdminResult } from './admin.ts';

/** One labelled line. */
interface Row {
  readonly label: string;
  readonly value: string;
}

interface NamedActor {
  readonly id: number;
  readonly name: string;
}

/** The `sections` of the admin API's inspection (see rooms/actorInspection.ts). */
export interface InspectionSections {
  readonly summary: {
    readonly id: number; readonly name: string; readonly kind: string; readonly species: string; readonly role: string; readonly hp: string; readonly alive: boolean;
    readonly where: { readonly words: string; readonly x: number; readonly y: number } | null; readonly tick: number; readonly status: string; readonly pack: string | null;
  };
  readonly state: readonly Row[];
  readonly orderAndPlan: { readonly order: string | null; readonly plan: string | null; readonly planSource: string | null; readonly pending: readonly string[] };
  readonly decisions: readonly { readonly tick: number; readonly kind: string; readonly decided: string; readonly target: NamedActor | null; readonly reason: string; readonly followed: boolean | null; readonly outcome: string }[];
  readonly memory: readonly { readonly player: NamedActor; readonly disposition: number; readonly exchanges: number; readonly summary: string; readonly lastTick: number; readonly lines: readonly { readonly tick: number; readonly who: string; readonly text: string }[] }[];
  readonly persona: readonly Row[];
  readonly failures: { readonly count: number; readonly lines: readonly string[] };
}

/** Milliseconds between refreshes while open. */
export const INSPECT_EVERY_MS = 500;

/** Fetches one actor's inspection (the admin call, or a fake in tests). */
export type FetchInspection = (actor: number) => Promise<AdminResult>;

export class LiveInspector {
  private actor: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  /** Refreshes that got an answer since the inspector last opened (for tests and the console). */
  refreshes = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly fetchOne: FetchInspection,
    private readonly everyMs = INSPECT_EVERY_MS,
  ) {}

  /** The actor being inspected, if open. */
  get open(): number | undefined {
    return this.actor;
  }

  /** Inspect `actor`, refreshing every `everyMs` until {@link close}. */
  show(actor: number): void {
    if (this.actor === actor && this.timer) return;
    this.close();
    this.actor = actor;
    this.refreshes = 0;
    this.el.dataset.actor = String(actor);
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.everyMs);
  }

  /** Stop refreshing. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.actor = undefined;
    delete this.el.dataset.actor;
  }

  private async refresh(): Promise<void> {
    const actor = this.actor;
    if (actor === undefined || this.busy) return;
    this.busy = true;
    try {
      const r = await this.fetchOne(actor);
      if (this.actor !== actor) return; // closed or moved on meanwhile
      if (!r.ok) {
        this.el.replaceChildren(para(r.error, 'error'));
        if (r.status === 404) this.close(); // gone from the world: nothing more to refresh
        return;
      }
      const sections = (r.body as { actor?: { sections?: InspectionSections } } | null)?.actor?.sections;
      if (!sections) {
        this.el.replaceChildren(para('The server sent no inspection sections (an older server?).', 'error'));
        return;
      }
      this.refreshes++;
      this.el.replaceChildren(...renderSections(sections));
      this.el.dataset.tick = String(sections.summary.tick);
    } finally {
      this.busy = false;
    }
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function para(text: string, className?: string): HTMLElement {
  return el('p', text, className);
}

function rows(list: readonly Row[]): HTMLElement {
  const dl = el('dl');
  for (const r of list) dl.append(el('dt', r.label), el('dd', r.value));
  return dl;
}

function section(name: string, title: string, ...body: HTMLElement[]): HTMLElement {
  const s = el('section', undefined, `inspect-section inspect-${name}`);
  s.dataset.section = name;
  s.append(el('h4', title), ...(body.length ? body : [para('—', 'empty')]));
  return s;
}

/** The sections as DOM nodes, in reading order. */
export function renderSections(s: InspectionSections): HTMLElement[] {
  const m = s.summary;
  const what = [m.kind, m.species, m.role].filter(Boolean).join(' · ');
  const summary = rows([
    { label: 'hp', value: `${m.hp}${m.alive ? '' : ' (dead)'}` },
    ...(m.where ? [{ label: 'where', value: `${m.where.words} (${m.where.x}, ${m.where.y})` }] : []),
    ...(m.pack ? [{ label: 'pack', value: m.pack }] : []),
    { label: 'status', value: m.status },
    { label: 'as of', value: `tick ${m.tick}` },
  ]);
  const head = el('div', undefined, 'inspect-title');
  head.append(el('b', `${m.name} (#${m.id})`), el('span', ` ${what}`));
  const op = s.orderAndPlan;
  const orderRows = [
    ...(op.order ? [{ label: 'order', value: op.order }] : []),
    ...(op.plan ? [{ label: 'plan', value: op.plan }] : []),
    ...(op.planSource ? [{ label: 'from', value: op.planSource }] : []),
    ...(op.pending.length ? [{ label: 'waiting', value: op.pending.join(', ') }] : []),
  ];
  const decisions = el('ol', undefined, 'decisions');
  for (const d of s.decisions) {
    const li = el('li');
    li.dataset.followed = d.followed === null ? 'n/a' : d.followed ? 'yes' : 'no';
    const verdict = d.followed === null ? '' : d.followed ? ' · followed' : ' · not followed';
    li.append(
      el('div', `tick ${d.tick} · ${d.kind}: ${d.decided}${d.target ? ` → ${d.target.name} (#${d.target.id})` : ''}${verdict}`, 'decision-head'),
      ...(d.outcome ? [el('div', d.outcome, 'decision-outcome')] : []),
      ...(d.reason ? [el('div', `why: ${d.reason}`, 'decision-reason')] : []),
    );
    decisions.append(li);
  }
  const memory: HTMLElement[] = s.memory.map((p) => {
    const box = el('div', undefined, 'memory-player');
    box.append(el('div', `${p.player.name} (#${p.player.id}) · disposition ${p.disposition} · ${p.exchanges} exchange${p.exchanges === 1 ? '' : 's'} · last at tick ${p.lastTick}`, 'memory-head'));
    if (p.summary) box.append(el('div', p.summary, 'memory-summary'));
    for (const l of p.lines) box.append(el('div', `tick ${l.tick} · ${l.who}: ${l.text}`, 'memory-line'));
    return box;
  });
  const failures = s.failures.count || s.failures.lines.length ? [para(`${s.failures.count} failure${s.failures.count === 1 ? '' : 's'}`), ...s.failures.lines.map((l) => para(l))] : [para('none')];
  return [
    section('summary', 'Summary', head, summary),
    section('state', 'State', ...(s.state.length ? [rows(s.state)] : [])),
    section('order', 'Order and plan', ...(orderRows.length ? [rows(orderRows)] : [para('no order, no plan')])),
    section('decisions', 'Recent decisions', ...(s.decisions.length ? [decisions] : [para('none yet')])),
    section('memory', 'Memory', ...(memory.length ? memory : [para('has spoken with no one')])),
    section('persona', 'Persona', ...(s.persona.length ? [rows(s.persona)] : [])),
    section('failures', 'Failures', ...failures),
  ];
}
