import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { checkScenario } from '../actors/index.ts';
import type { Scenario } from '../actors/index.ts';
import { jsonSyntaxIssue, ValidationError, yamlSyntaxIssue } from '../shared/index.ts';
import type { Issue } from '../shared/index.ts';

/** The scenarios folder of this checkout. */
export const DEFAULT_SCENARIOS_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** A scenario name that is not there. */
export class ScenarioNotFoundError extends Error {
  constructor(readonly scenarioName: string, known: readonly string[]) {
    super(`scenario '${scenarioName}' not found (known: ${known.length ? known.join(', ') : 'none'})`);
    this.name = 'ScenarioNotFoundError';
  }
}

/** Outcome of reading and validating one scenario file. */
export type ScenarioFileCheck = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly Issue[] };

/**
 * Parse scenario text: JSON when `file` ends in `.json`, YAML otherwise (YAML is a superset of JSON). A syntax
 * error becomes one issue naming the line and column, with an excerpt and a caret under the spot.
 */
export function parseScenarioText(text: string, file = 'scenario.yaml'): { ok: true; value: unknown } | { ok: false; issues: Issue[] } {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (err) {
      return { ok: false, issues: [jsonSyntaxIssue(text, err, parseDocument(text).errors[0]?.pos[0])] };
    }
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const syntax = yamlSyntaxIssue(text, doc.errors);
  if (syntax) return { ok: false, issues: [syntax] };
  return { ok: true, value: doc.toJS() as unknown };
}

/** A scenario without a `name` is named after its file (`wolf-ambush.yaml` → `wolf-ambush`). */
function namedAfter(value: unknown, file: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || 'name' in value) return value;
  return { name: basename(file, extname(file)).slice(0, 64) || 'scenario', ...value };
}

/** Read and validate a scenario file; every problem comes back as an issue (never throws for bad content). */
export function checkScenarioFile(file: string): ScenarioFileCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, issues: [{ path: [], message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }] };
  }
  const parsed = parseScenarioText(text, file);
  if (!parsed.ok) return parsed;
  const r = checkScenario(namedAfter(parsed.value, file));
  return r.ok ? r : { ok: false, issues: r.issues };
}

/** Read and validate a scenario file; throws a {@link ValidationError} naming every bad field. */
export function loadScenarioFile(file: string): Scenario {
  const r = checkScenarioFile(file);
  if (!r.ok) throw new ValidationError(`scenario ${file}`, r.issues);
  return r.scenario;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Scenarios by name: files `<name>.yaml|.yml|.json` in a folder (re-read on each load, so designers' edits show up
 * in the next room), plus scenarios registered in memory (inline ones sent to the admin API, named
 * `inline-<uuid>`). Names cannot reach outside the folder.
 */
export class ScenarioLibrary {
  private readonly inline = new Map<string, Scenario>();

  constructor(readonly dir: string = DEFAULT_SCENARIOS_DIR) {}

  /** The validated scenario called `name`; throws ScenarioNotFoundError or ValidationError. */
  load(name: string): Scenario {
    const kept = this.inline.get(name);
    if (kept) return kept;
    const file = this.fileOf(name);
    if (!file) throw new ScenarioNotFoundError(name, this.names());
    return loadScenarioFile(file);
  }

  /** Keep a validated scenario in memory; returns its name. */
  register(scenario: Scenario): string {
    const name = `inline-${randomUUID()}`;
    this.inline.set(name, scenario);
    return name;
  }

  /** Names of the scenario files in the folder. */
  names(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => EXTENSIONS.includes(extname(f)) && !f.endsWith('.schema.json'))
      .map((f) => f.slice(0, -extname(f).length))
      .sort();
  }

  private fileOf(name: string): string | undefined {
    if (!NAME.test(name)) return undefined;
    for (const ext of EXTENSIONS) {
      const f = resolve(join(this.dir, name + ext));
      if (existsSync(f)) return f;
    }
    return undefined;
  }
}
