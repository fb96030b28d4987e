import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { Issue } from '../../shared/index.ts';
import { checkConfigText } from './loadLairmindConfig.ts';
import type { LoadedConfig } from './loadLairmindConfig.ts';

/** One value to set in a configuration file, at a path of mapping keys (e.g. `['presets', 'tactics', 'maxTokens']`). */
export interface ConfigChange {
  readonly path: readonly string[];
  readonly value: string | number | boolean;
}

/**
 * The edited text, valid by the config schema, and how it was written: `kept` when only the changed values were
 * touched (every other byte as it was, comments and layout included), `reprinted` when the file's shape needed the
 * YAML printer (comments kept, spacing and wrapping may differ).
 */
export type ConfigEdit = { readonly ok: true; readonly text: string; readonly layout: 'kept' | 'reprinted'; readonly loaded: LoadedConfig } | { readonly ok: false; readonly issues: readonly Issue[] };

/**
 * Set `changes` in configuration text and check the result with the config schema. Each value is set in place: an
 * existing scalar is replaced, a missing key is added to its mapping in that mapping's style (block or flow), missing
 * mappings are created. The result is re-read and compared with the intended document, so a value lands where it was
 * meant to or the edit falls back to the YAML printer (`parseDocument` + `setIn`). Never throws for bad content: a
 * syntax error, or a result the schema refuses, comes back as path-precise issues.
 */
export function editConfigText(text: string, changes: readonly ConfigChange[], source: string, baseDir: string): ConfigEdit {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    const r = checkConfigText(text, source, baseDir);
    return { ok: false, issues: r.ok ? [{ path: [], message: doc.errors[0]?.message ?? 'YAML error' }] : r.issues };
  }
  const intended = parseDocument(text, { uniqueKeys: true });
  for (const c of changes) {
    for (let k = 1; k < c.path.length; k++) {
      const at = c.path.slice(0, k);
      const node = intended.getIn(at, true);
      if (node === undefined || isMap(node)) continue;
      // `presets:` with nothing under it is an empty mapping to fill; any other value is not ours to replace.
      if (isScalar(node) && (node.value === null || node.value === '')) intended.setIn(at, intended.createNode({}));
      else return { ok: false, issues: [{ path: at, message: `expected a mapping to set ${c.path.slice(k).join('.')} in` }] };
    }
    intended.setIn([...c.path], c.value);
  }
  const want = intended.toJS({ maxAliasCount: 100 }) as unknown;
  let out: string | undefined = text;
  for (const c of changes) {
    out = spliceSet(out, c.path, c.value);
    if (out === undefined) break;
  }
  let layout: 'kept' | 'reprinted' = 'kept';
  if (out === undefined || !sameData(out, want)) {
    out = intended.toString({ lineWidth: 0 });
    layout = 'reprinted';
  }
  const r = checkConfigText(out, source, baseDir);
  if (!r.ok) return { ok: false, issues: r.issues };
  return { ok: true, text: out, layout, loaded: r.loaded };
}

function sameData(text: string, want: unknown): boolean {
  const d = parseDocument(text, { uniqueKeys: true });
  return d.errors.length === 0 && isDeepStrictEqual(d.toJS({ maxAliasCount: 100 }), want);
}

/** `text` with `path` set to `value`, touching nothing else; undefined where the file's shape is not a plain mapping. */
function spliceSet(text: string, path: readonly string[], value: ConfigChange['value']): string | undefined {
  const doc: Document = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) return undefined;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    // An empty document (comments only): append the whole path.
    const tail = text.length === 0 || text.endsWith('\n') ? '' : nl;
    return `${text}${tail}${blockEntry(path, value, '', nl)}${nl}`;
  }
  let map: unknown = root;
  for (let k = 0; k < path.length; k++) {
    if (!isMap(map)) return undefined;
    const m = map as YAMLMap;
    if (m.items.some((p) => !isPair(p) || !isScalar(p.key))) return undefined; // complex keys: leave it to the printer
    const pair = m.items.find((p) => (p.key as { value: unknown }).value === path[k]) as Pair<Node, Node | null> | undefined;
    if (!pair) return insertEntry(text, m, path.slice(k), value, nl);
    const v = pair.value;
    if (k === path.length - 1) {
      if (!isScalar(v) || !v.range) return undefined;
      return text.slice(0, v.range[0]) + scalar(value) + text.slice(v.range[1]);
    }
    map = v;
  }
  return undefined;
}

/** Add `rest[0]` (with the remaining path below it) to mapping `m`, in the mapping's own style. */
function insertEntry(text: string, m: YAMLMap, rest: readonly string[], value: ConfigChange['value'], nl: string): string | undefined {
  if (!m.range) return undefined;
  const last = m.items[m.items.length - 1] as Pair<Node, Node | null> | undefined;
  if (m.flow) {
    if (!last) {
      const open = text.indexOf('{', m.range[0]);
      const close = text.lastIndexOf('}', m.range[1]);
      if (open < 0 || close < open) return undefined;
      return `${text.slice(0, open)}{ ${flowEntry(rest, value)} }${text.slice(close + 1)}`;
    }
    const end = (last.value ?? last.key).range?.[1];
    if (end === undefined) return undefined;
    return `${text.slice(0, end)}, ${flowEntry(rest, value)}${text.slice(end)}`;
  }
  const first = m.items[0] as Pair<Node, Node | null> | undefined;
  const keyAt = first?.key.range?.[0];
  const end = last ? (last.value ?? last.key).range?.[1] : undefined;
  if (keyAt === undefined || end === undefined) return undefined;
  const indent = text.slice(text.lastIndexOf('\n', keyAt - 1) + 1, keyAt);
  if (!/^ *$/.test(indent)) return undefined; // a mapping inside a sequence item (`- key: …`) or on a shared line
  const eol = text.indexOf('\n', Math.max(end - 1, 0));
  const at = eol < 0 ? text.length : eol;
  const lineEnd = eol > 0 && text[eol - 1] === '\r' ? eol - 1 : at;
  const insert = `${nl}${blockEntry(rest, value, indent, nl)}`;
  return eol < 0 ? `${text}${insert}` : `${text.slice(0, lineEnd)}${insert}${text.slice(lineEnd)}`;
}

/** `a: { b: { c: v } }` */
function flowEntry(path: readonly string[], value: ConfigChange['value']): string {
  const [head, ...rest] = path;
  return `${key(head as string)}: ${rest.length ? `{ ${flowEntry(rest, value)} }` : scalar(value)}`;
}

/** `a: v`, `a: { b: v }`, or a block mapping with a flow entry at its last two levels. */
function blockEntry(path: readonly string[], value: ConfigChange['value'], indent: string, nl: string): string {
  if (path.length <= 2) return `${indent}${flowEntry(path, value)}`;
  return `${indent}${key(path[0] as string)}:${nl}${blockEntry(path.slice(1), value, `${indent}  `, nl)}`;
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k);
}

function scalar(v: ConfigChange['value']): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
