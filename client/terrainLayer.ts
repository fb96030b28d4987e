import type { WorldGen } from '../procgen/index.ts';
import type { Camera } from './camera.ts';
import { tileColour } from './colours.ts';

/** A tile changed by the server after generation (walls built, bridges laid). */
export interface TileEdit {
  readonly tx: number;
  readonly ty: number;
  readonly walkable: boolean;
}

/**
 * The ground, regenerated in the browser from the room's seed and parameters by the same procgen code the
 * server runs. Each chunk is painted once into a small image (one pixel per tile) and scaled up when drawn.
 */
export class TerrainLayer {
  private readonly images = new Map<string, HTMLCanvasElement>();

  constructor(readonly gen: WorldGen, private readonly maxImages = 128) {}

  draw(ctx: CanvasRenderingContext2D, cam: Camera, edits: readonly TileEdit[] = []): void {
    const S = this.gen.chunkSize;
    const v = cam.visibleTiles(0);
    ctx.imageSmoothingEnabled = false;
    for (let cy = Math.floor(v.y0 / S); cy <= Math.floor(v.y1 / S); cy++) {
      for (let cx = Math.floor(v.x0 / S); cx <= Math.floor(v.x1 / S); cx++) {
        const p = cam.toScreen(cx * S, cy * S);
        // +1 px hides seams between chunks at fractional zoom levels.
        ctx.drawImage(this.image(cx, cy), Math.floor(p.x), Math.floor(p.y), Math.ceil(S * cam.scale) + 1, Math.ceil(S * cam.scale) + 1);
      }
    }
    for (const e of edits) {
      if (e.tx < v.x0 || e.tx > v.x1 || e.ty < v.y0 || e.ty > v.y1) continue;
      const p = cam.toScreen(e.tx, e.ty);
      ctx.fillStyle = e.walkable ? 'rgba(210, 190, 150, 0.9)' : 'rgba(40, 34, 32, 0.95)';
      ctx.fillRect(p.x, p.y, cam.scale, cam.scale);
    }
  }

  /** The image of chunk (cx, cy), painted on first use; the least recently used are dropped past the limit. */
  private image(cx: number, cy: number): HTMLCanvasElement {
    const key = `${cx},${cy}`;
    const hit = this.images.get(key);
    if (hit) {
      this.images.delete(key);
      this.images.set(key, hit);
      return hit;
    }
    const chunk = this.gen.chunk(cx, cy);
    const S = chunk.size;
    const canvas = document.createElement('canvas');
    canvas.width = S;
    canvas.height = S;
    const c2d = canvas.getContext('2d') as CanvasRenderingContext2D;
    const img = c2d.createImageData(S, S);
    for (let i = 0; i < S * S; i++) {
      const [r, g, b] = tileColour(chunk, i);
      img.data[i * 4] = r;
      img.data[i * 4 + 1] = g;
      img.data[i * 4 + 2] = b;
      img.data[i * 4 + 3] = 255;
    }
    c2d.putImageData(img, 0, 0);
    this.images.set(key, canvas);
    if (this.images.size > this.maxImages) this.images.delete(this.images.keys().next().value as string);
    return canvas;
  }
}
