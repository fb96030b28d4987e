/**
 * A 2D camera: the world point at the centre of the canvas and the zoom in pixels per world unit (one world
 * unit is one tile). Pure arithmetic, no DOM.
 */
export class Camera {
  /** Zoom limits, pixels per tile. */
  static readonly MIN_SCALE = 2;
  static readonly MAX_SCALE = 96;

  constructor(
    /** World point at the centre of the view. */
    public x = 0,
    public y = 0,
    /** Pixels per world unit. */
    public scale = 24,
    /** Canvas size in CSS pixels. */
    public width = 800,
    public height = 600,
  ) {}

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
  }

  /** Canvas pixel of a world point. */
  toScreen(wx: number, wy: number): { x: number; y: number } {
    return { x: (wx - this.x) * this.scale + this.width / 2, y: (wy - this.y) * this.scale + this.height / 2 };
  }

  /** World point under a canvas pixel. */
  toWorld(sx: number, sy: number): { x: number; y: number } {
    return { x: (sx - this.width / 2) / this.scale + this.x, y: (sy - this.height / 2) / this.scale + this.y };
  }

  /** Centre on a world point. */
  follow(wx: number, wy: number): void {
    this.x = wx;
    this.y = wy;
  }

  /** Move by a screen-space drag of (dx, dy) pixels (the world follows the pointer). */
  drag(dx: number, dy: number): void {
    this.x -= dx / this.scale;
    this.y -= dy / this.scale;
  }

  /** Pan by (dx, dy) world units. */
  pan(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  /** Zoom by `factor`, keeping the world point under canvas pixel (sx, sy) where it is. */
  zoomAt(factor: number, sx: number, sy: number): void {
    const before = this.toWorld(sx, sy);
    this.scale = Math.min(Camera.MAX_SCALE, Math.max(Camera.MIN_SCALE, this.scale * factor));
    const after = this.toWorld(sx, sy);
    this.x += before.x - after.x;
    this.y += before.y - after.y;
  }

  /** The world rectangle in view, as whole tiles (inclusive ranges), with a margin of `pad` tiles. */
  visibleTiles(pad = 1): { x0: number; y0: number; x1: number; y1: number } {
    const a = this.toWorld(0, 0);
    const b = this.toWorld(this.width, this.height);
    return { x0: Math.floor(a.x) - pad, y0: Math.floor(a.y) - pad, x1: Math.ceil(b.x) + pad, y1: Math.ceil(b.y) + pad };
  }
}
