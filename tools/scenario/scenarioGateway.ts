import type { Scenario } from '../../actors/index.ts';
import { gatewaySetup, LlmGateway, loadLairmindConfig } from '../../llm/index.ts';
import type { BudgetAlert, GatewaySetup } from '../../llm/index.ts';

/**
 * The gateway of `scenario run --llm`: built from the same configuration file and environment as the server
 * (`LAIRMIND_CONFIG`, else ./lairmind.config.yaml, else the embedded default; keys and base URLs from the
 * environment), restricted to the scenario's `llm.providers` when it names them (`local` alone: the tactician only).
 */
export function scenarioGateway(
  scenario: Scenario,
  opts: { env?: Readonly<Record<string, string | undefined>>; cwd?: string; onAlert?: (alert: BudgetAlert) => void } = {},
): { llm: LlmGateway; setup: GatewaySetup } {
  const env = opts.env ?? process.env;
  const wanted = scenario.llm.providers;
  const setup = gatewaySetup(loadLairmindConfig(env, opts.cwd), env, wanted ? { onlyProviders: wanted.filter((p) => p !== 'local') } : {});
  const llm = new LlmGateway({ ...setup.options, ...(opts.onAlert && { onAlert: opts.onAlert }) });
  checkTier(scenario, llm, setup.source);
  return { llm, setup };
}

/** The scenario's tier must be one the gateway defines (otherwise every ask would fail). */
function checkTier(scenario: Scenario, llm: LlmGateway, source: string): void {
  const tiers = Object.keys(llm.tiers.tiers);
  if (!tiers.includes(scenario.llm.tier)) throw new Error(`scenario ${scenario.name}: llm.tier '${scenario.llm.tier}' is not a tier of the gateway (${source}: ${tiers.join(', ')})`);
}

/** The gateway of an offline run: no network, the local handler (the tactician) answers every call. */
export function offlineGateway(): LlmGateway {
  return new LlmGateway({ providers: {} });
}
