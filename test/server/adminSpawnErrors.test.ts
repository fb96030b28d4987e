import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { AdminError, sendError } from '../../server/admin/adminErrors.ts';
import { parseSpawnRequest } from '../../server/admin/spawnRequest.ts';
import { checkScenarioFile } from '../../server/index.ts';
import { formatIssue } from '../../shared/index.ts';

/** The 400 the spawn endpoint answers for `body`: status and JSON body, as `sendError` writes them. */
function answer(body: unknown): { status: number; json: { error: string; issues?: { path: string; message: string }[] } } {
  let err: unknown;
  try {
    parseSpawnRequest(body, {});
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AdminError);
  const sent = { status: 0, json: undefined as unknown };
  const res = { status(s: number) { sent.status = s; return this; }, json(j: unknown) { sent.json = j; return this; } } as unknown as Response;
  sendError(res, err as AdminError);
  return sent as { status: number; json: { error: string; issues?: { path: string; message: string }[] } };
}

const dir = mkdtempSync(join(tmpdir(), 'lairmind-admin-errors-'));

describe('the admin spawn endpoint explains a bad scenario as the CLI does', () => {
  it('a 400 whose text is the CLI\'s, issue for issue', () => {
    const doc = { spawns: [{ pack: { specie: 'wolf', at: { x: 0, y: 0 } } }, { pack: { species: 'Wolf', size: 30, at: { x: 0, y: 0 } } }] };
    const file = join(dir, 'typos.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = checkScenarioFile(file);
    expect(cli.ok).toBe(false);
    const lines = cli.ok ? [] : cli.issues.map(formatIssue);
    expect(lines).toEqual([
      'spawns[0].pack.specie: unknown key; did you mean "species"? (allowed here: id, species, size, count, at, region, lairRoom, spread, faction, traits, tuning)',
      'spawns[1].pack.species: got "Wolf"; expected one of wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton; did you mean "wolf"?',
      'spawns[1].pack.size: got 30; expected an integer from 1 to 24',
    ]);
    const a = answer(doc);
    expect(a.status).toBe(400);
    expect(a.json.error).toBe(`invalid scenario: ${lines.join('; ')}`);
    expect(a.json.issues?.map((i) => `${i.path}: ${i.message}`)).toEqual(lines);
    expect(a.json.error).not.toMatch(/\bname\b/); // a document without a name is fine
  });

  it('a document under `scenario` or one `entity`: the same messages under that key', () => {
    expect(answer({ scenario: { spawns: [{ monster: { at: { x: 0, y: 0 } } }] } }).json.issues)
      .toEqual([{ path: 'scenario.spawns[0].monster.species', message: 'required; expected one of wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton' }]);
    expect(answer({ entity: { pakc: { species: 'wolf', at: { x: 0, y: 0 } } } }).json.issues)
      .toEqual([{ path: 'entity.pakc', message: 'unknown key; did you mean "pack"? (allowed here: pack, monster, npc)' }]);
    expect(answer({ entity: { pack: { species: 'wolf', at: { x: 0, y: 0 } } }, att: { x: 1, y: 2 } }).json.issues)
      .toEqual([{ path: 'att', message: 'unknown key; did you mean "at"? (allowed here: scenario, entity, at)' }]);
  });
});
