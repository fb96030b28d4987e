/** Longest rendering of a value in an error message, in characters. */
const MAX_SHOWN = 48;

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

function render(v: unknown, depth: number): string {
  if (v === undefined) return 'nothing';
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return depth > 2 ? '[…]' : `[${v.map((x) => render(x, depth + 1)).join(', ')}]`;
  if (typeof v === 'object') {
    if (depth > 2) return '{…}';
    const entries = Object.entries(v as Record<string, unknown>);
    if (!entries.length) return '{}';
    return `{ ${entries.map(([k, x]) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${render(x, depth + 1)}`).join(', ')} }`;
  }
  return typeof v;
}

/** Cut a long string at a word boundary near `max` characters, marking the cut. */
function cutText(s: string, max: number): string {
  if (s.length <= max) return JSON.stringify(s);
  let end = max;
  const space = s.lastIndexOf(' ', max);
  if (space > max * 0.6) end = space;
  return `${JSON.stringify(s.slice(0, end).trimEnd() + '…')} (${s.length} characters)`;
}

/**
 * A value as an error message shows it: strings quoted, numbers and booleans as written, small lists and
 * objects inline (`{ x: 0, y: 0 }`). Long strings are cut at a word boundary with their length; long lists and
 * objects are summed up (`a list of 300 items`, `an object with keys a, b, c, …`) rather than cut mid-token.
 */
export function showValue(v: unknown, max = MAX_SHOWN): string {
  if (typeof v === 'string') return v === '' ? '"" (empty)' : cutText(v, max);
  const full = render(v, 0);
  if (full.length <= max) return full;
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    let text = '';
    for (const [k, key] of keys.entries()) {
      const next = text ? `${text}, ${key}` : key;
      if (next.length > max - 20) return text ? `an object with keys ${text}, … (${keys.length} in all)` : `an object with ${keys.length} keys`;
      text = next;
      if (k === keys.length - 1) return `an object with keys ${text}`;
    }
  }
  return full.slice(0, max) + '…';
}

/** `wolf, boar, goblin` (or quoted when a value is not a plain word); at most `max` values, then how many in all. */
export function listValues(values: readonly unknown[], max = 12): string {
  const shown = values.slice(0, values.length > max ? max - 2 : max).map((v) => (typeof v === 'string' && IDENTIFIER.test(v) ? v : render(v, 1)));
  return values.length > shown.length ? `${shown.join(', ')}, … (${values.length} in all)` : shown.join(', ');
}
