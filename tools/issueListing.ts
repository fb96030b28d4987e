import { formatIssue } from '../shared/index.ts';
import type { Issue } from '../shared/index.ts';

/** Issues as the CLI prints them: one per line, indented, an excerpt (a syntax error's) indented under its issue. */
export function issueLines(issues: readonly Issue[]): string[] {
  return issues.map((i) => '  ' + formatIssue(i).replace(/\n/g, '\n  '));
}

/** `file: 2 errors` (and `note` after it), then {@link issueLines}. */
export function issueListing(file: string, issues: readonly Issue[], note = ''): string {
  return [`${file}: ${issues.length} error${issues.length === 1 ? '' : 's'}${note}`, ...issueLines(issues)].join('\n');
}
