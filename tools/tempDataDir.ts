import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh, empty DATA_DIR for a server started by a test, drill, benchmark or load test: each gets its own
 * snapshot store, so none brings back another's rooms at start.
 */
export function tempDataDir(label = 'server'): string {
  return mkdtempSync(join(tmpdir(), `lairmind-${label}-`));
}
