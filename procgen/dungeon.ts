import type { Rng } from '../shared/index.ts';

/** Cell kinds of a {@link DungeonLayout}. */
export const Cell = { rock: 0, room: 1, corridor: 2, door: 3 } as const;

/** An axis-aligned room, in layout cells: top-left (x, y), size w × h. */
export interface Room {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A room-and-corridor layout in its own grid (0..width-1, 0..height-1). */
export interface DungeonLayout {
  readonly width: number;
  readonly height: number;
  /** Row-major cells ({@link Cell}). */
  readonly cells: Uint8Array;
  readonly rooms: readonly Room[];
  readonly doors: readonly { readonly x: number; readonly y: number }[];
  /** The cell on the layout border through which the dungeon is entered (a door). */
  readonly entrance: { readonly x: number; readonly y: number };
  /** Index into `rooms` of the room the entrance corridor starts from. */
  readonly entranceRoom: number;
}

/** Options of {@link generateDungeon}; sizes in cells. */
export interface DungeonOptions {
  readonly width: number;
  readonly height: number;
  /** Rooms wanted [min, max]; fewer are placed if they don't fit. */
  readonly rooms: readonly [number, number];
  /** Room side [min, max]. */
  readonly roomSize: readonly [number, number];
  /** Which border the entrance faces. */
  readonly entranceSide: 'north' | 'south' | 'west' | 'east';
}

const centre = (r: Room): { x: number; y: number } => ({ x: r.x + (r.w >> 1), y: r.y + (r.h >> 1) });

/**
 * Rooms and corridors: rooms are scattered without overlap (1 cell of rock between them), joined by a
 * minimum spanning tree of L-shaped corridors (so every room is reachable), doors are put where a corridor
 * enters a room through a one-cell gap, and a corridor runs from the room nearest `entranceSide` to the
 * layout border, ending in the entrance door. Deterministic for a given rng state.
 */
export function generateDungeon(rng: Rng, o: DungeonOptions): DungeonLayout {
  const { width: W, height: H } = o;
  const cells = new Uint8Array(W * H);
  const rooms: Room[] = [];
  const wanted = rng.int(o.rooms[0], o.rooms[1]);
  for (let attempt = 0; attempt < wanted * 30 && rooms.length < wanted; attempt++) {
    const w = rng.int(o.roomSize[0], o.roomSize[1]);
    const h = rng.int(o.roomSize[0], o.roomSize[1]);
    if (w > W - 4 || h > H - 4) continue;
    const x = rng.int(2, W - w - 2);
    const y = rng.int(2, H - h - 2);
    const clash = rooms.some((r) => x < r.x + r.w + 1 && r.x < x + w + 1 && y < r.y + r.h + 1 && r.y < y + h + 1);
    if (!clash) rooms.push({ x, y, w, h });
  }
  if (rooms.length === 0) {
    const w = Math.min(o.roomSize[0], W - 4), h = Math.min(o.roomSize[0], H - 4);
    rooms.push({ x: (W - w) >> 1, y: (H - h) >> 1, w, h });
  }
  const roomAt = new Int16Array(W * H).fill(-1);
  rooms.forEach((r, i) => {
    for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) {
      cells[y * W + x] = Cell.room;
      roomAt[y * W + x] = i;
    }
  });
  const dig = (x: number, y: number): void => {
    if (cells[y * W + x] === Cell.rock) cells[y * W + x] = Cell.corridor;
  };
  const corridor = (a: { x: number; y: number }, b: { x: number; y: number }): void => {
    const horizontalFirst = rng.chance(0.5);
    const corner = horizontalFirst ? { x: b.x, y: a.y } : { x: a.x, y: b.y };
    for (const [p, q] of [[a, corner], [corner, b]] as const) {
      const dx = Math.sign(q.x - p.x), dy = Math.sign(q.y - p.y);
      let x = p.x, y = p.y;
      dig(x, y);
      while (x !== q.x || y !== q.y) {
        x += dx; y += dy;
        dig(x, y);
      }
    }
  };
  // Prim's minimum spanning tree over room centres (squared distance, ties by index): all rooms connected.
  const inTree = [0];
  const out = new Set<number>(rooms.map((_, i) => i).slice(1));
  while (out.size > 0) {
    let best: [number, number, number] | undefined;
    for (const i of inTree) for (const j of out) {
      const a = centre(rooms[i] as Room), b = centre(rooms[j] as Room);
      const d = (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
      if (!best || d < best[0]) best = [d, i, j];
    }
    const [, i, j] = best as [number, number, number];
    corridor(centre(rooms[i] as Room), centre(rooms[j] as Room));
    inTree.push(j);
    out.delete(j);
  }
  // Entrance: from the room nearest the chosen side, straight out to the border.
  const side = o.entranceSide;
  const gap = (r: Room): number =>
    side === 'north' ? r.y : side === 'south' ? H - (r.y + r.h) : side === 'west' ? r.x : W - (r.x + r.w);
  let entranceRoom = 0;
  rooms.forEach((r, i) => { if (gap(r) < gap(rooms[entranceRoom] as Room)) entranceRoom = i; });
  const c = centre(rooms[entranceRoom] as Room);
  const entrance = side === 'north' ? { x: c.x, y: 0 } : side === 'south' ? { x: c.x, y: H - 1 }
    : side === 'west' ? { x: 0, y: c.y } : { x: W - 1, y: c.y };
  corridor(c, entrance);
  // Doors: corridor cells next to a room cell, sitting in a one-cell gap (rock or nothing on both flanks).
  const doors: { x: number; y: number }[] = [];
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= W || y >= H ? Cell.rock : (cells[y * W + x] as number));
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if (cells[y * W + x] !== Cell.corridor) continue;
    const horiz = at(x - 1, y) === Cell.room || at(x + 1, y) === Cell.room;
    const vert = at(x, y - 1) === Cell.room || at(x, y + 1) === Cell.room;
    const flanksV = at(x, y - 1) === Cell.rock && at(x, y + 1) === Cell.rock;
    const flanksH = at(x - 1, y) === Cell.rock && at(x + 1, y) === Cell.rock;
    if ((horiz && flanksV) || (vert && flanksH)) {
      cells[y * W + x] = Cell.door;
      doors.push({ x, y });
    }
  }
  cells[entrance.y * W + entrance.x] = Cell.door;
  if (!doors.some((d) => d.x === entrance.x && d.y === entrance.y)) doors.push(entrance);
  return { width: W, height: H, cells, rooms, doors, entrance, entranceRoom };
}
