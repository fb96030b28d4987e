import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkConfigFile } from '../../llm/index.ts';
import { cli } from './runCli.ts';
import { freePort } from '../../tools/freePort.ts';
import { askYesNo, runTune } from '../../tools/commands/llm.ts';
import type { TuneIo } from '../../tools/commands/llm.ts';
import { startTuningServer, TUNING_TOKEN } from '../server/tuningServer.ts';
import type { TuningServer } from '../server/tuningServer.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-tune-'));
const EXAMPLE = readFileSync('lairmind.config.example.yaml', 'utf8');
const TACTICS_BEFORE = '  tactics: { timeoutMs: 2500, deadlineMs: 3000, cacheTtlMs: 30000, priority: battle }';
const TACTICS_AFTER = '  tactics: { timeoutMs: 2500, deadlineMs: 3000, cacheTtlMs: 30000, priority: battle, maxTokens: 200, temperature: 0.2 }';

let n = 0;
/** A fresh copy of the example config file (optionally edited). */
function copy(edit: (t: string) => string = (t) => t): string {
  const f = join(dir, `config-${++n}.yaml`);
  copyFileSync('lairmind.config.example.yaml', f);
  writeFileSync(f, edit(readFileSync(f, 'utf8')));
  return f;
}

/** The example file with the tactics line tuned, every other line as it was. */
function expectTuned(file: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toBe(EXAMPLE.replace(TACTICS_BEFORE, TACTICS_AFTER));
  const check = checkConfigFile(file);
  expect(check.ok && check.loaded.config.presets?.tactics).toEqual({ timeoutMs: 2500, deadlineMs: 3000, cacheTtlMs: 30000, priority: 'battle', maxTokens: 200, temperature: 0.2 });
}

let server: TuningServer;
let records: string;
beforeAll(async () => {
  server = await startTuningServer();
  records = join(dir, 'records.json');
  writeFileSync(records, JSON.stringify(server.gw.telemetry.recent(1000)));
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = 0;
});

describe('lairmind llm tune --url: suggestions from a running server', () => {
  it('prints a table, the reasons, and why other rules said nothing; writes nothing without --write', async () => {
    vi.stubEnv('ADMIN_TOKEN', TUNING_TOKEN);
    vi.stubEnv('LAIRMIND_CONFIG', '');
    const file = copy();
    const r = await cli('llm', 'tune', '--url', server.url, '--config', file);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `tuning from ${server.url}: the last 60 calls of this process (the gateway keeps its most recent calls only)`,
      'OPERATION  FIELD        CURRENT  SUGGESTED  SAMPLES',
      'tactics    maxTokens    600      200        60',
      'tactics    temperature  0.4      0.2        60',
      '',
      'why:',
      '  presets.tactics.maxTokens: p99 of 60 successful replies is 159 tokens (longest 159); 200 leaves 20% headroom, and a lower cap shrinks every reservation and cost estimate',
      '  presets.tactics.temperature: 9 of 60 calls (15%, above 10%) had an invalid reply: 9 repaired, 0 rejected after repair; a lower temperature makes the output steadier',
      '',
      'no change suggested:',
      '  tactics (60 of 60 calls answered by a cloud model):',
      '    model: only openai:gpt-4o-mini answered',
      '',
      `to write them into ${file}: add --write`,
    ]);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    const json = await cli('llm', 'tune', '--url', server.url, '--json', '--min-samples', '61');
    expect(JSON.parse(json.out)).toMatchObject({ records: 60, suggestions: [], options: { minSamples: 61, modelMinCalls: 61 } });
  });

  it('--write --yes: writes into the config file under presets.tactics, comments and layout kept, still valid', async () => {
    vi.stubEnv('ADMIN_TOKEN', TUNING_TOKEN);
    const file = copy();
    const r = await cli('llm', 'tune', '--url', server.url, '--config', file, '--write', '--yes');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`2 changes to ${file}:\n  presets.tactics.maxTokens: 600 → 200\n  presets.tactics.temperature: 0.4 → 0.2`);
    expect(r.out).toContain(`wrote 2 changes to ${file} (every other line as it was); restart the server to use them`);
    expectTuned(file);
  });

  it('a value the file has and the server did not run with is skipped (the evidence is about the server\'s value)', async () => {
    vi.stubEnv('ADMIN_TOKEN', TUNING_TOKEN);
    const file = copy((t) => t.replace('priority: battle }', 'priority: battle, maxTokens: 300 }'));
    const r = await cli('llm', 'tune', '--url', server.url, '--config', file, '--write', '--yes');
    expect(r.code).toBe(0);
    expect(r.err).toBe(`skipped presets.tactics.maxTokens: ${file} has 300, the server ran with 600 (start it with this file and collect new calls)`);
    expect(readFileSync(file, 'utf8')).toContain('  tactics: { timeoutMs: 2500, deadlineMs: 3000, cacheTtlMs: 30000, priority: battle, maxTokens: 300, temperature: 0.2 }');
  });

  it('without --yes and no terminal to ask on: nothing is written', async () => {
    vi.stubEnv('ADMIN_TOKEN', TUNING_TOKEN);
    const file = copy();
    const r = await cli('llm', 'tune', '--url', server.url, '--config', file, '--write');
    expect(r.code).toBe(1);
    expect(r.err).toBe('lairmind: not written: no terminal to ask on (stdin is not a TTY); pass --yes to write without asking');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
  });

  it('a wrong token, no server, both or neither source: a clear error', async () => {
    vi.stubEnv('ADMIN_TOKEN', 'wrong');
    expect(await cli('llm', 'tune', '--url', server.url)).toMatchObject({ code: 1, err: '401: missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)' });
    vi.stubEnv('ADMIN_TOKEN', TUNING_TOKEN);
    const closed = await freePort();
    expect((await cli('llm', 'tune', '--url', `http://127.0.0.1:${closed}`)).err).toBe(`lairmind: GET http://127.0.0.1:${closed}/admin/llm/tuning: cannot reach the server (ECONNREFUSED)`);
    expect((await cli('llm', 'tune')).err).toBe('lairmind: give --url URL (a running server\'s admin API) or --records FILE (call records as JSON), one of them');
    expect((await cli('llm', 'tune', '--url', server.url, '--records', records)).code).toBe(1);
    expect((await cli('llm', 'tune', '--url', server.url, '--min-samples', '0')).err).toBe('lairmind: --min-samples: expected a whole number ≥ 1, got \'0\'');
    vi.stubEnv('LAIRMIND_CONFIG', '');
    expect((await cli('llm', 'tune', '--url', server.url, '--write')).err).toBe('lairmind: --write: no config file to write ($LAIRMIND_CONFIG unset, no ./lairmind.config.yaml); name one with --config FILE');
  });
});

describe('lairmind llm tune --records: offline, from a file of call records', () => {
  it('the same suggestions from the server\'s records, against the file\'s presets; --write --yes writes them', async () => {
    const file = copy();
    const r = await cli('llm', 'tune', '--records', records, '--config', file, '--write', '--yes');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`tuning from 60 call records in ${records}, against the presets of ${file}`);
    expect(r.out).toContain('tactics    maxTokens    600      200        60');
    expectTuned(file);
    // Run again on the tuned file: its maxTokens and temperature are now the current values.
    const again = await cli('llm', 'tune', '--records', records, '--config', file);
    expect(again.out).toContain('tactics    temperature  0.2      0          60');
    expect(again.out).not.toContain('maxTokens    200');
  });

  it('a suggestion the file cannot hold (a model its registry lacks): nothing written, the reason with its path', async () => {
    const call = (provider: string, model: string, costUsd: number) => ({ operation: 'tactics', cached: false, attempts: [{ provider, model, outcome: 'ok', inputTokens: 900, outputTokens: 120, costUsd }] });
    const cheap = join(dir, 'cheap.json');
    writeFileSync(cheap, JSON.stringify({ records: [...Array.from({ length: 60 }, () => call('anthropic', 'claude-haiku-4-5', 0.0015)), ...Array.from({ length: 60 }, () => call('gemini', 'gemini-2.5-flash', 0.0003))] }));
    const file = copy();
    const r = await cli('llm', 'tune', '--records', cheap, '--config', file, '--write', '--yes');
    expect(r.out).toContain('tactics    model      (strategy)  gemini:gemini-2.5-flash  60');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${file}: not written: the edited file would be invalid\n  presets.tactics.model: model gemini:gemini-2.5-flash is not in the model registry (models.entries)`);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
  });

  it('a bad records file or config file: named, nothing written', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ operation: 'tactics', cached: false, attempts: [{ provider: 'openai', model: 'm', outcome: 'ok', outputTokens: -1 }] }]));
    expect((await cli('llm', 'tune', '--records', bad)).err).toBe(`lairmind: invalid --records ${bad}: [0].attempts[0].outputTokens: Too small: expected number to be >=0`);
    writeFileSync(bad, '{ not json');
    expect((await cli('llm', 'tune', '--records', bad)).err).toMatch(/^lairmind: --records .*bad\.json: not JSON \(/);
    const broken = copy((t) => t.replace('cache:\n  enabled: true', 'cache:\n  enabled: maybe'));
    const r = await cli('llm', 'tune', '--records', records, '--config', broken, '--write', '--yes');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${broken}: 1 error; fix the file first (npx lairmind config check ${broken})\n  cache.enabled: got "maybe"; expected true or false`);
  });
});

describe('the confirmation', () => {
  function io(answer: boolean): TuneIo & { out: string[]; asked: string[] } {
    const out: string[] = [];
    const asked: string[] = [];
    return { out, asked, log: (l) => out.push(l), error: (l) => out.push(l), confirm: async (q) => (asked.push(q), answer), env: {}, cwd: process.cwd() };
  }

  it('asks before writing: no leaves the file as it was, yes writes', async () => {
    const file = copy();
    const no = io(false);
    expect(await runTune({ records, config: file, write: true }, no)).toBe(0);
    expect(no.asked).toEqual([`write them to ${file}? [y/N] `]);
    expect(no.out.at(-1)).toBe('not written');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    const yes = io(true);
    expect(await runTune({ records, config: file, write: true }, yes)).toBe(0);
    expectTuned(file);
  });

  it('reads one line: y or yes is yes; anything else, the end of input or no answer in time is no', async () => {
    const ask = async (feed: (s: PassThrough) => void, timeoutMs = 60_000): Promise<[boolean, string]> => {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = '';
      output.on('data', (d: Buffer) => (shown += d.toString()));
      const p = askYesNo(input, output, 'write? [y/N] ', timeoutMs);
      feed(input);
      return [await p, shown];
    };
    expect(await ask((s) => s.write('y\n'))).toEqual([true, 'write? [y/N] ']);
    expect((await ask((s) => s.write(' YES \n')))[0]).toBe(true);
    expect((await ask((s) => s.write('n\n')))[0]).toBe(false);
    expect((await ask((s) => s.write('yep\n')))[0]).toBe(false);
    expect((await ask((s) => s.end()))[0]).toBe(false);
    expect(await ask(() => undefined, 5)).toEqual([false, 'write? [y/N] \nno answer\n']);
  });
});
