import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editConfigText } from '../../llm/index.ts';
import type { ConfigChange } from '../../llm/index.ts';

const EXAMPLE = readFileSync('lairmind.config.example.yaml', 'utf8');

function edit(text: string, ...changes: ConfigChange[]) {
  return editConfigText(text, changes, 'test.yaml', process.cwd());
}

/** Lines of `after` that are not in `before` (same position or not), and the reverse. */
function diff(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('editConfigText', () => {
  it('sets presets in the example file touching only those lines: comments, alignment and the other flow mappings stay', () => {
    const r = edit(EXAMPLE,
      { path: ['presets', 'tactics', 'maxTokens'], value: 300 },
      { path: ['presets', 'tactics', 'temperature'], value: 0.2 },
      { path: ['presets', 'dialogue', 'maxTokens'], value: 150 },
      { path: ['presets', 'chat_intent', 'temperature'], value: 0.1 },
      { path: ['presets', 'dialogue', 'model'], value: 'openai:gpt-4o-mini' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.layout).toBe('kept');
    expect(diff(EXAMPLE, r.text)).toEqual({
      removed: ['  tactics: { timeoutMs: 2500, deadlineMs: 3000, cacheTtlMs: 30000, priority: battle }', '  dialogue: { maxTokens: 200, cacheable: false }'],
      added: [
        '  tactics: { timeoutMs: 2500, deadlineMs: 3000, cacheTtlMs: 30000, priority: battle, maxTokens: 300, temperature: 0.2 }',
        '  dialogue: { maxTokens: 150, cacheable: false, model: "openai:gpt-4o-mini" }',
        '  chat_intent: { temperature: 0.1 }',
      ],
    });
    expect(r.text.split('\n').length).toBe(EXAMPLE.split('\n').length + 1);
    expect(r.loaded.config.presets).toMatchObject({ tactics: { maxTokens: 300, temperature: 0.2, priority: 'battle' }, dialogue: { maxTokens: 150, model: 'openai:gpt-4o-mini' }, chat_intent: { temperature: 0.1 } });
  });

  it('block mappings: replaces a value before its comment, adds a key at the mapping\'s indent, creates missing mappings', () => {
    const text = [
      '# head',
      'presets:',
      '  tactics:',
      '    temperature: 0.4   # steady',
      '    # a note inside tactics',
      '',
      '# the cache',
      'cache: { enabled: true }',
      '',
    ].join('\n');
    const r = edit(text, { path: ['presets', 'tactics', 'temperature'], value: 0.2 }, { path: ['presets', 'tactics', 'maxTokens'], value: 300 }, { path: ['presets', 'dialogue', 'maxTokens'], value: 120 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r).toMatchObject({ layout: 'kept' });
    expect(r.text).toBe([
      '# head',
      'presets:',
      '  tactics:',
      '    temperature: 0.2   # steady',
      '    maxTokens: 300',
      '  dialogue: { maxTokens: 120 }',
      '    # a note inside tactics',
      '',
      '# the cache',
      'cache: { enabled: true }',
      '',
    ].join('\n'));
  });

  it('a file without presets, an empty file, an empty flow mapping, Windows line ends', () => {
    const none = edit('cache: { enabled: true } # on\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    expect(none.ok && none.text).toBe('cache: { enabled: true } # on\npresets:\n  tactics: { maxTokens: 300 }\n');
    const empty = edit('# nothing yet\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    expect(empty.ok && empty.text).toBe('# nothing yet\npresets:\n  tactics: { maxTokens: 300 }\n');
    const flow = edit('presets: {}\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    expect(flow.ok && flow.text).toBe('presets: { tactics: { maxTokens: 300 } }\n');
    const crlf = edit('presets:\r\n  tactics:\r\n    temperature: 0.4\r\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    expect(crlf.ok && crlf.text).toBe('presets:\r\n  tactics:\r\n    temperature: 0.4\r\n    maxTokens: 300\r\n');
  });

  it('a shape it cannot edit in place goes through the YAML printer, still with the intended values and comments', () => {
    // `presets:` with no value: there is no mapping to add to.
    const r = edit('# keep me\npresets:\ncache: { enabled: true }\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.layout).toBe('reprinted');
    expect(r.text).toContain('# keep me');
    expect(r.loaded.config.presets).toEqual({ tactics: { maxTokens: 300 } });
    const scalar = edit('presets: 5\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    expect(scalar).toEqual({ ok: false, issues: [{ path: ['presets'], message: 'expected a mapping to set tactics.maxTokens in' }] });
  });

  it('never returns an invalid file: each problem with its path', () => {
    const big = edit(EXAMPLE, { path: ['presets', 'tactics', 'maxTokens'], value: 2_000_000 });
    expect(big).toEqual({ ok: false, issues: [{ path: ['presets', 'tactics', 'maxTokens'], message: 'got 2000000; expected an integer from 1 to 1000000' }] });
    const model = edit(EXAMPLE, { path: ['presets', 'tactics', 'model'], value: 'gemini:gemini-2.5-flash' });
    expect(model).toEqual({ ok: false, issues: [{ path: ['presets', 'tactics', 'model'], message: 'model gemini:gemini-2.5-flash is not in the model registry (models.entries)' }] });
    const syntax = edit('presets:\n  tactics: { maxTokens: 1\n', { path: ['presets', 'tactics', 'maxTokens'], value: 300 });
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.issues[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+/);
  });
});
