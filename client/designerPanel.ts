import { forkRoom, inspectActor, saveRoom, spawnScenario } from './admin.ts';
import { $ } from './byId.ts';
import type { EntityMirror } from './mirror.ts';
import type { PackPlan } from './plans.ts';
import { roleText } from './roles.ts';

/** What the designer panel needs from the page. */
export interface DesignerHost {
  readonly mirror: EntityMirror;
  readonly roomId: string;
  /** The selected actor, if any. */
  readonly selected: number | undefined;
  readonly packPlans: readonly PackPlan[];
  /** The server's HTTP origin (the admin API lives there). */
  httpBase(): string;
  nameOf(id: number): string | undefined;
  /** Join another room (a fork) under the name in the join form. */
  join(req: { name: string; roomId: string }): Promise<void>;
}

/** The designer panel: inspector, pack plans, scenario spawning, save and fork. */
export class DesignerPanel {
  constructor(private readonly host: DesignerHost) {}

  /** The admin token lives only in the password box: never stored, never in a URL. */
  private get adminToken(): string {
    return $<HTMLInputElement>('admin-token').value;
  }

  bind(): void {
    $('spawn-button').addEventListener('click', () => void this.spawn());
    $('inspect-more').addEventListener('click', () => void this.inspectMore());
    $('save-button').addEventListener('click', () => void this.save());
    $('fork-button').addEventListener('click', () => void this.fork());
  }

  /** Show or hide the panel. */
  show(on: boolean): void {
    $('designer').hidden = !on;
    $('mode-toggle').textContent = on ? 'Play mode' : 'Designer mode';
  }

  /** A new actor was picked: hide the details of the previous one. */
  selectionChanged(): void {
    $('inspect-details').hidden = true;
    this.renderInspector();
  }

  private async save(): Promise<void> {
    const out = $('save-result');
    out.className = '';
    out.textContent = 'Saving…';
    const r = await saveRoom((url, init) => fetch(url, init), this.host.httpBase(), this.adminToken, this.host.roomId);
    out.className = r.ok ? 'ok' : 'error';
    const b = r.ok ? (r.body as { tick?: number; bytes?: number }) : null;
    out.textContent = r.ok ? `Saved at tick ${b?.tick} (${Math.round((b?.bytes ?? 0) / 1024)} KiB).` : r.error;
  }

  private async fork(): Promise<void> {
    const out = $('save-result');
    out.className = '';
    out.textContent = 'Forking…';
    const r = await forkRoom((url, init) => fetch(url, init), this.host.httpBase(), this.adminToken, this.host.roomId);
    if (!r.ok) {
      out.className = 'error';
      out.textContent = r.error;
      return;
    }
    const b = r.body as { roomId: string; fromSnapshot?: { tick?: number } };
    out.className = 'ok';
    out.textContent = `Forked at tick ${b.fromSnapshot?.tick} into room ${b.roomId}; joining it…`;
    const name = $<HTMLInputElement>('join-name').value.trim() || 'player';
    $<HTMLInputElement>('join-room').value = b.roomId;
    await this.host.join({ name, roomId: b.roomId });
  }

  private async spawn(): Promise<void> {
    const out = $('spawn-result');
    out.className = '';
    out.textContent = 'Spawning…';
    const r = await spawnScenario((url, init) => fetch(url, init), this.host.httpBase(), this.adminToken, this.host.roomId, $<HTMLTextAreaElement>('scenario-text').value);
    out.className = r.ok ? 'ok' : 'error';
    out.textContent = r.ok ? `Spawned: ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}` : r.error;
  }

  private async inspectMore(): Promise<void> {
    const selected = this.host.selected;
    if (selected === undefined) return;
    const pre = $('inspect-details');
    pre.hidden = false;
    pre.className = '';
    pre.textContent = 'Loading…';
    const r = await inspectActor((url, init) => fetch(url, init), this.host.httpBase(), this.adminToken, this.host.roomId, selected);
    pre.className = r.ok ? '' : 'error';
    pre.textContent = r.ok ? JSON.stringify(r.body, null, 2) : r.error;
  }

  renderPlans(): void {
    const list = $('plans-list');
    list.textContent = '';
    const plans = this.host.packPlans;
    if (!plans.length) {
      list.textContent = 'No pack plans near you.';
      return;
    }
    for (const p of plans) {
      const div = document.createElement('div');
      div.className = 'plan';
      div.dataset.pack = p.pack;
      div.textContent = `${p.pack}: ${p.tactic} · from ${p.source}${p.detail ? ` (${p.detail})` : ''} · ${p.members.map((m) => `${this.host.nameOf(m.actor) ?? '#' + m.actor} ${m.role}`).join(', ')}`;
      list.append(div);
    }
  }

  renderInspector(): void {
    const box = $('inspector');
    const more = $('inspect-more');
    const selected = this.host.selected;
    const e = selected !== undefined ? this.host.mirror.get(selected) : undefined;
    if (!e) {
      box.textContent = selected !== undefined ? `#${selected} is out of view.` : 'Click an actor.';
      more.hidden = true;
      return;
    }
    const plan = this.host.packPlans.find((p) => p.members.some((m) => m.actor === e.id));
    const role = plan?.members.find((m) => m.actor === e.id);
    const rows: [string, string][] = [
      ['id', String(e.id)],
      ['name', e.name || '—'],
      ['kind', e.kind],
      ['species', e.species || '—'],
      ['stance', roleText(e.role, e.stance) || '—'],
      ['hp', `${Math.round(e.hp)} / ${Math.round(e.maxHp)}`],
      ['doing', e.anim],
      ['position', `${e.x.toFixed(1)}, ${e.y.toFixed(1)}`],
      ['pack', e.pack || '—'],
      ['plan', plan ? `${plan.tactic} (${plan.source})` : '—'],
      ['role', role ? `${role.role}${role.target ? ' → #' + role.target : ''}` : '—'],
    ];
    const dl = document.createElement('dl');
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dl.append(dt, dd);
    }
    box.replaceChildren(dl);
    more.hidden = false;
  }
}
