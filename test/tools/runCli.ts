import { vi } from 'vitest';
import { main } from '../../tools/cli.ts';

/** Run the CLI in this process, capturing its output (warnings silenced) and exit status. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  process.exitCode = 0;
  try {
    await main(args);
  } finally {
    log.mockRestore();
    error.mockRestore();
    warn.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: out.join('\n'), err: err.join('\n') };
}
