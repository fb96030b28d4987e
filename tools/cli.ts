import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerWorld } from './commands/world.ts';
import { registerClassify } from './commands/classify.ts';
import { registerReply } from './commands/reply.ts';
import { registerScenario } from './commands/scenario.ts';
import { registerSpawn } from './commands/spawn.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerLoadtest } from './commands/loadtest.ts';
import { registerConfig } from './commands/config.ts';
import { registerToken } from './commands/token.ts';
import { registerModels } from './commands/models.ts';
import { registerLlm } from './commands/llm.ts';
import { registerReplay } from './commands/replay.ts';

/** The package's version (from its package.json). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

/** Build the `lairmind` command line. Each command lives in tools/commands/ and registers itself here. */
export function buildCli(): Command {
  const program = new Command('lairmind')
    .description('Lairmind: an authoritative game-simulation server for worlds full of AI-driven creatures')
    .version(packageVersion(), '-v, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError();
  registerServe(program);
  registerSimulate(program);
  registerWorld(program);
  registerClassify(program);
  registerReply(program);
  registerScenario(program);
  registerSpawn(program);
  registerInspect(program);
  registerLoadtest(program);
  registerConfig(program);
  registerToken(program);
  registerModels(program);
  registerLlm(program);
  registerReplay(program);
  return program;
}

/** Run the CLI with `argv` (without node and script). Sets `process.exitCode` on failure. */
export async function main(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    console.error(`lairmind: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
