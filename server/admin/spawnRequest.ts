import { z } from 'zod';
import { checkScenario, PointSchema, SpawnSchema } from '../../actors/index.ts';
import type { Point, Scenario } from '../../actors/index.ts';
import { explainIssues } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';
import { badRequest } from './adminErrors.ts';

/** A parsed spawn request: the scenario to place (a single entity becomes a one-entry scenario) and where. */
export interface SpawnRequest {
  /** A validated scenario, or the name of one in the library. */
  readonly scenario: Scenario | string;
  /** Absolute world position of the scenario's origin; absent: the scenario places itself. */
  readonly at: Point | undefined;
}

const WrapperSchema = z.object({
  /** A scenario document or the name of a scenario file. */
  scenario: z.unknown().optional(),
  /** One pack, monster or NPC (same shape as a `spawns` entry). */
  entity: z.unknown().optional(),
  at: PointSchema.optional(),
}).strict();

const prefix = (issues: readonly Issue[], key: string): Issue[] => issues.map((i) => ({ path: [key, ...i.path], message: i.message }));

/**
 * Read the body of `POST /admin/rooms/:roomId/spawn`: a scenario document itself; or `{ scenario, at? }` where
 * `scenario` is a document or a file name; or `{ entity, at? }` with one `{ pack | monster | npc }`. `?x=&y=` in the
 * query sets the origin too. Throws a 400 naming each bad field.
 */
export function parseSpawnRequest(body: unknown, query: Record<string, unknown>): SpawnRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('spawn request', [{ path: [], message: 'expected a JSON object: a scenario, { scenario, at } or { entity, at }' }]);
  const queryAt = pointFromQuery(query);
  const b = body as Record<string, unknown>;
  if (!('scenario' in b) && !('entity' in b)) {
    const r = checkScenario(body);
    if (!r.ok) throw badRequest('scenario', r.issues);
    return { scenario: r.scenario, at: queryAt };
  }
  const w = WrapperSchema.safeParse(body);
  if (!w.success) throw badRequest('spawn request', explainIssues(WrapperSchema, w.error.issues, body));
  if ((w.data.scenario === undefined) === (w.data.entity === undefined)) throw badRequest('spawn request', [{ path: [], message: 'give exactly one of scenario, entity' }]);
  const at = w.data.at ?? queryAt;
  if (w.data.entity !== undefined) {
    const e = SpawnSchema.safeParse(w.data.entity);
    if (!e.success) throw badRequest('spawn request', prefix(explainIssues(SpawnSchema, e.error.issues, w.data.entity), 'entity'));
    const r = checkScenario({ name: 'entity', spawns: [w.data.entity] });
    if (!r.ok) throw badRequest('spawn request', r.issues.map((i) => ({ path: ['entity', ...i.path.slice(2)], message: i.message })));
    return { scenario: r.scenario, at: at ?? { x: 0, y: 0 } };
  }
  if (typeof w.data.scenario === 'string') return { scenario: w.data.scenario, at };
  const r = checkScenario(w.data.scenario);
  if (!r.ok) throw badRequest('spawn request', prefix(r.issues, 'scenario'));
  return { scenario: r.scenario, at };
}

function pointFromQuery(q: Record<string, unknown>): Point | undefined {
  if (q.x === undefined && q.y === undefined) return undefined;
  const p = PointSchema.safeParse({ x: Number(q.x), y: Number(q.y) });
  if (!p.success || q.x === undefined || q.y === undefined) throw badRequest('query', [{ path: ['x'], message: 'x and y must both be numbers (world units)' }]);
  return p.data;
}
