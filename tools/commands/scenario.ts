import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { EventLog, Mind } from '../../actors/index.ts';
import { MindService } from '../../minds/index.ts';
import { checkScenarioFile, loadScenarioFile } from '../../server/index.ts';
import { formatPath } from '../../shared/index.ts';
import { issueListing } from '../issueListing.ts';
import { renderScenarioHtml } from '../scenario/htmlRunReport.ts';
import { formatSummary } from '../scenario/runReport.ts';
import type { RunReport } from '../scenario/runReport.ts';
import { readRecordingText, replayContradictions } from '../scenario/replayCheck.ts';
import { runScenario } from '../scenario/runScenario.ts';
import { headlessMinds } from '../scenario/headlessMinds.ts';
import { offlineGateway, scenarioGateway } from '../scenario/scenarioGateway.ts';
import { SCENARIO_SCHEMA_FILE, scenarioJsonSchema } from '../scenario/scenarioJsonSchema.ts';

interface RunFlags {
  ticks?: string;
  seed?: string;
  record?: string;
  replay?: string;
  report?: string;
  html?: string;
  minds: string;
  llm?: boolean;
}

/** `--seed 42` is the number 42 (as in the room options); anything else is a string seed. */
function seedOf(raw: string): string | number {
  return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
}

function ticksOf(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new Error(`${flag} must be an integer from 1 to 10000000, got '${raw}'`);
  return n;
}

/** Print a finished run's summary, write its files, and fail the command when a replay did not match. */
function finish(report: RunReport, o: { report?: string; html?: string }): void {
  console.log(formatSummary(report));
  if (o.report) writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n');
  if (o.html) {
    writeFileSync(o.html, renderScenarioHtml(report));
    console.log(`wrote ${o.html} (timeline, survivors, players and charts; opens offline)`);
  }
  if (report.replay?.matches === false) process.exitCode = 1;
}

/** Register `lairmind scenario validate | run | replay | schema`. */
export function registerScenario(program: Command): void {
  const scenario = program.command('scenario').description('Designer scenarios: validate files, run them headless, replay recorded runs');

  scenario
    .command('validate')
    .description('check scenario files (YAML or JSON); lists every error with its path; exit status 1 if any file is invalid')
    .argument('<files...>', 'scenario files')
    .action((files: string[]) => {
      let bad = 0;
      for (const file of files) {
        const r = checkScenarioFile(file);
        if (r.ok) {
          console.log(`${file}: ok (${r.scenario.name})`);
          continue;
        }
        bad++;
        console.error(issueListing(file, r.issues));
      }
      if (bad) process.exitCode = 1;
    });

  scenario
    .command('run')
    .description('run a scenario headless and print a summary and a timeline: deaths with their killers, triggers fired, plans adopted, survivors per pack, the end state of each player, damage, plans by source, cloud asks and fallbacks, LLM spend, tick timing (no network unless --llm)')
    .argument('<file>', 'scenario file')
    .option('--ticks <n>', 'most steps to run (a win or lose condition may end sooner); with --replay optional, and it must agree with the recording')
    .option('--seed <seed>', "override the scenario's world seed; with --replay it must agree with the recording")
    .option('--record <log>', 'write the event log (inputs and every mind reply) to this file')
    .option('--replay <log>', "replay a recorded log instead of asking minds: its own scenario (which must be <file>), seed and ticks; checks the final state hash (exit status 1 if it differs)")
    .option('--report <out>', 'write the JSON report to this file')
    .option('--html <file>', 'write the HTML report (timeline, survivors per pack, players, charts) to this file')
    .option('--minds <which>', 'local (the built-in models) or none (no local models: reflexes, and the tactician for plans)', 'local')
    .option('--llm', "cloud tactics through the LLM gateway configured as the server's (LAIRMIND_CONFIG or ./lairmind.config.yaml, keys from the environment), limited to the scenario's llm.providers")
    .action(async (file: string, o: RunFlags) => {
      const ticks = o.ticks === undefined ? undefined : ticksOf(o.ticks, '--ticks');
      if (o.minds !== 'local' && o.minds !== 'none') throw new Error(`--minds must be local or none, got '${o.minds}'`);
      if (o.llm && o.replay) throw new Error('--llm and --replay do not go together: a replay takes every answer from its log');
      const checked = checkScenarioFile(file);
      if (!checked.ok) throw new Error(issueListing(file, checked.issues));
      const scn = checked.scenario;
      if (o.replay) {
        const text = readFileSync(o.replay, 'utf8');
        const rec = readRecordingText(o.replay, text);
        const bad = replayContradictions(rec, { file, scenario: scn, ...(ticks !== undefined && { ticks }), ...(o.seed !== undefined && { seed: seedOf(o.seed) }) });
        if (bad.length) throw new Error(`not replaying ${o.replay}: ${bad.length === 1 ? 'an argument contradicts' : 'arguments contradict'} the recording; nothing was run\n${bad.map((b) => `  ${b}`).join('\n')}`);
        const run = await runScenario(rec.scenario, { ticks: rec.ran, minds: {}, llm: offlineGateway(), replay: JSON.parse(text) as EventLog });
        if (o.record && run.log) writeFileSync(o.record, JSON.stringify(run.log) + '\n');
        finish(run.report, o);
        return;
      }
      if (ticks === undefined) throw new Error('--ticks is required (the most steps to run), unless replaying with --replay');
      // Without --llm there is no network: the gateway answers from its local handler (the tactician) only.
      const live = o.llm ? scenarioGateway(scn, { onAlert: (a) => console.warn(`llm: budget alert: ${a.scope} ${a.subject} spent $${a.spentUsd.toFixed(6)} of $${a.limitUsd} (${Math.round(a.fraction * 100)} %)`) }) : undefined;
      const llm = live?.llm ?? offlineGateway();
      const service = o.minds === 'local' ? await MindService.create({ logger: (line) => console.warn(line) }) : undefined;
      const minds: Record<string, Mind | undefined> = headlessMinds(service, llm);
      try {
        const run = await runScenario(scn, { ticks, ...(o.seed !== undefined && { seed: seedOf(o.seed) }), minds, llm, ...(live && { llmSetup: live.setup }) });
        if (o.record && run.log) writeFileSync(o.record, JSON.stringify(run.log) + '\n');
        finish(run.report, o);
      } finally {
        await service?.close();
      }
    });

  scenario
    .command('replay')
    .description("replay a recorded run (`scenario run FILE --record LOG`) from the log alone: the scenario, seed and ticks it stores; checks the final state hash (exit status 1 if it differs)")
    .argument('<log>', 'recorded event log')
    .option('--until <tick>', 'stop after this tick and print the state there (tick, hash, actors); the final hash is then not compared')
    .option('--report <out>', 'write the JSON report to this file')
    .option('--html <file>', 'write the HTML report (timeline, survivors per pack, players, charts) to this file')
    .action(async (logFile: string, o: { until?: string; report?: string; html?: string }) => {
      const until = o.until === undefined ? undefined : ticksOf(o.until, '--until');
      const text = readFileSync(logFile, 'utf8');
      const rec = readRecordingText(logFile, text);
      if (until !== undefined && until > rec.ran) throw new Error(`--until ${until} is past the end of the recording (${rec.ran} ticks)`);
      const run = await runScenario(rec.scenario, { ticks: rec.ran, minds: {}, llm: offlineGateway(), replay: JSON.parse(text) as EventLog, ...(until !== undefined && { until }) });
      finish(run.report, o);
    });

  scenario
    .command('schema')
    .description(`write the JSON Schema of scenario files for editors (default ${SCENARIO_SCHEMA_FILE})`)
    .option('--out <file>', 'output file', SCENARIO_SCHEMA_FILE)
    .action((o: { out: string }) => {
      writeFileSync(o.out, scenarioJsonSchema());
      console.log(`wrote ${o.out}`);
    });
}
