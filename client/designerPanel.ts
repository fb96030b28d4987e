import { forkRoom, inspectActor, saveRoom, spawnedText, spawnScenario } from './admin.ts';
import { $ } from './byId.ts';
import { LiveInspector } from './inspector.ts';
import type { EntityMirror } from './mirror.ts';
import { planLine, roleWords, sourceShort } from './plans.ts';
import type { PackPlan } from './plans.ts';
import { roleText } from './roles.ts';
import { spawnExampleText } from './spawnExample.ts';

/** What the designer panel needs from the page. */
export interface DesignerHost {
  readonly mirror: EntityMirror;
  readonly roomId: string;
  /** The selected actor, if any. */
  readonly selected: number | undefined;
  readonly packPlans: readonly PackPlan[];
  /** Where the view is centred (world units): spawns go there. */
  readonly camera: { readonly x: number; readonly y: number };
  /** The server's HTTP origin (the admin API lives there). */
  httpBase(): string;
  nameOf(id: number): string | undefined;
  /** Join another room (a fork) under the name in the join form. */
  join(req: { name: string; roomId: string }): Promise<void>;
}

/** The designer panel: live inspector, pack plans, scenario spawning, save and fork. */
export class DesignerPanel {
  readonly inspector: LiveInspector;
  private shown = false;

  constructor(private readonly host: DesignerHost) {
    this.inspector = new LiveInspector($('inspector'), (actor) => inspectActor((url, init) => fetch(url, init), this.host.httpBase(), this.adminToken, this.host.roomId, actor));
  }

  /** The admin token lives only in the password box: never stored, never in a URL. */
  private get adminToken(): string {
    return $<HTMLInputElement>('admin-token').value;
  }

  bind(): void {
    $('spawn-button').addEventListener('click', () => void this.spawn());
    $('spawn-example').addEventListener('click', () => {
      $<HTMLTextAreaElement>('scenario-text').value = spawnExampleText();
    });
    $('admin-token').addEventListener('change', () => this.selectionChanged());
    $('save-button').addEventListener('click', () => void this.save());
    $('fork-button').addEventListener('click', () => void this.fork());
  }

  /** Show or hide the panel (hiding it stops the live inspector). */
  show(on: boolean): void {
    this.shown = on;
    $('designer').hidden = !on;
    $('mode-toggle').textContent = on ? 'Play mode' : 'Designer mode';
    if (!on) this.inspector.close();
  }

  /** A new actor was picked (or none): inspect it live when the admin token is there, else show what the client sees. */
  selectionChanged(): void {
    const selected = this.host.selected;
    if (this.shown && selected !== undefined && this.adminToken.trim() && this.host.roomId) {
      this.inspector.show(selected);
      return;
    }
    this.inspector.close();
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
    const at = { x: this.host.camera.x, y: this.host.camera.y };
    const r = await spawnScenario((url, init) => fetch(url, init), this.host.httpBase(), this.adminToken, this.host.roomId, $<HTMLTextAreaElement>('scenario-text').value, at);
    out.className = r.ok ? 'ok' : 'error';
    out.textContent = r.ok ? spawnedText(r.body) : r.error;
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
      div.textContent = planLine(p, (id) => this.host.nameOf(id));
      list.append(div);
    }
  }

  /** What the client itself knows of the selected actor, while the live inspector is not running. */
  renderInspector(): void {
    if (this.inspector.open !== undefined) return; // the live inspector keeps the box up to date
    const box = $('inspector');
    const selected = this.host.selected;
    const e = selected !== undefined ? this.host.mirror.get(selected) : undefined;
    if (!e) {
      box.textContent = selected !== undefined ? `#${selected} is out of view.` : 'Click an actor.';
      return;
    }
    const plan = this.host.packPlans.find((p) => p.members.some((m) => m.actor === e.id));
    const role = plan?.members.find((m) => m.actor === e.id);
    const rows: [string, string][] = [
      ['name', `${e.name || '—'} (#${e.id})`],
      ['kind', [e.kind, e.species].filter(Boolean).join(' · ')],
      ['stance', roleText(e.role, e.stance) || '—'],
      ['hp', `${Math.round(e.hp)} / ${Math.round(e.maxHp)}`],
      ['doing', e.anim],
      ['where', `(${e.x.toFixed(1)}, ${e.y.toFixed(1)})`],
      ['pack', plan?.name ?? (e.pack ? 'in a pack' : '—')],
      ['plan', plan ? `${plan.tactic} (${sourceShort(plan.source)})` : '—'],
      ['role', role ? `${roleWords(role.role)}${role.target ? ` → ${this.host.nameOf(role.target) ?? 'a player'}` : ''}` : '—'],
    ];
    const dl = document.createElement('dl');
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dl.append(dt, dd);
    }
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = 'Type the admin token below for the live inspector (state, orders, decisions, memory).';
    box.replaceChildren(dl, hint);
  }
}
