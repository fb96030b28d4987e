import { describe, expect, it } from 'vitest';
import { Camera } from '../../client/camera.ts';

describe('Camera', () => {
  it('maps world to screen and back, centred on its position', () => {
    const cam = new Camera(10, 5, 20, 800, 600);
    expect(cam.toScreen(10, 5)).toEqual({ x: 400, y: 300 });
    expect(cam.toScreen(11, 4)).toEqual({ x: 420, y: 280 });
    const w = cam.toWorld(123, 456);
    const s = cam.toScreen(w.x, w.y);
    expect(s.x).toBeCloseTo(123);
    expect(s.y).toBeCloseTo(456);
  });

  it('zooms about the cursor (the point under it stays put) within limits', () => {
    const cam = new Camera(0, 0, 20, 800, 600);
    const before = cam.toWorld(600, 100);
    cam.zoomAt(2, 600, 100);
    const after = cam.toWorld(600, 100);
    expect(cam.scale).toBe(40);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    cam.zoomAt(1000, 0, 0);
    expect(cam.scale).toBe(Camera.MAX_SCALE);
    cam.zoomAt(0.0001, 0, 0);
    expect(cam.scale).toBe(Camera.MIN_SCALE);
  });

  it('drags with the pointer, pans, follows, and reports the tiles in view', () => {
    const cam = new Camera(0, 0, 10, 200, 100);
    cam.drag(50, -20);
    expect(cam.x).toBeCloseTo(-5);
    expect(cam.y).toBeCloseTo(2);
    cam.follow(3, 4);
    cam.pan(1, 1);
    expect([cam.x, cam.y]).toEqual([4, 5]);
    expect(cam.visibleTiles(0)).toEqual({ x0: -6, y0: 0, x1: 14, y1: 10 });
  });
});
