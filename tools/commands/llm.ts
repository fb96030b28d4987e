import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { checkConfigFile, CONFIG_ENV, CONFIG_FILE, configPath, defaultConfig, editConfigText, parseTuningRecords, resolvePreset, suggestTuning } from '../../llm/index.ts';
import type { ConfigChange, LoadedConfig, OperationSummary, Suggestion, TuningReport } from '../../llm/index.ts';
import { issueLines, issueListing } from '../issueListing.ts';
import { adminRequest, adminToken, describeFailure, httpBase } from '../adminClient.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Largest records file read, bytes. */
export const MAX_RECORDS_BYTES = 256 * 1024 * 1024;
/** How long the confirmation question waits for an answer, ms. */
export const CONFIRM_TIMEOUT_MS = 5 * 60_000;

/** Options of `lairmind llm tune`. */
export interface TuneOptions {
  readonly url?: string;
  readonly records?: string;
  readonly config?: string;
  readonly write?: boolean;
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly minSamples?: string;
  readonly limit?: string;
}

/** Where `llm tune` prints and how it asks. */
export interface TuneIo {
  log(line: string): void;
  error(line: string): void;
  /** Ask a yes/no question; resolves true only for yes. */
  confirm(question: string): Promise<boolean>;
  readonly env: Env;
  readonly cwd: string;
}

const fmt = (v: number | string | null): string => (v === null ? '(strategy)' : String(v));

/** Suggestions as a table (one line each), then each one's rationale, then why the other rules said nothing. */
export function tuningTable(report: Pick<TuningReport, 'suggestions' | 'operations'>): string[] {
  const out: string[] = [];
  const s = report.suggestions;
  if (s.length) {
    const head = ['OPERATION', 'FIELD', 'CURRENT', 'SUGGESTED', 'SAMPLES'];
    const rows = s.map((x) => [x.operation, x.field, fmt(x.current), fmt(x.suggested), String(x.evidence.samples)]);
    const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
    const line = (cells: readonly string[]): string => cells.map((c, k) => c.padEnd(widths[k] as number)).join('  ').trimEnd();
    out.push(line(head), ...rows.map(line), '', 'why:');
    for (const x of s) out.push(`  presets.${x.operation}.${x.field}: ${x.rationale}`);
  } else {
    out.push('no suggestions');
  }
  const notes = report.operations.filter((o) => o.notes.length).flatMap((o: OperationSummary) => [`  ${o.operation} (${o.cloudCalls} of ${o.calls} calls answered by a cloud model):`, ...o.notes.map((n) => `    ${n}`)]);
  if (notes.length) out.push('', 'no change suggested:', ...notes);
  return out;
}

/** The value `presets.<op>.<field>` has with this configuration (built-in defaults under the file's presets). */
function fileValue(loaded: LoadedConfig, s: Suggestion): number | string | null {
  const p = resolvePreset(s.operation, loaded.config.presets, undefined);
  return s.field === 'model' ? (p.model ?? null) : p[s.field];
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a whole number ≥ 1, got '${v}'`);
  return n;
}

/** A config file checked for use, or the reason it cannot be used (each issue with its path). */
function readConfig(path: string, io: TuneIo): LoadedConfig | undefined {
  const r = checkConfigFile(path);
  if (r.ok) return r.loaded;
  io.error(issueListing(r.source, r.issues, `; fix the file first (npx lairmind config check ${path})`));
  return undefined;
}

function readRecords(file: string): unknown {
  const size = statSync(file).size;
  if (size > MAX_RECORDS_BYTES) throw new Error(`--records ${file}: ${size} bytes; at most ${MAX_RECORDS_BYTES} are read`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`--records ${file}: not JSON (${(e as Error).message})`, { cause: e });
  }
}

/**
 * `lairmind llm tune`: preset suggestions from a server's telemetry (`--url`, admin token from ADMIN_TOKEN) or from a
 * file of call records (`--records`), printed with their reasons; with `--write`, after a yes (or `--yes`), written
 * into the config file under `presets.<op>.*`, every other line of the file as it was. The edited file is checked
 * with the config schema first and never written invalid. Returns the exit status.
 */
export async function runTune(o: TuneOptions, io: TuneIo): Promise<number> {
  if ((o.url === undefined) === (o.records === undefined)) throw new Error('give --url URL (a running server\'s admin API) or --records FILE (call records as JSON), one of them');
  const minSamples = positiveInt(o.minSamples, '--min-samples');
  const limit = positiveInt(o.limit, '--limit');
  const path = o.config !== undefined ? resolve(io.cwd, o.config) : configPath(io.env, io.cwd);
  if (o.write && path === undefined) throw new Error(`--write: no config file to write ($${CONFIG_ENV} unset, no ./${CONFIG_FILE}); name one with --config FILE`);
  let loaded: LoadedConfig | undefined;
  if (path !== undefined && (o.write || o.records !== undefined)) {
    loaded = readConfig(path, io);
    if (!loaded) return 1;
  }
  let report: TuningReport;
  let header: string;
  let fromServer = false;
  if (o.records !== undefined) {
    const records = parseTuningRecords(readRecords(o.records), `--records ${o.records}`);
    const cfg = loaded ?? defaultConfig();
    report = suggestTuning(records, (op) => resolvePreset(op, cfg.config.presets, undefined), cfg.registry.models, minSamples === undefined ? {} : { minSamples, modelMinCalls: minSamples });
    header = `tuning from ${records.length} call records in ${o.records}, against the presets of ${cfg.source}`;
  } else {
    const base = httpBase(o.url as string);
    const q = new URLSearchParams();
    if (limit !== undefined) q.set('limit', String(limit));
    if (minSamples !== undefined) q.set('minSamples', String(minSamples));
    const r = await adminRequest(base, adminToken(io.env), 'GET', `/admin/llm/tuning${q.size ? `?${q}` : ''}`);
    if (r.status !== 200) {
      io.error(describeFailure(r));
      return 1;
    }
    report = r.body as TuningReport & { scope: string };
    header = `tuning from ${base}: ${(r.body as { scope?: string }).scope ?? `${report.records} call records`}`;
    fromServer = true;
  }
  if (o.json) io.log(JSON.stringify(report, null, 2));
  else {
    io.log(header);
    for (const line of tuningTable(report)) io.log(line);
  }
  if (!o.write) {
    if (report.suggestions.length && !o.json) io.log(`\nto write them into ${path ?? `a config file (--config FILE)`}: add --write`);
    return 0;
  }
  const file = path as string;
  const cfg = loaded as LoadedConfig;
  const changes: ConfigChange[] = [];
  const lines: string[] = [];
  for (const s of report.suggestions) {
    const has = fileValue(cfg, s);
    const at = `presets.${s.operation}.${s.field}`;
    // The server ran with other values than the file has: its evidence is about those, not the file's.
    if (fromServer && has !== s.current) {
      io.error(`skipped ${at}: ${file} has ${fmt(has)}, the server ran with ${fmt(s.current)} (start it with this file and collect new calls)`);
      continue;
    }
    changes.push({ path: ['presets', s.operation, s.field], value: s.suggested });
    lines.push(`  ${at}: ${fmt(has)} → ${fmt(s.suggested)}`);
  }
  if (changes.length === 0) {
    io.log(`nothing to write to ${file}`);
    return 0;
  }
  io.log(`\n${changes.length} change${changes.length === 1 ? '' : 's'} to ${file}:`);
  for (const l of lines) io.log(l);
  if (!o.yes && !(await io.confirm(`write ${changes.length === 1 ? 'it' : 'them'} to ${file}? [y/N] `))) {
    io.log('not written');
    return 0;
  }
  const before = readFileSync(file, 'utf8');
  const edit = editConfigText(before, changes, file, dirname(file));
  if (!edit.ok) {
    io.error(`${file}: not written: the edited file would be invalid`);
    for (const line of issueLines(edit.issues)) io.error(line);
    return 1;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, edit.text, { mode: statSync(file).mode & 0o777 });
  renameSync(tmp, file);
  io.log(`wrote ${changes.length} change${changes.length === 1 ? '' : 's'} to ${file} (${edit.layout === 'kept' ? 'every other line as it was' : 'reprinted by the YAML printer: comments kept, spacing may differ'}); restart the server to use them`);
  return 0;
}

/** Ask `question` on `output`, read one line from `input`: true for y or yes. No answer (end of input, or `timeoutMs`): false. */
export function askYesNo(input: Readable, output: Writable, question: string, timeoutMs = CONFIRM_TIMEOUT_MS): Promise<boolean> {
  return new Promise((done) => {
    const rl = createInterface({ input, output, terminal: false });
    let settled = false;
    const finish = (yes: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rl.close();
      done(yes);
    };
    const timer = setTimeout(() => {
      output.write('\nno answer\n');
      finish(false);
    }, timeoutMs);
    rl.once('line', (line) => finish(/^\s*y(es)?\s*$/i.test(line)));
    rl.once('close', () => finish(false));
    output.write(question);
  });
}

/** Ask on the terminal; with no terminal to ask on, refuse (a pipe or a script must say --yes). */
async function terminalConfirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error('not written: no terminal to ask on (stdin is not a TTY); pass --yes to write without asking');
  return askYesNo(process.stdin, process.stdout, question);
}

/** Register `lairmind llm tune`. */
export function registerLlm(program: Command): void {
  const llm = program.command('llm').description('The LLM gateway at work: tuning its per-operation presets from telemetry');
  llm
    .command('tune')
    .description(`suggest preset changes (maxTokens, temperature, a cheaper model) from a server's telemetry (--url, token from ADMIN_TOKEN) or a records file, with their reasons; --write puts the accepted ones into the config file (--config, else $${CONFIG_ENV}, else ./${CONFIG_FILE})`)
    .option('--url <url>', 'server URL, e.g. http://127.0.0.1:2567')
    .option('--records <file>', 'call records as JSON (an array, or { records: [...] }) instead of a server')
    .option('--config <file>', 'config file to compare with and write')
    .option('--write', 'write the suggestions into the config file (asks first)')
    .option('--yes', 'with --write: do not ask')
    .option('--json', 'print the report as JSON')
    .option('--min-samples <n>', 'observations a rule needs before it speaks (default 50)')
    .option('--limit <n>', 'with --url: read only the server\'s N most recent calls')
    .action(async (o: TuneOptions) => {
      process.exitCode = await runTune(o, { log: (l) => console.log(l), error: (l) => console.error(l), confirm: terminalConfirm, env: process.env, cwd: process.cwd() });
    });
}
