import type { Room } from '@colyseus/sdk';
import { createWorldGen } from '../procgen/index.ts';
import { forkRoom, inspectActor, saveRoom, spawnScenario } from './admin.ts';
import { Camera } from './camera.ts';
import { GameConnection } from './connection.ts';
import type { ConnectionStatus } from './connection.ts';
import { FrameStats, PingStats } from './frameStats.ts';
import { clickAction, KeyboardSteering, MOVE_KEYS, talkTarget } from './input.ts';
import { EntityMirror } from './mirror.ts';
import type { EntityView } from './mirror.ts';
import { planOverlay, readPlans } from './plans.ts';
import type { PackPlan } from './plans.ts';
import { drawScene } from './renderer.ts';
import { roleText, withRoleLabels } from './roles.ts';
import { activeBubbles, newLines, SpeechStreams, speakerName, speechChunkOf, speechLines, withStreams } from './speech.ts';
import type { SpeechCollection, SpeechLine } from './speech.ts';
import { TerrainLayer } from './terrainLayer.ts';
import type { TileEdit } from './terrainLayer.ts';

/** How near (world units) an NPC must be to hear the talk box. */
export const TALK_RANGE = 6;
/** Pick radius for clicks, world units. */
const PICK_RADIUS = 0.8;
/** Milliseconds between pings. */
const PING_EVERY_MS = 1000;
/** Free-camera pan speed, tiles per second at zoom 24. */
const PAN_SPEED = 24;

/** The room state as the client reads it (the SDK's decoded schema; only the parts used here). */
interface RoomState {
  readonly meta?: { readonly seed: string; readonly params: string; readonly tick: number; readonly tickRate: number; readonly viewRadius: number };
  readonly entities?: { forEach(cb: (e: EntityView, key: string) => void): void };
  /** This client's own entry, and those of the players whose avatars are in view. */
  readonly players?: { get(key: string): { readonly actor: number; readonly name: string } | undefined };
  /** The lines said by someone in view as they were said, keyed by seq. */
  readonly speech?: SpeechCollection;
  readonly tileEdits?: Iterable<TileEdit>;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};

/** The page: connection, input, camera, rendering, chat, HUD and the designer panel. */
export class App {
  readonly camera = new Camera();
  readonly mirror = new EntityMirror(50);
  readonly frames = new FrameStats();
  readonly ping = new PingStats();
  private readonly steering = new KeyboardSteering();
  private readonly ctx: CanvasRenderingContext2D;
  private readonly canvas: HTMLCanvasElement;
  private connection: GameConnection | undefined;
  private terrain: TerrainLayer | undefined;
  private terrainKey = '';
  designer = false;
  selected: number | undefined;
  private marker: { x: number; y: number } | undefined;
  private lastSeq = 0;
  private plans: PackPlan[] = [];
  private speech: SpeechLine[] = [];
  private readonly streams = new SpeechStreams();
  private edits: TileEdit[] = [];
  private tick = 0;
  private tickRate = 20;
  private viewRadius = 24;
  private status: ConnectionStatus = 'idle';
  /** The last connection status changes, with their reasons (shown to tests and the console). */
  readonly statusLog: string[] = [];
  private hudAt = 0;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private names = new Map<number, string>();
  /** The admin token lives only in this field and the password box: never stored, never in a URL. */
  private get adminToken(): string {
    return $<HTMLInputElement>('admin-token').value;
  }

  constructor(private readonly serverUrl: string) {
    this.canvas = $<HTMLCanvasElement>('view');
    this.ctx = this.canvas.getContext('2d') as CanvasRenderingContext2D;
    this.resize();
    addEventListener('resize', () => this.resize());
    this.bindInput();
    this.bindForms();
    setInterval(() => this.connection?.send('ping', { t: performance.now() }), PING_EVERY_MS);
    requestAnimationFrame((t) => this.frame(t));
  }

  /** The avatar's actor id (0 until it has spawned). */
  get self(): number {
    const room = this.connection?.room;
    if (!room) return 0;
    return (room.state as RoomState).players?.get(room.sessionId)?.actor ?? 0;
  }

  get roomId(): string {
    return this.connection?.room?.roomId ?? '';
  }

  get connectionStatus(): ConnectionStatus {
    return this.status;
  }

  /** Pack plans as last read from the state. */
  get packPlans(): readonly PackPlan[] {
    return this.plans;
  }

  async join(req: { name: string; roomId?: string; token?: string }): Promise<void> {
    await this.connection?.leave().catch(() => {});
    this.mirror.clear();
    this.lastSeq = 0;
    $('chat-log').textContent = '';
    this.connection = new GameConnection(this.serverUrl, {
      status: (s, detail) => this.onStatus(s, detail),
      state: (room) => this.onState(room),
      message: (type, body) => this.onMessage(type, body),
      error: (_code, message) => this.toast(message),
      rejoined: (room) => {
        // A fresh room instance: its entities arrive anew.
        this.mirror.clear();
        this.lastSeq = 0;
        $('room-id').textContent = `room ${room.roomId}`;
      },
    });
    const room = await this.connection.join(req);
    $('room-id').textContent = `room ${room.roomId}`;
    const url = new URL(location.href);
    url.searchParams.set('room', room.roomId);
    url.searchParams.delete('token'); // a token in the address bar ends up in history and shared links
    history.replaceState(null, '', url);
  }

  /** Turn the designer mode (free camera, plan overlay, inspector, scenario spawning) on or off. */
  setDesigner(on: boolean): void {
    this.designer = on;
    $('designer').hidden = !on;
    $('mode-toggle').textContent = on ? 'Play mode' : 'Designer mode';
    if (!on) this.selected = undefined;
    if (on) this.send('move', { dir: { x: 0, y: 0 } });
    this.steering.releaseAll();
    this.steering.reset();
    this.renderInspector();
  }

  send(type: string, payload: unknown): void {
    this.connection?.send(type, payload);
  }

  /** Where entity `id` is drawn now, in canvas pixels (for tests and the console). */
  screenOf(id: number): { x: number; y: number } | undefined {
    const p = this.mirror.drawnAt(id, performance.now());
    return p && this.camera.toScreen(p.x, p.y);
  }

  // ---- connection ---------------------------------------------------------------------------------------

  private onStatus(s: ConnectionStatus, detail?: string): void {
    this.status = s;
    this.statusLog.push(`${s}${detail ? ': ' + detail : ''}`);
    if (this.statusLog.length > 20) this.statusLog.shift();
    const banner = $('banner');
    document.body.dataset.status = s;
    if (s === 'connected') {
      banner.className = 'ok';
      banner.textContent = detail === 'reconnected' ? 'Reconnected.' : '';
      banner.hidden = detail !== 'reconnected';
      if (detail === 'reconnected') {
        setTimeout(() => {
          if (this.status === 'connected') banner.hidden = true;
        }, 2500);
      }
    } else if (s === 'reconnecting' || s === 'disconnected') {
      banner.className = '';
      banner.hidden = false;
      banner.textContent = s === 'reconnecting' ? `Connection lost: ${detail ?? ''} The game will resume when the server answers.` : `Not connected: ${detail ?? 'left the room'}. Press Join to play again.`;
    } else if (s === 'connecting') {
      banner.className = 'ok';
      banner.hidden = false;
      banner.textContent = 'Connecting…';
    }
  }

  private onState(room: Room): void {
    const state = room.state as RoomState;
    const now = performance.now();
    const meta = state.meta;
    if (meta) {
      this.tick = meta.tick;
      this.tickRate = meta.tickRate || 20;
      this.viewRadius = meta.viewRadius || this.viewRadius;
      const key = `${meta.seed}|${meta.params}`;
      if (meta.params && key !== this.terrainKey) {
        this.terrainKey = key;
        try {
          const params = JSON.parse(meta.params) as Record<string, unknown>;
          this.terrain = new TerrainLayer(createWorldGen({ ...params, cache: { maxChunks: 256 } }));
        } catch (err) {
          this.toast(`cannot rebuild the terrain from the room's parameters: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    this.mirror.sync(state, now);
    for (const e of this.mirror.entities.values()) if (e.name) this.names.set(e.id, e.name);
    // The server sends a client only the lines of speakers it could see when they spoke.
    this.speech = speechLines(state.speech);
    this.edits = state.tileEdits ? [...state.tileEdits].map((t) => ({ tx: t.tx, ty: t.ty, walkable: t.walkable })) : [];
    this.appendChat(newLines(this.speech, this.lastSeq));
    const plans = readPlans(state);
    if (JSON.stringify(plans) !== JSON.stringify(this.plans)) {
      this.plans = plans;
      this.renderPlans();
    }
    if (this.selected !== undefined) this.renderInspector();
    document.body.dataset.joined = this.self ? 'yes' : 'no';
  }

  private onMessage(type: string, body: unknown): void {
    if (type === 'pong') {
      const t = (body as { t?: unknown })?.t;
      if (typeof t === 'number') this.ping.pong(t, performance.now());
    } else if (type === 'warning') {
      this.toast(String((body as { message?: unknown })?.message ?? 'warning from the server'));
    } else if (type === 'speech') {
      const chunk = speechChunkOf(body);
      const line = chunk && this.streams.take(chunk, performance.now());
      if (line) this.showStreaming(line.actor, line.text, line.replaced);
    }
  }

  /** The chat log's live line for a reply being streamed: filled as it is written, gone when the line is said. */
  private showStreaming(actor: number, text: string, replaced: boolean): void {
    const log = $('chat-log');
    let div = log.querySelector<HTMLElement>(`.line.streaming[data-actor="${actor}"]`);
    if (!div) {
      div = document.createElement('div');
      div.className = 'line say streaming';
      div.dataset.actor = String(actor);
      log.append(div);
    }
    div.dataset.replaced = replaced ? 'yes' : 'no';
    div.textContent = `${this.names.get(actor) ?? `#${actor}`}: ${text}`;
    log.scrollTop = log.scrollHeight;
  }

  // ---- chat ---------------------------------------------------------------------------------------------

  private appendChat(lines: SpeechLine[]): void {
    if (!lines.length) return;
    const log = $('chat-log');
    for (const l of lines) {
      this.lastSeq = Math.max(this.lastSeq, l.seq);
      if (l.kind === 'say') {
        this.streams.said(l.actor);
        log.querySelector(`.line.streaming[data-actor="${l.actor}"]`)?.remove();
      }
      const div = document.createElement('div');
      div.className = `line ${l.kind}${l.actor === this.self ? ' mine' : ''}`;
      div.dataset.actor = String(l.actor);
      div.dataset.kind = l.kind;
      const who = speakerName(l, (id) => this.names.get(id));
      div.textContent = `${who}: ${l.text}`;
      log.append(div);
    }
    while (log.childElementCount > 100) log.firstElementChild?.remove();
    log.scrollTop = log.scrollHeight;
  }

  private talk(text: string): void {
    const me = this.mirror.get(this.self);
    if (!me) return this.toast('your avatar has not spawned yet');
    const target = talkTarget(me, this.pickables(), { selfId: this.self, selected: this.selected, range: TALK_RANGE });
    if (!target) return this.toast(`no one within ${TALK_RANGE} tiles to talk to; walk closer to a creature`);
    this.send('talk', { to: target.id, text });
  }

  private updateTalkHint(): void {
    const me = this.mirror.get(this.self);
    const hint = $('talk-hint');
    const target = me && talkTarget(me, this.pickables(), { selfId: this.self, selected: this.selected, range: TALK_RANGE });
    const text = target ? `Talking to ${this.mirror.get(target.id)?.name || '#' + target.id} (${this.mirror.get(target.id)?.species || this.mirror.get(target.id)?.kind})` : 'No one near enough to talk to.';
    if (hint.textContent !== text) hint.textContent = text;
  }

  // ---- input --------------------------------------------------------------------------------------------

  private pickables(): { id: number; kind: string; x: number; y: number; alive: boolean }[] {
    const now = performance.now();
    const out: { id: number; kind: string; x: number; y: number; alive: boolean }[] = [];
    for (const e of this.mirror.entities.values()) {
      const p = this.mirror.drawnAt(e.id, now) ?? e;
      out.push({ id: e.id, kind: e.kind, x: p.x, y: p.y, alive: e.anim !== 'dead' && e.hp > 0 });
    }
    return out;
  }

  private bindInput(): void {
    const typing = (ev: Event) => ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
    const held = new Set<string>();
    addEventListener('keydown', (ev) => {
      if (ev.code === 'F2') {
        ev.preventDefault();
        this.setDesigner(!this.designer);
        return;
      }
      if (typing(ev)) return;
      if (ev.code in MOVE_KEYS) ev.preventDefault();
      held.add(ev.code);
      if (!this.designer) {
        const m = this.steering.key(ev.code, true);
        if (m) {
          this.marker = undefined;
          this.send('move', m);
        }
      }
    });
    addEventListener('keyup', (ev) => {
      held.delete(ev.code);
      if (this.designer) return;
      const m = this.steering.key(ev.code, false);
      if (m) this.send('move', m);
    });
    addEventListener('blur', () => {
      held.clear();
      const m = this.steering.releaseAll();
      if (m && !this.designer) this.send('move', m);
    });
    this.panKeys = held;

    let drag: { x: number; y: number; moved: boolean } | undefined;
    this.canvas.addEventListener('pointerdown', (ev) => {
      drag = { x: ev.clientX, y: ev.clientY, moved: false };
    });
    this.canvas.addEventListener('pointermove', (ev) => {
      if (!drag || !this.designer || ev.buttons === 0) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.camera.drag(dx, dy);
      drag.x = ev.clientX;
      drag.y = ev.clientY;
    });
    this.canvas.addEventListener('pointerup', (ev) => {
      const wasDrag = drag?.moved;
      drag = undefined;
      if (!wasDrag) this.click(ev.clientX, ev.clientY);
    });
    this.canvas.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      this.camera.zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX, ev.clientY);
    }, { passive: false });
  }

  private panKeys = new Set<string>();

  private click(sx: number, sy: number): void {
    const point = this.camera.toWorld(sx, sy);
    const action = clickAction(point, this.pickables(), { self: this.self, mode: this.designer ? 'design' : 'play', pickRadius: PICK_RADIUS });
    switch (action.type) {
      case 'attack':
        this.selected = action.target;
        this.send('attack', { target: action.target });
        break;
      case 'move':
        this.marker = action.to;
        this.steering.reset();
        this.send('move', { to: action.to });
        break;
      case 'inspect':
        this.selected = action.actor;
        $('inspect-details').hidden = true;
        this.renderInspector();
        break;
      case 'none':
        break;
    }
  }

  private bindForms(): void {
    const params = new URLSearchParams(location.search);
    $<HTMLInputElement>('join-name').value = params.get('name') ?? `player-${Math.floor(Math.random() * 1000)}`;
    $<HTMLInputElement>('join-room').value = params.get('room') ?? '';
    $<HTMLInputElement>('join-token').value = params.get('token') ?? '';
    $('join-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const name = $<HTMLInputElement>('join-name').value.trim() || 'player';
      const roomId = $<HTMLInputElement>('join-room').value.trim();
      const token = $<HTMLInputElement>('join-token').value.trim();
      this.join({ name, ...(roomId && { roomId }), ...(token && { token }) }).catch((err: unknown) => this.toast(err instanceof Error ? err.message : String(err)));
    });
    $('talk-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = $<HTMLInputElement>('talk-input');
      const text = input.value.trim();
      if (!text) return;
      this.talk(text);
      input.value = '';
    });
    $('mode-toggle').addEventListener('click', () => this.setDesigner(!this.designer));
    $('spawn-button').addEventListener('click', () => void this.spawn());
    $('inspect-more').addEventListener('click', () => void this.inspectMore());
    $('save-button').addEventListener('click', () => void this.save());
    $('fork-button').addEventListener('click', () => void this.fork());
  }

  private async save(): Promise<void> {
    const out = $('save-result');
    out.className = '';
    out.textContent = 'Saving…';
    const r = await saveRoom((url, init) => fetch(url, init), this.httpBase(), this.adminToken, this.roomId);
    out.className = r.ok ? 'ok' : 'error';
    const b = r.ok ? (r.body as { tick?: number; bytes?: number }) : null;
    out.textContent = r.ok ? `Saved at tick ${b?.tick} (${Math.round((b?.bytes ?? 0) / 1024)} KiB).` : r.error;
  }

  private async fork(): Promise<void> {
    const out = $('save-result');
    out.className = '';
    out.textContent = 'Forking…';
    const r = await forkRoom((url, init) => fetch(url, init), this.httpBase(), this.adminToken, this.roomId);
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
    await this.join({ name, roomId: b.roomId });
  }

  private async spawn(): Promise<void> {
    const out = $('spawn-result');
    out.className = '';
    out.textContent = 'Spawning…';
    const r = await spawnScenario((url, init) => fetch(url, init), this.httpBase(), this.adminToken, this.roomId, $<HTMLTextAreaElement>('scenario-text').value);
    out.className = r.ok ? 'ok' : 'error';
    out.textContent = r.ok ? `Spawned: ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}` : r.error;
  }

  private async inspectMore(): Promise<void> {
    if (this.selected === undefined) return;
    const pre = $('inspect-details');
    pre.hidden = false;
    pre.className = '';
    pre.textContent = 'Loading…';
    const r = await inspectActor((url, init) => fetch(url, init), this.httpBase(), this.adminToken, this.roomId, this.selected);
    pre.className = r.ok ? '' : 'error';
    pre.textContent = r.ok ? JSON.stringify(r.body, null, 2) : r.error;
  }

  /** The server's HTTP origin (the admin API lives there). */
  private httpBase(): string {
    return this.serverUrl.replace(/^ws(s?):/, 'http$1:');
  }

  // ---- designer panel -----------------------------------------------------------------------------------

  private renderPlans(): void {
    const list = $('plans-list');
    list.textContent = '';
    if (!this.plans.length) {
      list.textContent = 'No pack plans near you.';
      return;
    }
    for (const p of this.plans) {
      const div = document.createElement('div');
      div.className = 'plan';
      div.dataset.pack = p.pack;
      div.textContent = `${p.pack}: ${p.tactic} · from ${p.source}${p.detail ? ` (${p.detail})` : ''} · ${p.members.map((m) => `${this.names.get(m.actor) ?? '#' + m.actor} ${m.role}`).join(', ')}`;
      list.append(div);
    }
  }

  private renderInspector(): void {
    const box = $('inspector');
    const more = $('inspect-more');
    const e = this.selected !== undefined ? this.mirror.get(this.selected) : undefined;
    if (!e) {
      box.textContent = this.selected !== undefined ? `#${this.selected} is out of view.` : 'Click an actor.';
      more.hidden = true;
      return;
    }
    const plan = this.plans.find((p) => p.members.some((m) => m.actor === e.id));
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

  // ---- frame --------------------------------------------------------------------------------------------

  private resize(): void {
    const dpr = devicePixelRatio || 1;
    this.canvas.width = Math.floor(innerWidth * dpr);
    this.canvas.height = Math.floor(innerHeight * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.camera.resize(innerWidth, innerHeight);
  }

  private frame(now: number): void {
    this.frames.frame(now);
    const dt = Math.min(0.1, this.frames.meanMs / 1000 || 1 / 60);
    const self = this.self;
    const drawn: { e: EntityView; x: number; y: number }[] = [];
    for (const e of this.mirror.entities.values()) {
      const p = this.mirror.drawnAt(e.id, now) ?? e;
      drawn.push({ e, x: p.x, y: p.y });
    }
    const me = drawn.find((d) => d.e.id === self);
    if (this.designer) {
      let px = 0, py = 0;
      for (const code of this.panKeys) {
        const d = MOVE_KEYS[code];
        if (d) {
          px += d.x;
          py += d.y;
        }
      }
      if (px || py) this.camera.pan((px * PAN_SPEED * dt * 24) / this.camera.scale, (py * PAN_SPEED * dt * 24) / this.camera.scale);
    } else if (me) {
      this.camera.follow(me.x, me.y);
    }
    if (this.marker && me && Math.hypot(me.x - this.marker.x, me.y - this.marker.y) < 0.6) this.marker = undefined;
    const positionOf = (id: number) => {
      const d = drawn.find((x) => x.e.id === id);
      return d && { x: d.x, y: d.y };
    };
    drawScene(this.ctx, {
      camera: this.camera,
      terrain: this.terrain,
      edits: this.edits,
      entities: drawn,
      self,
      selected: this.selected,
      bubbles: withStreams(activeBubbles(this.speech, this.tick, this.tickRate), this.streams.current(now), this.tick),
      overlay: this.designer ? withRoleLabels(planOverlay(this.plans, positionOf), drawn) : undefined,
      marker: this.designer ? undefined : this.marker,
      viewRadius: this.designer && me ? { x: me.x, y: me.y, r: this.viewRadius } : undefined,
    });
    if (now - this.hudAt > 250) {
      this.hudAt = now;
      $('ping').textContent = this.ping.rttMs === undefined ? '–' : this.ping.rttMs.toFixed(0);
      $('frame').textContent = `${this.frames.meanMs.toFixed(1)} (worst ${this.frames.worstMs.toFixed(0)})`;
      $('tick').textContent = String(this.tick);
      this.updateTalkHint();
    }
    requestAnimationFrame((t) => this.frame(t));
  }

  private toast(message: string): void {
    const el = $('toast');
    el.textContent = message;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (el.textContent = ''), 6000);
  }
}
