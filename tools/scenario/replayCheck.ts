import type { Scenario } from '../../actors/index.ts';
import { readRecordedRun, scenarioHash } from './runScenario.ts';
import type { RecordedRun } from './runScenario.ts';

/** What `scenario run --replay` was given besides the log: the scenario file and the `--ticks` / `--seed` flags. */
export interface ReplayArguments {
  readonly file: string;
  readonly scenario: Scenario;
  readonly ticks?: number;
  readonly seed?: string | number;
}

/** Read a `--record` file; every error names the file. */
export function readRecordingText(file: string, text: string): RecordedRun {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return readRecordedRun(raw);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const seedText = (seed: string | number): string => (typeof seed === 'string' ? JSON.stringify(seed) : String(seed));

/**
 * Each way the arguments contradict the recording (empty when they agree). A replay always runs the recording's own
 * scenario, seed and ticks, so an argument that says otherwise would make the summary describe a run that did not
 * happen. `--ticks` agrees when it equals the ticks the recording ran, or, for a run a win or lose condition ended
 * before its limit, when it is at least that many (a fresh run would have stopped at the same tick).
 */
export function replayContradictions(rec: RecordedRun, given: ReplayArguments): string[] {
  const out: string[] = [];
  const name = rec.scenario.name;
  if (given.scenario.name !== name) out.push(`${given.file} is scenario '${given.scenario.name}', not the recorded scenario '${name}'`);
  else {
    const hash = scenarioHash(given.scenario);
    if (hash !== rec.scenarioHash) out.push(`${given.file} is not the recorded scenario '${name}': its content differs (hash ${hash}, recorded ${rec.scenarioHash})`);
  }
  if (given.ticks !== undefined) {
    const endedEarly = rec.limit !== null && rec.limit > rec.ran;
    const agrees = given.ticks === rec.ran || (endedEarly && given.ticks >= rec.ran);
    if (!agrees) {
      out.push(endedEarly
        ? `--ticks ${given.ticks} contradicts the recording (a win or lose condition ended it at tick ${rec.ran} of --ticks ${rec.limit}; give ${rec.ran} or more)`
        : `--ticks ${given.ticks} contradicts the recording (${rec.ran} ticks)`);
    }
  }
  if (given.seed !== undefined && given.seed !== rec.seed) out.push(`--seed ${seedText(given.seed)} contradicts the recording (seed ${seedText(rec.seed)})`);
  return out;
}
