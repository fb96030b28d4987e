import type { Camera } from './camera.ts';
import type { Controls } from './controls.ts';
import type { FrameStats, PingStats } from './frameStats.ts';
import type { Hud } from './hud.ts';
import type { EntityMirror, EntityView } from './mirror.ts';
import { planOverlay } from './plans.ts';
import type { PackPlan } from './plans.ts';
import { drawScene } from './renderer.ts';
import { withRoleLabels } from './roles.ts';
import { activeBubbles, withStreams } from './speech.ts';
import type { SpeechLine, SpeechStreams } from './speech.ts';
import type { TerrainLayer, TileEdit } from './terrainLayer.ts';

/** Free-camera pan speed, tiles per second at zoom 24. */
const PAN_SPEED = 24;
/** Milliseconds between HUD refreshes. */
const HUD_EVERY_MS = 250;

/** What one frame reads from the page. */
export interface FrameSource {
  readonly ctx: CanvasRenderingContext2D;
  readonly camera: Camera;
  readonly mirror: EntityMirror;
  readonly frames: FrameStats;
  readonly ping: PingStats;
  readonly hud: Hud;
  readonly controls: Controls;
  readonly streams: SpeechStreams;
  readonly terrain: TerrainLayer | undefined;
  readonly edits: readonly TileEdit[];
  readonly speech: readonly SpeechLine[];
  readonly packPlans: readonly PackPlan[];
  readonly designer: boolean;
  readonly self: number;
  readonly selected: number | undefined;
  marker: { x: number; y: number } | undefined;
  readonly tick: number;
  readonly tickRate: number;
  readonly viewRadius: number;
  updateTalkHint(): void;
}

const hudAt = new WeakMap<FrameSource, number>();

/** One animation frame: move the camera (follow the avatar, or pan in designer mode), draw the scene, refresh the HUD. */
export function drawFrame(app: FrameSource, now: number): void {
  app.frames.frame(now);
  const dt = Math.min(0.1, app.frames.meanMs / 1000 || 1 / 60);
  const self = app.self;
  const drawn: { e: EntityView; x: number; y: number }[] = [];
  for (const e of app.mirror.entities.values()) {
    const p = app.mirror.drawnAt(e.id, now) ?? e;
    drawn.push({ e, x: p.x, y: p.y });
  }
  const me = drawn.find((d) => d.e.id === self);
  const cam = app.camera;
  if (app.designer) {
    const pan = app.controls.panDirection();
    if (pan.x || pan.y) cam.pan((pan.x * PAN_SPEED * dt * 24) / cam.scale, (pan.y * PAN_SPEED * dt * 24) / cam.scale);
  } else if (me) {
    cam.follow(me.x, me.y);
  }
  if (app.marker && me && Math.hypot(me.x - app.marker.x, me.y - app.marker.y) < 0.6) app.marker = undefined;
  const byId = new Map(drawn.map((d) => [d.e.id, d]));
  const positionOf = (id: number) => {
    const d = byId.get(id);
    return d && { x: d.x, y: d.y };
  };
  drawScene(app.ctx, {
    camera: cam,
    terrain: app.terrain,
    edits: app.edits,
    entities: drawn,
    self,
    selected: app.selected,
    bubbles: withStreams(activeBubbles(app.speech, app.tick, app.tickRate), app.streams.current(now), app.tick),
    overlay: app.designer ? withRoleLabels(planOverlay(app.packPlans, positionOf), drawn) : undefined,
    marker: app.designer ? undefined : app.marker,
    viewRadius: app.designer && me ? { x: me.x, y: me.y, r: app.viewRadius } : undefined,
  });
  if (now - (hudAt.get(app) ?? 0) > HUD_EVERY_MS) {
    hudAt.set(app, now);
    app.hud.stats(app.ping, app.frames, app.tick);
    app.updateTalkHint();
  }
}
