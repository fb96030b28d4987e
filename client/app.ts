import type { Room } from '@colyseus/sdk';
import { createWorldGen } from '../procgen/index.ts';
import { Camera } from './camera.ts';
import { ChatPanel } from './chatPanel.ts';
import { GameConnection } from './connection.ts';
import type { ConnectionStatus } from './connection.ts';
import { Controls } from './controls.ts';
import { DesignerPanel } from './designerPanel.ts';
import { $ } from './byId.ts';
import { FrameStats, PingStats } from './frameStats.ts';
import { Hud } from './hud.ts';
import { talkTarget } from './input.ts';
import type { Pickable } from './input.ts';
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

/** The page: the session with the room (join, state, messages), wiring the HUD, chat, controls, designer panel and frame loop. */
export class App {
  readonly camera = new Camera();
  readonly mirror = new EntityMirror(50);
  readonly frames = new FrameStats();
  readonly ping = new PingStats();
  readonly hud = new Hud();
  readonly streams = new SpeechStreams();
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

  async join(req: { name: string; roomId?: string; token?: string }): Promise<void> {
    await this.connection?.leave().catch(() => {});
    this.mirror.clear();
    this.chat.clear();
    this.connection = new GameConnection(this.serverUrl, {
      status: (s, detail) => this.onStatus(s, detail),
      state: (room) => this.onState(room),
      message: (type, body) => this.onMessage(type, body),
      error: (_code, message) => this.hud.toast(message),
      rejoined: (room) => {
        // A fresh room instance: its entities arrive anew.
        this.mirror.clear();
        this.chat.restart();
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

  private onStatus(s: ConnectionStatus, detail?: string): void {
    this.status = s;
    this.statusLog.push(`${s}${detail ? ': ' + detail : ''}`);
    if (this.statusLog.length > 20) this.statusLog.shift();
    this.hud.status(s, detail, () => this.status === 'connected');
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
          this.hud.toast(`cannot rebuild the terrain from the room's parameters: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    this.mirror.sync(state, now);
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
    document.body.dataset.joined = this.self ? 'yes' : 'no';
  }

  private onMessage(type: string, body: unknown): void {
    if (type === 'pong') {
      const t = (body as { t?: unknown })?.t;
      if (typeof t === 'number') this.ping.pong(t, performance.now());
    } else if (type === 'warning') {
      this.hud.toast(String((body as { message?: unknown })?.message ?? 'warning from the server'));
    } else if (type === 'speech') {
      const chunk = speechChunkOf(body);
      const line = chunk && this.streams.take(chunk, performance.now());
      if (line) this.chat.streaming(line.actor, line.text, line.replaced);
    }
  }

  // ---- chat -----------------------------------------------------------------------------------------------

  private talk(text: string): void {
    const me = this.mirror.get(this.self);
    if (!me) return this.hud.toast('your avatar has not spawned yet');
    const target = talkTarget(me, this.pickables(), { selfId: this.self, selected: this.selected, range: TALK_RANGE });
    if (!target) return this.hud.toast(`no one within ${TALK_RANGE} tiles to talk to; walk closer to a creature`);
    this.send('talk', { to: target.id, text });
  }

  /** Refresh the talk hint (who the talk box speaks to). */
  updateTalkHint(): void {
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
      this.join({ name, ...(roomId && { roomId }), ...(token && { token }) }).catch((err: unknown) => this.hud.toast(err instanceof Error ? err.message : String(err)));
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
    requestAnimationFrame((t) => this.frame(t));
  }
}
