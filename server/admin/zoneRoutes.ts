import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { matchMaker } from '@colyseus/core';
import type { WorldRoom } from '../../rooms/index.ts';
import { hasAdminToken } from '../adminAuth.ts';

/** p99 of a list of numbers (0 when empty). */
function p99(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] as number;
}

/** What one zone room of this process says of itself. */
export function zoneStatus(room: WorldRoom, actor?: number): Record<string, unknown> | null {
  const link = room.zoneLink;
  if (!link || !room.zone) return null;
  const world = room.sim.world;
  let real = 0;
  for (const a of world.order) if (a.status !== 'stopped') real++;
  const ghosts = world.ghosts.size;
  const held = actor !== undefined ? world.actors.get(actor) : undefined;
  return {
    roomId: room.roomId,
    zone: room.zone,
    tick: world.tick,
    actors: real,
    ghosts,
    players: world.players.size,
    clients: room.clients.length,
    handovers: { out: link.counters.handoversOut, in: link.counters.handoversIn, repeats: link.counters.repeats, badMessages: link.counters.badMessages },
    outbox: link.outbox.size,
    handoverP99Ms: p99(link.counters.latencies),
    tickP99Ms: Math.round(p99([...room.stepTimes].filter((t) => t > 0)) * 100) / 100,
    ...(actor !== undefined && { holds: held !== undefined && held.status !== 'stopped' }),
  };
}

/**
 * `GET /admin/zones[?actor=<id>]` (bearer token): the zones this process runs, with their actors, ghosts, players,
 * handover counts and latency; with `actor`, whether each zone holds that actor for real (not as a ghost).
 */
export function createZoneRouter(token: string): Router {
  const router = express.Router();
  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    if (!hasAdminToken(req.headers.authorization, token)) {
      res.status(401).json({ error: 'missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)' });
      return;
    }
    const raw = req.query.actor;
    let actor: number | undefined;
    if (raw !== undefined) {
      actor = Number(raw);
      if (!Number.isInteger(actor) || actor <= 0) {
        res.status(400).json({ error: `actor: expected a positive integer actor id, got ${JSON.stringify(String(raw).slice(0, 40))}` });
        return;
      }
    }
    localZoneRooms().then((rooms) => {
      const zones: Record<string, unknown>[] = [];
      for (const room of rooms) {
        const s = zoneStatus(room, actor);
        if (s) zones.push(s);
      }
      res.json({ processId: matchMaker.processId, zones });
    }, next);
  });
  return router;
}

async function localZoneRooms(): Promise<WorldRoom[]> {
  const rooms: WorldRoom[] = [];
  for (const listing of await matchMaker.query({ name: 'zone' })) {
    const room = matchMaker.getLocalRoomById(listing.roomId) as unknown as WorldRoom | undefined;
    if (room?.zoneLink) rooms.push(room);
  }
  return rooms;
}
