import type { Room } from '@colyseus/sdk';
import { createWorldGen } from '../procgen/index.ts';
import { Camera } from './camera.ts';
import { ChatPanel } from './chatPanel.ts';
import { GameConnection } from './connection.ts';
import type { ConnectionStatus } from './connection.ts';
import { Controls } from './controls.ts';
import { DeathScreen, diedOf } from './deathScreen.ts';
import { DesignerPanel } from './designerPanel.ts';
import { $ } from './byId.ts';
import { FrameStats, PingStats } from './frameStats.ts';
import { HitEffects, hitOf } from './hitEffects.ts';
import { Hud } from './hud.ts';
import { talkTarget } from './input.ts';
import type { Pickable } from './input.ts';
import { Legend, legendEntries } from './legend.ts';
import { EntityMirror } from './mirror.ts';
import { readPlans } from './plans.ts';
import type { PackPlan } from './plans.ts';
import type { RoomState } from './roomState.ts';
import { drawFrame } from './sceneFrame.ts';
import { newLines, SpeechStreams, speechChunkOf, speechLines } from './speech.ts';
import type { SpeechLine } from './speech.ts';
import { TerrainLayer } from './terrainLayer.ts';
import type { TileEdit } from './terrainLayer.ts';

/** How near (world units) an NPC must be to hear the talk box. */
export const TALK_RANGE = 6;
/** Milliseconds between pings. */
const PING_EVERY_MS = 1000;

/**
 * The page: the session with the room (join, state, messages), wiring the landing page, HUD, chat, hit feedback,
 * death screen, legend, controls, designer panel and frame loop.
 */
export class App {
  readonly camera = new Camera();
  readonly mirror = new EntityMirror(50);
  readonly frames = new FrameStats();
  readonly ping = new PingStats();
  readonly hud = new Hud();
  readonly streams = new SpeechStreams();
  readonly hits = new HitEffects();
  readonly legend = new Legend();
  readonly death = new DeathScreen((at) => this.send('respawn', { at }));
  /** While the death screen is up: whether the avatar has been seen dead in the state (so alive again means respawned). */
  private seenDead = false;
  readonly chat: ChatPanel;
  readonly controls: Controls;
  readonly designerPanel: DesignerPanel;
  readonly ctx: CanvasRenderingContext2D;
  readonly canvas: HTMLCanvasElement;
  private connection: GameConnection | undefined;
  terrain: TerrainLayer | undefined;
  private terrainKey = '';
  designer = false;
  selected: number | undefined;
  /** Where the avatar was last sent by a click, until it arrives. */
  marker: { x: number; y: number } | undefined;
  private plans: PackPlan[] = [];
  speech: SpeechLine[] = [];
  edits: TileEdit[] = [];
  tick = 0;
  tickRate = 20;
  viewRadius = 24;
  private status: ConnectionStatus = 'idle';
  /** The last connection status changes, with their reasons (shown to tests and the console). */
  readonly statusLog: string[] = [];
  private readonly names = new Map<number, string>();

  constructor(private readonly serverUrl: string) {
    this.canvas = $<HTMLCanvasElement>('view');
    this.ctx = this.canvas.getContext('2d') as CanvasRenderingContext2D;
    this.chat = new ChatPanel(this.streams, (id) => this.nameOf(id), () => this.self);
    this.controls = new Controls(this, this.canvas);
    this.designerPanel = new DesignerPanel(this);
    this.resize();
    addEventListener('resize', () => this.resize());
    this.controls.bind();
    this.bindForms();
    this.designerPanel.bind();
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

  /** A name for actor `id` (from the entities seen so far). */
  nameOf(id: number): string | undefined {
    return this.names.get(id);
  }

  /** Set while the avatar walks into the next zone: it is kept in the picture until the next zone shows it. */
  private crossing = false;
  /** Frames drawn since the avatar first existed, and those of them without the avatar in the picture. */
  readonly avatarFrames = { drawn: 0, missing: 0 };
  /** Zones crossed: when, into which zone, and the longest wait between two states around the crossing (ms). */
  readonly zoneMoves: { at: number; zone: { x: number; y: number }; roomId: string; gapMs: number }[] = [];
  /** Wall ms of the latest state applied, and of the ones just before, for {@link zoneMoves}' gaps. */
  private stateTimes: number[] = [];

  async join(req: { name: string; roomId?: string; token?: string; roomName?: 'world' | 'zone' }): Promise<void> {
    await this.connection?.leave().catch(() => {});
    this.mirror.clear();
    this.chat.clear();
    this.hits.clear();
    this.death.hide();
    this.connection = new GameConnection(this.serverUrl, {
      status: (s, detail) => this.onStatus(s, detail),
      state: (room) => this.onState(room),
      message: (type, body) => this.onMessage(type, body),
      error: (_code, message) => {
        this.crossing = false;
        this.hud.toast(message);
      },
      movingZone: () => {
        this.crossing = true;
      },
      movedZone: (room, zone) => {
        this.crossing = false;
        // The next zone's room: entities keep their ids, so the picture carries on without a reset.
        this.zoneMoves.push({ at: performance.now(), zone, roomId: room.roomId, gapMs: 0 });
        $('room-id').textContent = `room ${room.roomId}`;
        const url = new URL(location.href);
        url.searchParams.set('room', room.roomId);
        history.replaceState(null, '', url);
      },
      rejoined: (room) => {
        // A fresh room instance: its entities arrive anew.
        this.mirror.clear();
        this.chat.restart();
        $('room-id').textContent = `room ${room.roomId}`;
      },
    });
    const room = await this.connection.join(req);
    $('landing').hidden = true;
    $('room-id').textContent = `room ${room.roomId}`;
    const url = new URL(location.href);
    url.searchParams.set('room', room.roomId);
    url.searchParams.delete('token'); // a token in the address bar ends up in history and shared links
    history.replaceState(null, '', url);
  }

  /** Turn the designer mode (free camera, plan overlay, inspector, scenario spawning) on or off. */
  setDesigner(on: boolean): void {
    this.designer = on;
    this.designerPanel.show(on);
    if (!on) this.selected = undefined;
    if (on) this.send('move', { dir: { x: 0, y: 0 } });
    this.controls.releaseAll();
    this.designerPanel.renderInspector();
  }

  send(type: string, payload: unknown): void {
    this.connection?.send(type, payload);
  }

  /** Where entity `id` is drawn now, in canvas pixels (for tests and the console). */
  screenOf(id: number): { x: number; y: number } | undefined {
    const p = this.mirror.drawnAt(id, performance.now());
    return p && this.camera.toScreen(p.x, p.y);
  }

  /** The server's HTTP origin (the admin API lives there). */
  httpBase(): string {
    return this.serverUrl.replace(/^ws(s?):/, 'http$1:');
  }

  // ---- what the controls report ---------------------------------------------------------------------------

  focusTalk(): void {
    const input = $<HTMLInputElement>('talk-input');
    if (!input.disabled) input.focus();
  }

  toggleLegend(): void {
    this.legend.toggle();
    this.refreshPanels();
  }

  attacked(target: number): void {
    this.selected = target;
  }

  marked(to: { x: number; y: number } | undefined): void {
    this.marker = to;
  }

  inspected(actor: number): void {
    this.selected = actor;
    this.designerPanel.selectionChanged();
  }

  /** Entities where they are drawn now, for clicks and the talk box. */
  pickables(): Pickable[] {
    const now = performance.now();
    const out: Pickable[] = [];
    for (const e of this.mirror.entities.values()) {
      const p = this.mirror.drawnAt(e.id, now) ?? e;
      out.push({ id: e.id, kind: e.kind, x: p.x, y: p.y, alive: e.anim !== 'dead' && e.hp > 0 });
    }
    return out;
  }

  // ---- session --------------------------------------------------------------------------------------------

  /** The waits between the recent states applied (up to 63), ms. */
  stateGaps(): number[] {
    return this.stateTimes.slice(1).map((t, i) => t - (this.stateTimes[i] as number));
  }

  /** Keep the recent state times and widen the gap of a zone crossing made within the last two seconds. */
  private noteStateTime(now: number): void {
    const last = this.stateTimes[this.stateTimes.length - 1];
    this.stateTimes.push(now);
    if (this.stateTimes.length > 64) this.stateTimes.shift();
    if (last === undefined) return;
    for (const m of this.zoneMoves) {
      if (Math.abs(now - m.at) <= 2000) m.gapMs = Math.max(m.gapMs, now - last);
    }
  }

  private onStatus(s: ConnectionStatus, detail?: string): void {
    this.status = s;
    this.statusLog.push(`${s}${detail ? ': ' + detail : ''}`);
    if (this.statusLog.length > 20) this.statusLog.shift();
    this.hud.status(s, detail, () => this.status === 'connected');
    if (s === 'disconnected') $('landing').hidden = false; // back to the page that says how to join
  }

  private onState(room: Room): void {
    const state = room.state as RoomState;
    const now = performance.now();
    this.noteStateTime(now);
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
          this.hud.toast(`cannot rebuild the terrain from the room's parameters: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    this.mirror.sync(state, now, this.crossing ? this.self : undefined);
    for (const e of this.mirror.entities.values()) if (e.name || e.species) this.names.set(e.id, e.name || e.species);
    // Players by their entries too: the own name is known from the join, before the avatar's entity arrives.
    state.players?.forEach?.((p) => {
      if (p.actor && p.name) this.names.set(p.actor, p.name);
    });
    // The server sends a client only the lines of speakers it could see when they spoke.
    this.speech = speechLines(state.speech);
    this.edits = state.tileEdits ? [...state.tileEdits].map((t) => ({ tx: t.tx, ty: t.ty, walkable: t.walkable })) : [];
    this.chat.append(newLines(this.speech, this.chat.seq));
    const plans = readPlans(state);
    if (JSON.stringify(plans) !== JSON.stringify(this.plans)) {
      this.plans = plans;
      this.designerPanel.renderPlans();
    }
    if (this.selected !== undefined) this.designerPanel.renderInspector();
    if (this.death.showing) {
      const me = this.mirror.get(this.self);
      const dead = !me || me.anim === 'dead' || me.hp <= 0;
      if (dead) this.seenDead = true;
      else if (this.seenDead) this.death.hide();
    }
    document.body.dataset.joined = this.self ? 'yes' : 'no';
  }

  private onMessage(type: string, body: unknown): void {
    if (type === 'pong') {
      const t = (body as { t?: unknown })?.t;
      if (typeof t === 'number') this.ping.pong(t, performance.now());
    } else if (type === 'warning') {
      this.hud.toast(String((body as { message?: unknown })?.message ?? 'warning from the server'));
    } else if (type === 'hit') {
      const hit = hitOf(body);
      if (!hit || hit.amount <= 0) return; // a harmless blow shows nothing
      this.hits.add(hit, performance.now());
      if (hit.target === this.self) this.hurt();
    } else if (type === 'died') {
      const d = diedOf(body);
      if (!d) return;
      this.seenDead = false;
      this.death.show(d, this.tick);
      this.death.update(this.tick, this.tickRate);
    } else if (type === 'speech') {
      const chunk = speechChunkOf(body);
      const line = chunk && this.streams.take(chunk, performance.now());
      if (line) this.chat.streaming(line.actor, line.text, line.replaced);
    }
  }

  // ---- chat -----------------------------------------------------------------------------------------------

  /** A red flash round the screen's edge: the own avatar was hit. */
  private hurt(): void {
    const el = $('hurt');
    el.classList.remove('on');
    void el.offsetWidth; // restart the animation
    el.classList.add('on');
  }

  private talk(text: string): void {
    if (this.death.showing) return this.hud.toast('you are dead: choose where to respawn first');
    const me = this.mirror.get(this.self);
    if (!me) return this.hud.toast('your avatar has not spawned yet');
    const target = talkTarget(me, this.pickables(), { selfId: this.self, selected: this.selected, range: TALK_RANGE });
    if (!target) return this.hud.toast(`no one within ${TALK_RANGE} tiles to talk to; walk closer to a creature`);
    this.send('talk', { to: target.id, text });
  }

  /** The talk hint, the legend and the death countdown (a few times a second). */
  refreshPanels(): void {
    this.updateTalkHint();
    this.legend.update(legendEntries(this.mirror.entities.values(), this.self));
    this.death.update(this.tick, this.tickRate);
  }

  /** Refresh the talk hint (who the talk box speaks to). */
  private updateTalkHint(): void {
    const me = this.mirror.get(this.self);
    const target = me && talkTarget(me, this.pickables(), { selfId: this.self, selected: this.selected, range: TALK_RANGE });
    const t = target && this.mirror.get(target.id);
    this.chat.hint(target ? `Talking to ${t?.name || '#' + target.id} (${t?.species || t?.kind})` : 'No one near enough to talk to.');
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
      const roomName = params.get('zones') === '1' ? 'zone' : 'world';
      this.join({ name, roomName, ...(roomId && { roomId }), ...(token && { token }) }).catch((err: unknown) => this.hud.toast(err instanceof Error ? err.message : String(err)));
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
    $('legend-toggle').addEventListener('click', () => this.legend.toggle());
  }

  // ---- frame ----------------------------------------------------------------------------------------------

  private resize(): void {
    const dpr = devicePixelRatio || 1;
    this.canvas.width = Math.floor(innerWidth * dpr);
    this.canvas.height = Math.floor(innerHeight * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.camera.resize(innerWidth, innerHeight);
  }

  private frame(now: number): void {
    drawFrame(this, now);
    if (this.self) {
      this.avatarFrames.drawn++;
      if (!this.mirror.get(this.self)) this.avatarFrames.missing++;
    }
    requestAnimationFrame((t) => this.frame(t));
  }
}
