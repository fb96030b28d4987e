// Putting avatars and markers into given view cells of a room under test.
import type { Joined } from './serverHarness.ts';
import type { WorldRoom } from '../../rooms/index.ts';

/** A walkable tile centre inside cell (cx, cy) of side `size`, as near its middle as possible. */
export function spotInCell(room: WorldRoom, cx: number, cy: number, size: number, except: { x: number; y: number }[] = []): { x: number; y: number } {
  const mx = Math.floor((cx + 0.5) * size), my = Math.floor((cy + 0.5) * size);
  for (let r = 0; r < size / 2; r++) {
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) {
        const x = mx + dx + 0.5, y = my + dy + 0.5;
        if (!room.gen.isWalkable(mx + dx, my + dy) || except.some((e) => Math.hypot(e.x - x, e.y - y) < 2)) continue;
        return { x, y };
      }
    }
  }
  throw new Error(`no walkable tile in cell ${cx}, ${cy}`);
}

/** Put actor `id` at `at` (the room's next step re-indexes it). */
export function put(room: WorldRoom, id: number, at: { x: number; y: number }): void {
  const body = room.sim.world.actors.get(id)!.body!;
  body.x = at.x;
  body.y = at.y;
}

/** A monster that stands still and notices nothing, as a marker. */
export function marker(room: WorldRoom, at: { x: number; y: number }, name: string): void {
  room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 0.1, wanderSpeed: 0, damage: 0 }, body: { x: at.x, y: at.y, faction: 'markers', maxHp: 50 }, tags: { species: 'stone', name } } });
}

/** Whether the client holds an entity named `name`. */
export const named = (j: Joined, name: string) => [...j.mirror.entities.values()].some((e) => e.name === name);
