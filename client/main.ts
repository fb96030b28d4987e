import { App } from './app.ts';

/**
 * Entry point. Query parameters: `server` (game server origin; default this page's origin, or the dev server's
 * target), `name`, `seed`, `room`, `zones=1` (play a world split into zones), `token` (a player token; prefill the join form), `autojoin=1` (join at once), `designer=1`.
 */
const params = new URLSearchParams(location.search);
const server = params.get('server') || (typeof __LAIRMIND_SERVER__ === 'string' && __LAIRMIND_SERVER__) || location.origin;
const app = new App(server);

/** For the browser console and end-to-end tests: read-only views of the page's state. */
(globalThis as { lairmind?: unknown }).lairmind = {
  app,
  get roomId() {
    return app.roomId;
  },
  get self() {
    return app.self;
  },
  get status() {
    return app.connectionStatus;
  },
  statusLog: () => [...app.statusLog],
  entities: () => [...app.mirror.entities.values()].map((e) => ({ ...e })),
  screenOf: (id: number) => app.screenOf(id),
  plans: () => app.packPlans,
  /** Draw time per frame over the last frames, ms (p50, p95, max, n); `resetFrames()` starts a new measurement. */
  frameTimes: () => app.frames.drawTimes(),
  resetFrames: () => app.frames.resetDraws(),
  /** Zones crossed, with the longest wait between two states around each crossing (ms). */
  zoneMoves: () => app.zoneMoves.map((m) => ({ ...m })),
  /** Frames drawn since the avatar first existed, and how many of them lacked it. */
  avatarFrames: () => ({ ...app.avatarFrames }),
  /** The waits between the recent states applied, ms. */
  stateGaps: () => app.stateGaps(),
  /** Whether the death screen is up. */
  get dead() {
    return app.death.showing;
  },
};

if (params.get('designer') === '1') app.setDesigner(true);
if (params.get('autojoin') === '1') {
  const name = params.get('name') || 'player';
  const seed = params.get('seed') || undefined;
  const roomId = params.get('room') || undefined;
  const token = params.get('token') || undefined;
  const roomName = params.get('zones') === '1' ? 'zone' : 'world';
  app.join({ name, roomName, ...(seed && { seed }), ...(roomId && { roomId }), ...(token && { token }) }).catch((err: unknown) => console.error(err));
}
