import { matchMaker } from '@colyseus/core';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import { checkScenario } from '../../actors/index.ts';
import type { Scenario } from '../../actors/index.ts';
import { PRIORITY_CLASSES } from '../../llm/index.ts';
import type { LlmGateway, ModelRegistry } from '../../llm/index.ts';
import { explainIssues, ValidationError } from '../../shared/index.ts';
import type { Clock } from '../../shared/index.ts';
import { hasAdminToken } from '../adminAuth.ts';
import type { ScenarioLibrary } from '../scenarioFiles.ts';
import { ScenarioNotFoundError } from '../scenarioFiles.ts';
import { AdminError, adminErrorOf, badRequest, sendError } from './adminErrors.ts';
import type { PlayerTokens } from '../identity/index.ts';
import { modelStatuses, ModelSpendToday } from './modelStatus.ts';
import { tuningResponse } from './llmTuning.ts';
import { issuePlayerToken } from './playerTokenRequest.ts';
import { RoomCalls } from './roomCalls.ts';
import { createRoomMethods } from './roomMethods.ts';
import { parseSpawnRequest } from './spawnRequest.ts';
import type { RoomKeeper } from '../roomKeeper.ts';

/** What the admin API needs from the server. */
export interface AdminDeps {
  /** The bearer token (ADMIN_TOKEN). */
  readonly token: string;
  readonly scenarios: ScenarioLibrary;
  readonly llm: LlmGateway;
  /** Name of the room type rooms are created as (default `world`). */
  readonly roomName?: string;
  /** Room options that mark a room as created by the admin API (so it may use any scenario). */
  readonly trustedOptions: Readonly<Record<string, unknown>>;
  /** Signs player tokens; null or absent while auth is off (no AUTH_SECRET). */
  readonly playerTokens?: PlayerTokens | null;
  /** The whole model registry, disabled models included (default: the models the gateway routes to). */
  readonly registry?: ModelRegistry;
  /** Clock of the UTC day that spend counts in (default: the wall clock; give the gateway's). */
  readonly clock?: Clock;
  /** Snapshots and forks; null or absent with SNAPSHOTS=off. */
  readonly keeper?: RoomKeeper | null;
  /**
   * Runs the room routes on whichever process hosts the room (default: calls made from here, with the room methods
   * of this router's gateway and keeper; the server also makes its own calls answer other processes).
   */
  readonly calls?: RoomCalls;
}

const CreateRoomSchema = z.union([
  z.object({
    /** A scenario file name, or a scenario document. */
    scenario: z.unknown(),
  }).strict(),
  z.object({
    /** Fork a room's snapshot (the latest, or the one at `tick`) into a new room: a sandbox without its players. */
    fromSnapshot: z.object({ roomId: z.string().min(1).max(128), tick: z.number().int().nonnegative().optional() }).strict(),
  }).strict(),
]);

const StepSchema = z.object({ ticks: z.number().int().min(1).max(1200).default(1) }).strict();

const ActorIdSchema = z.coerce.number().int().positive().max(2 ** 32 - 1);

/**
 * The admin HTTP API under `/admin` (bearer token): list rooms; create a room from a scenario; spawn a scenario or one
 * entity into a live room; despawn; pause, resume and step a room; inspect an actor; a room's LLM use. Requests are
 * validated in full before anything is applied: a 400 names each bad field and changes nothing. Every route about a
 * room answers for a room on any process sharing the presence (see roomCalls.ts).
 */
export function createAdminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  const roomName = deps.roomName ?? 'world';
  const calls = deps.calls ?? new RoomCalls(createRoomMethods({ llm: deps.llm, keeper: deps.keeper ?? null }), { roomName });
  const registry = deps.registry?.models ?? deps.llm.models;
  const spend = new ModelSpendToday(deps.clock ?? { now: () => Date.now() });
  deps.llm.telemetry.onRecord((r) => spend.add(r));

  // Browsers (the designer panel) may call from another origin; the token, not a cookie, authorises.
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    if (!hasAdminToken(req.headers.authorization, deps.token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="lairmind admin"').json({ error: 'missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)' });
      return;
    }
    next();
  });
  router.use(express.json({ limit: '4mb' }));

  const route = (fn: (req: Request, res: Response) => Promise<void> | void) => (req: Request, res: Response, next: NextFunction): void => {
    Promise.resolve()
      .then(() => fn(req, res))
      .catch(next);
  };

  router.get('/scenarios', route((_req, res) => {
    res.json({ scenarios: deps.scenarios.names() });
  }));

  // Every process's rooms, each with the process hosting it and its summary (asked of that process, in parallel, each
  // within the call deadline: a process that does not answer leaves its rooms listed with `summary: null` and why).
  router.get('/rooms', route(async (_req, res) => {
    // Rooms holding a whole world, and the zones of worlds split over processes.
    const rooms = [...await matchMaker.query({ name: roomName }), ...await matchMaker.query({ name: 'zone' })];
    res.json({
      processId: matchMaker.processId,
      rooms: await Promise.all(rooms.map(async (r) => {
        const listed = {
          roomId: r.roomId, name: r.name, processId: r.processId, local: r.processId === matchMaker.processId,
          clients: r.clients, maxClients: r.maxClients, locked: r.locked, metadata: r.metadata ?? null,
        };
        try {
          return { ...listed, summary: await calls.call(r.roomId, 'summary', {}) };
        } catch (err) {
          return { ...listed, summary: null, error: adminErrorOf(err).message };
        }
      })),
    });
  }));

  router.post('/rooms', route(async (req, res) => {
    const input = bodyOf(req);
    const body = CreateRoomSchema.safeParse(input);
    if (!body.success) throw badRequest('create request', explainIssues(CreateRoomSchema, body.error.issues, input));
    if ('fromSnapshot' in body.data) {
      const keeper = needKeeper();
      const from = body.data.fromSnapshot;
      const forked = await keeper.fork(from.roomId, from.tick).catch((err: unknown) => {
        throw new AdminError(404, `fromSnapshot: ${err instanceof Error ? err.message : String(err)}`);
      });
      res.status(201).json({ roomId: forked.roomId, fromSnapshot: { roomId: from.roomId, tick: forked.tick } });
      return;
    }
    const raw = body.data.scenario;
    let name: string;
    // A scenario's tier must be one the gateway defines: refused here, before a room exists.
    const tierKnown = (sc: Scenario): void => {
      const tiers = Object.keys(deps.llm.tiers.tiers);
      if (!tiers.includes(sc.llm.tier)) throw badRequest('create request', [{ path: ['scenario', 'llm', 'tier'], message: `'${sc.llm.tier}' is not a tier of this server (tiers: ${tiers.join(', ')})` }]);
    };
    if (typeof raw === 'string') {
      tierKnown(loadNamed(deps.scenarios, raw, ['scenario']));
      name = raw;
    } else if (typeof raw === 'object' && raw !== null) {
      const r = checkScenario(raw);
      if (!r.ok) throw badRequest('create request', r.issues.map((i) => ({ path: ['scenario', ...i.path], message: i.message })));
      tierKnown(r.scenario);
      name = deps.scenarios.register(r.scenario);
    } else {
      throw badRequest('create request', [{ path: ['scenario'], message: 'expected a scenario name or a scenario document' }]);
    }
    // Refused, like any matchmaking, while the shared room registry (Redis) is unreachable: a 503 that says so.
    await matchMaker.stats.fetchAll();
    // On this process: the admin proof and inline scenarios are this process's own (matchmaking could place it elsewhere).
    const room = await matchMaker.handleCreateRoom(roomName, { ...deps.trustedOptions, scenario: name });
    res.status(201).json({ roomId: room.roomId, scenario: name });
  }));

  router.get('/rooms/:roomId', route(async (req, res) => {
    res.json(await calls.call(roomIdOf(req), 'summary', {}));
  }));

  const needKeeper = (): RoomKeeper => {
    if (!deps.keeper) throw new AdminError(409, 'snapshots are off on this server (SNAPSHOTS=off)');
    return deps.keeper;
  };

  router.post('/rooms/:roomId/snapshot', route(async (req, res) => {
    res.status(201).json(await calls.call(roomIdOf(req), 'snapshot', {}));
  }));

  router.get('/rooms/:roomId/snapshots', route(async (req, res) => {
    const keeper = needKeeper();
    const id = String(req.params.roomId);
    res.json({ roomId: id, snapshots: await keeper.store.list(id) });
  }));

  // The flight recorder's window: the last snapshot plus every input and mind reply since; `lairmind replay` runs it.
  router.get('/rooms/:roomId/recording', route(async (req, res) => {
    const recording = await calls.call(roomIdOf(req), 'recording', {});
    res.set('Content-Disposition', `attachment; filename="recording-${recording.roomId}-${recording.ticks}.json"`).json(recording);
  }));

  router.post('/rooms/:roomId/spawn', route(async (req, res) => {
    const request = parseSpawnRequest(bodyOf(req), req.query as Record<string, unknown>);
    const scenario = typeof request.scenario === 'string' ? loadNamed(deps.scenarios, request.scenario, ['scenario']) : request.scenario;
    res.json(await calls.call(roomIdOf(req), 'spawn', { scenario, ...(request.at && { at: request.at }) }));
  }));

  router.delete('/rooms/:roomId/actors/:actorId', route(async (req, res) => {
    const actor = needActorId(req);
    res.json(await calls.call(roomIdOf(req), 'despawn', { actor }));
  }));

  router.post('/rooms/:roomId/pause', route(async (req, res) => {
    res.json(await calls.call(roomIdOf(req), 'pause', {}));
  }));

  router.post('/rooms/:roomId/resume', route(async (req, res) => {
    res.json(await calls.call(roomIdOf(req), 'resume', {}));
  }));

  router.post('/rooms/:roomId/step', route(async (req, res) => {
    const raw = bodyOf(req);
    const body = StepSchema.safeParse(raw);
    if (!body.success) throw badRequest('step request', explainIssues(StepSchema, body.error.issues, raw));
    res.json(await calls.call(roomIdOf(req), 'step', { ticks: body.data.ticks }));
  }));

  router.get('/rooms/:roomId/actors/:actorId', route(async (req, res) => {
    const actor = needActorId(req);
    res.json(await calls.call(roomIdOf(req), 'inspect', { actor }));
  }));

  router.get('/llm/dead-letters', route((req, res) => {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    res.json({ kept: deps.llm.deadLetters.size, capacity: deps.llm.deadLetters.capacity, byOperation: Object.fromEntries(deps.llm.deadLetters.counts), recent: deps.llm.deadLetters.recent(limit) });
  }));

  router.get('/llm/queue', route((_req, res) => {
    const q = deps.llm.queue;
    const providers = [...new Set(deps.llm.models.map((m) => m.provider))].sort();
    res.json({ providers: Object.fromEntries(providers.map((p) => [p, { cap: q.cap(p) ?? null, inFlight: q.inFlight(p), waiting: Object.fromEntries(PRIORITY_CLASSES.map((c) => [c, q.depth(c, p)])) }])) });
  }));

  router.get('/llm/tuning', route((req, res) => {
    res.json(tuningResponse(deps.llm, registry, req.query));
  }));

  router.get('/rooms/:roomId/llm', route(async (req, res) => {
    res.json(await calls.call(roomIdOf(req), 'llm', {}));
  }));

  router.get('/models', route(async (_req, res) => {
    const stats = deps.llm.router.liveStats;
    res.json({
      models: await modelStatuses(deps.llm, registry, spend),
      live: stats ? { windowMs: stats.windowMs } : null,
      scope: 'live figures, cooldowns and spend are this process\'s own; breaker states are shared through Redis when configured',
    });
  }));

  router.get('/models/:name/status', route(async (req, res) => {
    const name = String(req.params.name);
    if (!registry.some((m) => m.id === name)) throw new AdminError(404, `no model '${name}' in the registry (models are named provider:model, e.g. ${registry[0]?.id ?? 'openai:gpt-4o-mini'})`);
    const all = await modelStatuses(deps.llm, registry, spend);
    res.json(all.find((m) => m.id === name));
  }));

  router.post('/players/tokens', route(async (req, res) => {
    res.json(await issuePlayerToken(deps.playerTokens ?? null, bodyOf(req)));
  }));

  router.use((req: Request, res: Response) => {
    sendError(res, new AdminError(404, `no admin route ${req.method} ${req.baseUrl}${req.path}`));
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; message?: string } | null;
    if (e?.type === 'entity.parse.failed') return sendError(res, badRequest('body', [{ path: [], message: `not valid JSON: ${e.message ?? ''}` }]));
    if (e?.type === 'entity.too.large') return sendError(res, new AdminError(413, 'body: too large (at most 4 MB)'));
    sendError(res, adminErrorOf(err));
  });
  return router;
}

/** The JSON body, with an empty body read as `{}` (transports differ in what they leave in `req.body`). */
function bodyOf(req: Request): unknown {
  const b = req.body as unknown;
  return b === undefined || b === null || b === '' || (Buffer.isBuffer(b) && b.length === 0) ? {} : b;
}

function roomIdOf(req: Request): string {
  return String(req.params.roomId);
}

function needActorId(req: Request): number {
  const r = ActorIdSchema.safeParse(req.params.actorId);
  if (!r.success) throw badRequest('actor id', [{ path: ['actorId'], message: `expected a positive integer, got '${String(req.params.actorId)}'` }]);
  return r.data;
}

function loadNamed(lib: ScenarioLibrary, name: string, path: PropertyKey[]): Scenario {
  try {
    return lib.load(name);
  } catch (err) {
    if (err instanceof ScenarioNotFoundError) throw badRequest('scenario', [{ path, message: err.message }]);
    if (err instanceof ValidationError) throw badRequest(`scenario '${name}'`, err.issues);
    throw err;
  }
}
