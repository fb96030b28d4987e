import type { Client, Room } from '@colyseus/sdk';

/** The server's word that our avatar now lives in the next zone, with the seat it reserved for us there. */
export interface ZoneMove {
  readonly zone: { readonly x: number; readonly y: number };
  readonly roomId: string;
  readonly reservation: Parameters<Client['consumeSeatReservation']>[0];
}

/** Read a `zone` message: the move, or why it cannot be followed. */
export function readZoneMove(body: unknown): ZoneMove | { readonly error: string } {
  const b = body as { zone?: { x?: unknown; y?: unknown }; roomId?: unknown; reservation?: { roomId?: unknown; sessionId?: unknown }; error?: unknown } | null;
  if (typeof b?.error === 'string') return { error: b.error };
  const r = b?.reservation;
  if (!b || typeof b.roomId !== 'string' || typeof r?.sessionId !== 'string' || typeof b.zone?.x !== 'number' || typeof b.zone?.y !== 'number') {
    return { error: 'a zone message without a zone, room or seat' };
  }
  return b as unknown as ZoneMove;
}

/** Whether `room`'s state shows our avatar (the sign that the new zone is ready to be drawn). */
export function showsOwnAvatar(room: Room): boolean {
  const state = room.state as { players?: { get(k: string): { actor?: number } | undefined }; entities?: { get(k: string): unknown } } | undefined;
  const actor = state?.players?.get(room.sessionId)?.actor;
  return typeof actor === 'number' && actor > 0 && state?.entities?.get(String(actor)) !== undefined;
}

/**
 * Take the seat the old zone reserved in the next one, and resolve once the next zone's state shows our avatar:
 * until then the caller keeps drawing (and sending to) the old room, which passes late inputs on. The caller
 * then switches to the new room and leaves the old one.
 */
export async function hopZone(client: Client, move: ZoneMove, timeoutMs = 10_000): Promise<Room> {
  const next = await client.consumeSeatReservation(move.reservation);
  if (showsOwnAvatar(next)) return next;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`zone ${move.zone.x},${move.zone.y}: our avatar did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = (): void => {
      if (!showsOwnAvatar(next)) return;
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = (): void => next.onStateChange.remove(check);
    next.onStateChange(check);
  }).catch(async (err: unknown) => {
    await next.leave(true).catch(() => {});
    throw err;
  });
  return next;
}
