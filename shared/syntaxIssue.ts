import type { Issue } from './validation.ts';

/** Widest excerpt line, in characters. */
const WIDTH = 72;

/** The window of `line` to show around column `col` (1-based): whole words only, `…` where it is cut. */
function window(line: string, col: number): { text: string; caret: number } {
  if (line.length <= WIDTH) return { text: line, caret: col - 1 };
  let start = Math.max(0, Math.min(col - 1 - Math.floor(WIDTH / 2), line.length - WIDTH));
  if (start > 0 && line[start - 1] !== ' ') {
    // Start on a whole word: the next one, as long as the column stays in view.
    const space = line.indexOf(' ', start);
    if (space >= 0 && space + 1 <= col - 1 && space - start < 16) start = space + 1;
  }
  let end = Math.min(line.length, start + WIDTH);
  if (end < line.length) {
    const space = line.lastIndexOf(' ', end);
    if (space > col && space > start) end = space;
  }
  const head = start > 0 ? '…' : '';
  return { text: head + line.slice(start, end) + (end < line.length ? '…' : ''), caret: col - 1 - start + head.length };
}

/**
 * The lines around a position in a text file: the line before (when not blank) and the line itself, numbered,
 * and a caret under column `col`. Tabs show as one space so the caret stays under its character.
 */
export function excerpt(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\t/g, ' '));
  const at = lines[line - 1] ?? '';
  const width = String(line).length;
  const gutter = (n: number | ''): string => `  ${String(n).padStart(width)} | `;
  const out: string[] = [];
  const before = lines[line - 2];
  if (line > 1 && before !== undefined && before.trim()) out.push(gutter(line - 1) + window(before, 1).text);
  const w = window(at, col);
  out.push(gutter(line) + w.text);
  out.push(gutter('') + ' '.repeat(Math.max(0, w.caret)) + '^');
  return out.join('\n');
}

/** A syntax error of a file as one issue at its root: `YAML syntax error at line 5, column 7: …` and the excerpt. */
export function syntaxIssue(kind: string, text: string, line: number, col: number, what: string): Issue {
  return { path: [], message: `${kind} syntax error at line ${line}, column ${col}: ${what}\n${excerpt(text, line, col)}` };
}

/** The part of a `yaml` package error that {@link yamlSyntaxIssue} reads. */
export interface YamlErrorLike {
  readonly message: string;
  readonly code?: string;
  /** Character offsets of the error's start and end in the text. */
  readonly pos?: readonly [number, number];
  readonly linePos?: readonly [{ readonly line: number; readonly col: number }, ...unknown[]] | undefined;
}

/** Line and column (both 1-based) of character `offset` in `text`. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length))).split(/\r?\n/);
  return { line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
}

/**
 * The first of a YAML document's errors as one issue (the later ones are most often echoes of the first: fix
 * it and validate again). Its message loses the package's own position and excerpt, which we draw instead; a
 * position in a line's indentation moves to the line's first character.
 */
export function yamlSyntaxIssue(text: string, errors: readonly YamlErrorLike[]): Issue | undefined {
  const e = errors[0];
  if (!e) return undefined;
  const what = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '').trim() || (e.code ?? 'invalid YAML');
  const pos = e.linePos?.[0] ?? (e.pos ? lineCol(text, e.pos[0]) : { line: 1, col: 1 });
  const lineText = text.split(/\r?\n/)[pos.line - 1] ?? '';
  let col = pos.col;
  if (/^ *$/.test(lineText.slice(0, col)) && /[^ ]/.test(lineText)) col = Math.max(col, lineText.search(/[^ ]/) + 1);
  return syntaxIssue('YAML', text, pos.line, col, what);
}

/**
 * A `JSON.parse` error as one issue with line, column and excerpt. Its offset comes from the message
 * (`… at position 45`); messages without one (`Unexpected token '}', …"pawns": [ } " is not valid JSON`) take
 * `fallbackOffset` (a YAML parser's position for the same text, say), else the end of the text. The engine's own
 * excerpt, cut mid-token, is left out.
 */
export function jsonSyntaxIssue(text: string, err: unknown, fallbackOffset?: number): Issue {
  const message = err instanceof Error ? err.message : String(err);
  const m = /position (\d+)/.exec(message);
  const { line, col } = lineCol(text, m ? Number(m[1]) : (fallbackOffset ?? text.length));
  const what = message
    .replace(/\s*(in JSON )?at position \d+.*$/, '')
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/^JSON\.parse: /, '') || 'invalid JSON';
  return syntaxIssue('JSON', text, line, col, what);
}
