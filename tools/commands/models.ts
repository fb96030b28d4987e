import type { Command } from 'commander';
import { gatewaySetup, loadLairmindConfig } from '../../llm/index.ts';
import type { LoadedConfig } from '../../llm/index.ts';
import { registryModelStatus } from '../../server/index.ts';
import type { ModelStatus } from '../../server/index.ts';
import { adminRequest, adminToken, describeFailure, httpBase } from '../adminClient.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Every model of a configuration as the server would treat it, without asking a server (no live figures). */
export function localModelStatuses(loaded: LoadedConfig, env: Env = process.env): ModelStatus[] {
  const providers = new Map(gatewaySetup(loaded, env).providers.map((p) => [p.name, p]));
  return loaded.registry.models.map((m) => {
    const p = providers.get(m.provider);
    let note: string | null = null;
    if (!m.enabled) note = 'disabled in the registry';
    else if (!p) note = `provider ${m.provider} is not configured`;
    else if (p.status === 'no key') note = `provider ${m.provider} has no key (set ${p.keyEnv.join(' or ')})`;
    else if (p.status !== 'on') note = `provider ${m.provider} is ${p.status}`;
    return registryModelStatus(m, note === null, note);
  });
}

const dash = '-';

function usd(x: number): string {
  return x === 0 ? '0' : x < 0.01 ? x.toFixed(6) : x.toFixed(4);
}

/** The models as a table, one line per model (the same columns whether the figures came from a server or a file). */
export function modelsTable(models: readonly ModelStatus[]): string[] {
  const head = ['MODEL', 'STATE', '$/1M IN/OUT', 'QUALITY', 'LATENCY', 'LIVE P50/P95', 'OK', 'BREAKER', 'COOLDOWN', 'QUEUE', 'SPEND TODAY', 'LAST ERROR'];
  const rows = models.map((m) => {
    const l = m.live;
    return [
      m.id,
      m.routable ? 'on' : !m.enabled ? 'disabled' : 'off',
      `${m.price.input}/${m.price.output}`,
      String(m.entry.quality),
      `${m.entry.latencyMs} ms`,
      l?.latencyMs ? `${Math.round(l.latencyMs.p50)}/${Math.round(l.latencyMs.p95)} ms` : dash,
      l && l.attempts > 0 ? `${Math.round((l.successRate ?? 0) * 100)}% of ${l.attempts}` : dash,
      m.breaker ?? dash,
      m.coolingDownMs > 0 ? `${Math.ceil(m.coolingDownMs / 1000)} s` : dash,
      m.queue ? `${m.queue.inFlight}/${m.queue.cap}, ${Object.values(m.queue.waiting).reduce((a, b) => a + b, 0)} waiting` : dash,
      m.spend ? `$${usd(m.spend.todayUsd)}` : dash,
      l?.lastError ? `${l.lastError.kind}${l.lastError.probe ? ' (check)' : ''} ${new Date(l.lastError.at).toISOString().slice(11, 19)}Z` : dash,
    ];
  });
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, k) => c.padEnd(widths[k] as number)).join('  ').trimEnd();
  const notes = models.filter((m) => m.note).map((m) => `  ${m.id}: ${m.note}`);
  return [line(head), ...rows.map(line), ...(notes.length ? ['', 'not routed:', ...notes] : [])];
}

/**
 * `lairmind models [model] [--url URL] [--json]`: the model registry with each model's state. With `--url`, from a
 * running server's admin API (token from ADMIN_TOKEN): live success rate and latency, breaker, cooldown, queue depth
 * and spend today. Without, from the configuration file the server would read (LAIRMIND_CONFIG or
 * ./lairmind.config.yaml) and the keys in this environment: which models would be routed, prices, registry figures.
 */
export function registerModels(program: Command): void {
  program
    .command('models')
    .description('the LLM models and their status: from a running server with --url (token from ADMIN_TOKEN), else from the config file without live figures')
    .argument('[model]', 'one model, provider:model (e.g. openai:gpt-4o-mini)')
    .option('--url <url>', 'server URL, e.g. http://127.0.0.1:2567')
    .option('--json', 'print JSON instead of a table')
    .action(async (one: string | undefined, o: { url?: string; json?: boolean }) => {
      let models: ModelStatus[];
      let header: string;
      if (o.url !== undefined) {
        const base = httpBase(o.url);
        const r = await adminRequest(base, adminToken(), 'GET', one === undefined ? '/admin/models' : `/admin/models/${encodeURIComponent(one)}/status`);
        if (r.status !== 200) {
          console.error(describeFailure(r));
          process.exitCode = 1;
          return;
        }
        const body = r.body as { models?: ModelStatus[]; live?: { windowMs: number } | null } & ModelStatus;
        models = one === undefined ? (body.models ?? []) : [body];
        header = `models on ${base}${body.live ? ` (live window ${Math.round(body.live.windowMs / 1000)} s)` : ''}; live figures, cooldowns and spend are that process's own`;
      } else {
        const loaded = loadLairmindConfig();
        models = localModelStatuses(loaded);
        if (one !== undefined) {
          models = models.filter((m) => m.id === one);
          if (models.length === 0) throw new Error(`no model '${one}' in the registry of ${loaded.source} (models are named provider:model)`);
        }
        header = `models of ${loaded.source} with the keys in this environment; live figures, breakers, queue and spend come from a server: --url URL`;
      }
      if (o.json) {
        console.log(JSON.stringify(one === undefined ? models : models[0], null, 2));
        return;
      }
      console.log(header);
      for (const line of modelsTable(models)) console.log(line);
    });
}
