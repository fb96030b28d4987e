import type { Camera } from './camera.ts';
import { healthColour } from './colours.ts';
import type { Floater } from './hitEffects.ts';
import { overlaps, placeLabels } from './labels.ts';
import type { Box, LabelRequest } from './labels.ts';
import type { EntityView } from './mirror.ts';
import type { PlanOverlay } from './plans.ts';
import { lookOf, tracePath } from './species.ts';
import type { SpeechLine } from './speech.ts';
import { wrapText } from './speech.ts';
import type { TerrainLayer, TileEdit } from './terrainLayer.ts';
import { placeLabels as placePlanLabels } from './planLabels.ts';

/** Everything one frame draws. Positions in world units. */
export interface Scene {
  readonly camera: Camera;
  readonly terrain: TerrainLayer | undefined;
  readonly edits: readonly TileEdit[];
  readonly entities: readonly { readonly e: EntityView; readonly x: number; readonly y: number }[];
  readonly self: number;
  readonly selected: number | undefined;
  readonly bubbles: ReadonlyMap<number, SpeechLine>;
  readonly overlay: PlanOverlay | undefined;
  /** Where the avatar was last sent by a click, until it arrives. */
  readonly marker: { readonly x: number; readonly y: number } | undefined;
  /** The view radius around the avatar (drawn as a faint ring in designer mode), world units. */
  readonly viewRadius: { readonly x: number; readonly y: number; readonly r: number } | undefined;
  /** Damage numbers and the bodies flashing from a hit. */
  readonly hits?: { readonly floaters: readonly Floater[]; readonly flashing: ReadonlySet<number> };
}

/** Body radius of an entity on screen, world units. */
export const BODY_RADIUS = 0.42;

/** Draw a frame: ground, click marker, bodies with health bars and names, plan overlay, speech bubbles. */
export function drawScene(ctx: CanvasRenderingContext2D, s: Scene): void {
  const cam = s.camera;
  ctx.fillStyle = '#10141c';
  ctx.fillRect(0, 0, cam.width, cam.height);
  s.terrain?.draw(ctx, cam, s.edits);

  if (s.viewRadius) {
    const c = cam.toScreen(s.viewRadius.x, s.viewRadius.y);
    ctx.strokeStyle = 'rgba(255,255,255,0.25)';
    ctx.setLineDash([6, 6]);
    ctx.beginPath();
    ctx.arc(c.x, c.y, s.viewRadius.r * cam.scale, 0, Math.PI * 2);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  if (s.marker) {
    const m = cam.toScreen(s.marker.x, s.marker.y);
    ctx.strokeStyle = 'rgba(255,255,255,0.8)';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(m.x - 6, m.y - 6);
    ctx.lineTo(m.x + 6, m.y + 6);
    ctx.moveTo(m.x + 6, m.y - 6);
    ctx.lineTo(m.x - 6, m.y + 6);
    ctx.stroke();
  }

  const r = Math.max(3, BODY_RADIUS * cam.scale);
  const font = Math.max(10, Math.min(14, cam.scale * 0.5));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const flashing = s.hits?.flashing;
  const labels: LabelRequest[] = [];
  const byId = new Map<number, { x: number; y: number }>();
  const cx = cam.width / 2, cy = cam.height / 2;
  // Dead first, own avatar last, so the living and the player stay on top.
  const order = [...s.entities].sort((a, b) => rank(a.e, s.self) - rank(b.e, s.self));
  for (const { e, x, y } of order) {
    const p = cam.toScreen(x, y);
    if (p.x < -50 || p.y < -50 || p.x > cam.width + 50 || p.y > cam.height + 50) continue;
    byId.set(e.id, p);
    const dead = e.anim === 'dead';
    const look = lookOf(e, e.id === s.self);
    ctx.globalAlpha = dead ? 0.45 : 1;
    if (e.shielded && !dead) {
      // Spawn protection: a pale blue halo.
      ctx.fillStyle = 'rgba(140, 210, 255, 0.28)';
      ctx.strokeStyle = 'rgba(170, 225, 255, 0.95)';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(p.x, p.y, r + 6, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
    tracePath(ctx, look.shape, p.x, p.y, r);
    ctx.fillStyle = dead ? '#777' : flashing?.has(e.id) ? '#ffffff' : look.colour;
    ctx.fill();
    ctx.lineWidth = e.anim === 'attack' ? 3 : 1.5;
    ctx.strokeStyle = flashing?.has(e.id) ? '#ff2020' : e.anim === 'attack' ? '#ff3030' : 'rgba(0,0,0,0.7)';
    ctx.stroke();
    if (e.id === s.selected) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(p.x, p.y, r + 4, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    if (!dead && e.maxHp > 0) {
      const w = Math.max(16, r * 2.4), h = 4;
      const f = Math.max(0, Math.min(1, e.hp / e.maxHp));
      ctx.fillStyle = 'rgba(0,0,0,0.7)';
      ctx.fillRect(p.x - w / 2 - 1, p.y - r - 9, w + 2, h + 2);
      ctx.fillStyle = healthColour(f);
      ctx.fillRect(p.x - w / 2, p.y - r - 8, w * f, h);
    }
    if (cam.scale >= 10 && e.name) {
      const rk = e.id === s.self ? 0 : e.id === s.selected ? 1 : e.kind === 'player' ? 2 : 3;
      labels.push({ id: e.id, text: e.name, x: p.x, y: p.y, r, rank: rk, dist: Math.hypot(p.x - cx, p.y - cy) });
    }
  }

  // Names, without overlap: the own and the selected first, then players, then the rest where there is room.
  ctx.font = `${font}px system-ui, sans-serif`;
  const placedNames = placeLabels(labels, (t) => measured(ctx, t, font), font + 3);
  for (const l of placedNames) outlinedText(ctx, l.text, l.x, l.y, l.id === s.self ? '#ffe27a' : '#ffffff');

  if (s.hits) drawFloaters(ctx, s.hits.floaters, byId, r, s.self);

  if (s.overlay) drawOverlay(ctx, cam, s.overlay, placedNames.map((l) => l.box));

  const bodies = new Map(s.entities.map((d) => [d.e.id, d]));
  const placed: Box[] = [];
  // Newest lines last, so they end up on top when bubbles are stacked.
  for (const line of [...s.bubbles.values()].sort((a, b) => a.seq - b.seq)) {
    const d = bodies.get(line.actor);
    if (!d) continue;
    const p = cam.toScreen(d.x, d.y);
    placed.push(drawBubble(ctx, line, p.x, p.y - r - 14, placed));
  }
}

/** Text widths by font size and text: names repeat every frame, measuring them again would cost the frame. */
const widths = new Map<string, number>();

function measured(ctx: CanvasRenderingContext2D, text: string, font: number): number {
  const key = `${font}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    w = ctx.measureText(text).width;
    if (widths.size > 5000) widths.clear();
    widths.set(key, w);
  }
  return w;
}

/** Damage numbers rising and fading over the bodies they hit (red over the own avatar, yellow over others). */
function drawFloaters(ctx: CanvasRenderingContext2D, floaters: readonly Floater[], at: ReadonlyMap<number, { x: number; y: number }>, r: number, self: number): void {
  ctx.font = 'bold 15px system-ui, sans-serif';
  for (const f of floaters) {
    const p = at.get(f.target);
    if (!p) continue;
    ctx.globalAlpha = Math.max(0, 1 - f.age);
    outlinedText(ctx, f.text, p.x + f.dx, p.y - r - 14 - f.age * 28, f.target === self ? '#ff5a4a' : '#ffe066');
  }
  ctx.globalAlpha = 1;
}

function rank(e: EntityView, self: number): number {
  return e.id === self ? 2 : e.anim === 'dead' ? 0 : 1;
}

function outlinedText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string): void {
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(0,0,0,0.85)';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}

/** The pack plans: routes, arrows and labels, the labels kept off each other and off the names in `avoid`. */
function drawOverlay(ctx: CanvasRenderingContext2D, cam: Camera, o: PlanOverlay, avoid: readonly Box[]): void {
  ctx.lineWidth = 2.5;
  for (const a of o.arrows) {
    const f = cam.toScreen(a.from.x, a.from.y), t = cam.toScreen(a.to.x, a.to.y);
    const ang = Math.atan2(t.y - f.y, t.x - f.x);
    const len = Math.hypot(t.x - f.x, t.y - f.y);
    if (len < 4) continue;
    const end = { x: t.x - Math.cos(ang) * 8, y: t.y - Math.sin(ang) * 8 };
    ctx.strokeStyle = a.colour;
    ctx.fillStyle = a.colour;
    ctx.setLineDash([8, 4]);
    ctx.beginPath();
    ctx.moveTo(f.x, f.y);
    ctx.lineTo(end.x, end.y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(end.x + Math.cos(ang) * 6, end.y + Math.sin(ang) * 6);
    ctx.lineTo(end.x + Math.cos(ang + 2.5) * 10, end.y + Math.sin(ang + 2.5) * 10);
    ctx.lineTo(end.x + Math.cos(ang - 2.5) * 10, end.y + Math.sin(ang - 2.5) * 10);
    ctx.closePath();
    ctx.fill();
  }
  const font = (title: boolean): string => (title ? 'bold 13px system-ui, sans-serif' : '11px system-ui, sans-serif');
  const requests = o.labels.map((l) => ({ text: l.text, colour: l.colour, title: l.title, anchor: cam.toScreen(l.at.x, l.at.y) }));
  const placed = placePlanLabels(requests, (text, title) => {
    ctx.font = font(title);
    return ctx.measureText(text).width;
  }, avoid);
  for (const l of placed) {
    if (l.moved) {
      // A leader line from the label back to where it belongs.
      ctx.strokeStyle = l.colour;
      ctx.globalAlpha = 0.6;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(l.x, l.box.y + (l.y > l.anchor.y ? 0 : l.box.h));
      ctx.lineTo(l.anchor.x, l.anchor.y);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    ctx.font = font(l.title);
    outlinedText(ctx, l.text, l.x, l.y, l.colour);
  }
}

/** Draw a speech bubble whose tail points at (x, y), lifted above the bubbles already `placed`; returns its box. */
function drawBubble(ctx: CanvasRenderingContext2D, line: SpeechLine, x: number, y: number, placed: readonly Box[]): Box {
  const lines = wrapText(line.text, 32, 3);
  ctx.font = line.kind === 'battleCry' ? 'bold 12px system-ui, sans-serif' : '12px system-ui, sans-serif';
  const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 12;
  const h = lines.length * 15 + 8;
  let top = y - h;
  for (let i = 0; i < 8; i++) {
    const hit = placed.find((b) => overlaps(b, { x: x - w / 2, y: top, w, h }));
    if (!hit) break;
    top = hit.y - h - 4;
  }
  const tail = top + h;
  ctx.fillStyle = line.kind === 'battleCry' ? 'rgba(255, 230, 220, 0.95)' : line.kind === 'bark' ? 'rgba(235, 235, 235, 0.9)' : 'rgba(255, 255, 255, 0.95)';
  ctx.strokeStyle = line.kind === 'battleCry' ? '#c0392b' : '#333';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.roundRect(x - w / 2, top, w, h, 6);
  ctx.fill();
  ctx.stroke();
  if (tail > y - 1) {
    ctx.beginPath();
    ctx.moveTo(x - 5, tail);
    ctx.lineTo(x, tail + 6);
    ctx.lineTo(x + 5, tail);
    ctx.fill();
  } else {
    // Lifted above another bubble: a thin leader line down to the speaker.
    ctx.beginPath();
    ctx.moveTo(x, tail);
    ctx.lineTo(x, y + 6);
    ctx.stroke();
  }
  ctx.fillStyle = '#111';
  lines.forEach((l, i) => ctx.fillText(l, x, top + 11 + i * 15));
  return { x: x - w / 2, y: top, w, h };
}
