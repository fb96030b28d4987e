import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { formatPath, ValidationError, yamlSyntaxIssue } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';
import { DEFAULT_REGISTRY_PATH, defaultModelRegistry, loadRegistry, registryFrom } from '../registry.ts';
import type { ModelRegistry } from '../registry.ts';
import { configIssues } from './configIssues.ts';
import { knownProviders, LairmindConfigSchema } from './lairmindConfigSchema.ts';
import type { LairmindConfig } from './lairmindConfigSchema.ts';

/** Environment variable naming the config file. */
export const CONFIG_ENV = 'LAIRMIND_CONFIG';
/** The file looked for in the working directory when {@link CONFIG_ENV} is unset. */
export const CONFIG_FILE = 'lairmind.config.yaml';
/** The source name of the configuration used when there is no file. */
export const EMBEDDED_DEFAULT = 'embedded default';
/** Largest config file read, bytes. */
export const MAX_CONFIG_BYTES = 1 << 20;

/** A validated configuration with its model registry resolved. */
export interface LoadedConfig {
  /** The file it came from (absolute path), or {@link EMBEDDED_DEFAULT}. */
  readonly source: string;
  readonly config: LairmindConfig;
  readonly registry: ModelRegistry;
  /** Where the registry came from: a file path, `inline`, or the built-in llm/models.yaml. */
  readonly registrySource: string;
}

/** Outcome of checking a configuration: the loaded config, or every problem with its path. */
export type ConfigCheck = { readonly ok: true; readonly loaded: LoadedConfig } | { readonly ok: false; readonly source: string; readonly issues: readonly Issue[] };

/** Validate an already-parsed configuration; `baseDir` resolves a relative `models.registry`. */
export function checkConfigValue(raw: unknown, source: string, baseDir: string): ConfigCheck {
  const value = raw ?? {}; // an empty file is the default configuration
  const r = LairmindConfigSchema.safeParse(value);
  if (!r.success) return { ok: false, source, issues: configIssues(LairmindConfigSchema, r.error.issues, value) };
  const config = r.data;
  const issues: Issue[] = [];
  let registry: ModelRegistry = defaultModelRegistry();
  let registrySource = DEFAULT_REGISTRY_PATH;
  if (config.models?.entries) {
    registry = registryFrom({ models: config.models.entries }, 'models.entries');
    registrySource = 'inline';
  } else if (config.models?.registry !== undefined) {
    registrySource = resolve(baseDir, config.models.registry);
    try {
      registry = loadRegistry(registrySource);
      const known = knownProviders(config);
      registry.models.forEach((m, k) => {
        if (!known.includes(m.provider)) issues.push({ path: ['models', 'registry'], message: `${registrySource}: models[${k}].provider: unknown provider "${m.provider}" (known: ${known.join(', ')})` });
      });
    } catch (e) {
      const inner = e instanceof ValidationError ? e.issues : [{ path: [], message: String(e) }];
      for (const i of inner) issues.push({ path: ['models', 'registry'], message: `${registrySource}: ${i.path.length ? `${formatPath(i.path)}: ` : ''}${i.message}` });
    }
  }
  // A model named for routing (routing.pinned, presets.<op>.model) must be one the registry has and enables.
  const named: [PropertyKey[], string | undefined][] = [[['routing', 'pinned'], config.routing?.pinned], ...Object.entries(config.presets ?? {}).map(([op, p]): [PropertyKey[], string | undefined] => [['presets', op, 'model'], p.model])];
  const registryOk = issues.length === 0;
  for (const [path, id] of named) {
    if (id === undefined || !registryOk) continue;
    const m = registry.models.find((x) => x.id === id);
    if (!m) issues.push({ path, message: `model ${id} is not in the model registry (${registrySource === 'inline' ? 'models.entries' : registrySource})` });
    else if (!m.enabled) issues.push({ path, message: `model ${id} is disabled in the model registry` });
  }
  if (issues.length) return { ok: false, source, issues };
  return { ok: true, loaded: { source, config, registry, registrySource } };
}

/** Parse and validate configuration text (YAML; JSON is YAML too). A syntax error is one issue with its line, column and excerpt. */
export function checkConfigText(text: string, source: string, baseDir: string): ConfigCheck {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const syntax = yamlSyntaxIssue(text, doc.errors);
  if (syntax) return { ok: false, source, issues: [syntax] };
  return checkConfigValue(doc.toJS({ maxAliasCount: 100 }) as unknown, source, baseDir);
}

/** Read and validate a config file; never throws for bad content (every problem is an issue). */
export function checkConfigFile(path: string): ConfigCheck {
  const source = resolve(path);
  let text: string;
  try {
    const size = statSync(source).size;
    if (size > MAX_CONFIG_BYTES) return { ok: false, source, issues: [{ path: [], message: `file is ${size} bytes; a config file may have at most ${MAX_CONFIG_BYTES}` }] };
    text = readFileSync(source, 'utf8');
  } catch (err) {
    return { ok: false, source, issues: [{ path: [], message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }] };
  }
  return checkConfigText(text, source, dirname(source));
}

/** Which file the gateway is configured from: `LAIRMIND_CONFIG`, else `./lairmind.config.yaml` if present, else none. */
export function configPath(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string | undefined {
  const named = env[CONFIG_ENV]?.trim();
  if (named) return resolve(cwd, named);
  const local = resolve(cwd, CONFIG_FILE);
  return existsSync(local) ? local : undefined;
}

/** The embedded default: today's gateway (built-in registry and tiers, providers from their usual variables, no extra budgets). */
export function defaultConfig(): LoadedConfig {
  const r = checkConfigValue({}, EMBEDDED_DEFAULT, process.cwd());
  if (!r.ok) throw new ValidationError('embedded default config', r.issues);
  return r.loaded;
}

/** Read and validate a config file; throws a {@link ValidationError} naming every bad field. */
export function readLairmindConfig(path: string): LoadedConfig {
  const r = checkConfigFile(path);
  if (!r.ok) throw new ValidationError(`lairmind config ${r.source}`, r.issues);
  return r.loaded;
}

/**
 * The gateway's configuration as the server and `scenario run --llm` load it: the file `LAIRMIND_CONFIG` names (it must
 * exist), else `./lairmind.config.yaml` if it exists, else the embedded default. Throws a {@link ValidationError}
 * naming every bad field.
 */
export function loadLairmindConfig(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): LoadedConfig {
  const path = configPath(env, cwd);
  return path === undefined ? defaultConfig() : readLairmindConfig(path);
}
