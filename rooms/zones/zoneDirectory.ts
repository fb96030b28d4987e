import { matchMaker } from '@colyseus/core';
import type { IRoomCache, Presence } from '@colyseus/core';
import { zoneKey, zoneRoomId } from '../../shared/index.ts';
import type { ZoneCoord } from '../../shared/index.ts';

/** How long one process waits for another to finish starting a zone, ms. */
const WAIT_MS = 8000;
const LOCK_SECONDS = 15;

/** What the directory needs from the server. */
export interface ZoneDirectoryOptions {
  /** The registered room name of zones (default `zone`). */
  readonly roomName?: string;
  presence(): Presence;
}

/**
 * Finds the room of a zone wherever it runs (the matchmaker's listing, shared through the driver), and starts it
 * when it is not running: woken from its snapshot when it slept, created otherwise. One process starts a zone at a
 * time (a lock in presence); the others wait for its listing to appear. Colyseus picks the process a new zone
 * lands on (the least busy), which spreads zones over processes.
 */
export class ZoneDirectory {
  private readonly starting = new Map<string, Promise<IRoomCache>>();
  private readonly roomName: string;

  constructor(private readonly opts: ZoneDirectoryOptions) {
    this.roomName = opts.roomName ?? 'zone';
  }

  /** The listing of zone `z` of the world with `seed`, starting the zone when needed. */
  ensure(seed: string | number, z: ZoneCoord): Promise<IRoomCache> {
    const roomId = zoneRoomId(seed, z);
    const inFlight = this.starting.get(roomId);
    if (inFlight) return inFlight;
    const run = this.find(roomId, seed, z).finally(() => this.starting.delete(roomId));
    this.starting.set(roomId, run);
    return run;
  }

  private async find(roomId: string, seed: string | number, z: ZoneCoord): Promise<IRoomCache> {
    const listed = await matchMaker.getRoomById(roomId);
    if (listed) return listed;
    const presence = this.opts.presence();
    const lock = `lm:zonelock:${roomId}`;
    // Counted and given its expiry in one step: a process dying here cannot leave a lock that never expires.
    const n = await presence.hincrbyex(lock, 'starting', 1, LOCK_SECONDS);
    if (n === 1) {
      try {
        const again = await matchMaker.getRoomById(roomId);
        if (again) return again;
        // A zone that slept wakes from its snapshot as it is created (the room finds the snapshot itself).
        return await matchMaker.createRoom(this.roomName, { seed, zone: { x: z.x, y: z.y } });
      } finally {
        presence.del(lock);
      }
    }
    // Another process is starting it: wait for its listing.
    const until = Date.now() + WAIT_MS;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      const found = await matchMaker.getRoomById(roomId);
      if (found) return found;
    }
    throw new Error(`zone ${zoneKey(z)} (room ${roomId}) did not start within ${WAIT_MS} ms`);
  }
}
