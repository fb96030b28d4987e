import type { Camera } from './camera.ts';
import { clickAction, KeyboardSteering, MOVE_KEYS } from './input.ts';
import type { Pickable } from './input.ts';

/** Pick radius for clicks, world units. */
const PICK_RADIUS = 0.8;

/** What the controls need from the page. */
export interface ControlsHost {
  readonly camera: Camera;
  readonly designer: boolean;
  readonly self: number;
  setDesigner(on: boolean): void;
  send(type: string, payload: unknown): void;
  pickables(): Pickable[];
  /** A click on the map chose to attack `target` (play mode). */
  attacked(target: number): void;
  /** A click sent the avatar to a point (play mode), or the keyboard took over (undefined). */
  marked(to: { x: number; y: number } | undefined): void;
  /** A click picked an actor to inspect (designer mode). */
  inspected(actor: number): void;
}

/** Keyboard and pointer input: steering, designer panning, clicks to move, attack or inspect, wheel zoom. */
export class Controls {
  readonly steering = new KeyboardSteering();
  /** Movement keys held now (the designer's free camera pans with them). */
  readonly held = new Set<string>();

  constructor(private readonly host: ControlsHost, private readonly canvas: HTMLCanvasElement) {}

  bind(): void {
    const typing = (ev: Event) => ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
    const host = this.host;
    addEventListener('keydown', (ev) => {
      if (ev.code === 'F2') {
        ev.preventDefault();
        host.setDesigner(!host.designer);
        return;
      }
      if (typing(ev)) return;
      if (ev.code in MOVE_KEYS) ev.preventDefault();
      this.held.add(ev.code);
      if (!host.designer) {
        const m = this.steering.key(ev.code, true);
        if (m) {
          host.marked(undefined);
          host.send('move', m);
        }
      }
    });
    addEventListener('keyup', (ev) => {
      this.held.delete(ev.code);
      if (host.designer) return;
      const m = this.steering.key(ev.code, false);
      if (m) host.send('move', m);
    });
    addEventListener('blur', () => {
      this.held.clear();
      const m = this.steering.releaseAll();
      if (m && !host.designer) host.send('move', m);
    });

    let drag: { x: number; y: number; moved: boolean } | undefined;
    this.canvas.addEventListener('pointerdown', (ev) => {
      drag = { x: ev.clientX, y: ev.clientY, moved: false };
    });
    this.canvas.addEventListener('pointermove', (ev) => {
      if (!drag || !host.designer || ev.buttons === 0) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      host.camera.drag(dx, dy);
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
      host.camera.zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX, ev.clientY);
    }, { passive: false });
  }

  /** Release every key (entering or leaving designer mode). */
  releaseAll(): void {
    this.steering.releaseAll();
    this.steering.reset();
  }

  /** The free camera's pan direction from the held keys (designer mode), each axis -n..n. */
  panDirection(): { x: number; y: number } {
    let x = 0, y = 0;
    for (const code of this.held) {
      const d = MOVE_KEYS[code];
      if (d) {
        x += d.x;
        y += d.y;
      }
    }
    return { x, y };
  }

  private click(sx: number, sy: number): void {
    const host = this.host;
    const point = host.camera.toWorld(sx, sy);
    const action = clickAction(point, host.pickables(), { self: host.self, mode: host.designer ? 'design' : 'play', pickRadius: PICK_RADIUS });
    switch (action.type) {
      case 'attack':
        host.attacked(action.target);
        host.send('attack', { target: action.target });
        break;
      case 'move':
        host.marked(action.to);
        this.steering.reset();
        host.send('move', { to: action.to });
        break;
      case 'inspect':
        host.inspected(action.actor);
        break;
      case 'none':
        break;
    }
  }
}
