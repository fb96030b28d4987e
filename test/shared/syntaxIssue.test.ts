import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { excerpt, formatIssue, jsonSyntaxIssue, yamlSyntaxIssue } from '../../shared/index.ts';

const yamlIssue = (text: string) => {
  const doc = parseDocument(text);
  expect(doc.errors.length).toBeGreaterThan(0);
  return yamlSyntaxIssue(text, doc.errors)!;
};

describe('syntax errors: once, with line, column and an excerpt with a caret', () => {
  it('reports the first YAML error only, though the package reports several', () => {
    const text = 'name: demo\nspawns:\n  - pack:\n      species: wolf\n      at: { x: 0, y: 0\n  - pack: [\n';
    expect(parseDocument(text).errors.length).toBeGreaterThan(1);
    const issue = yamlIssue(text);
    expect(issue.path).toEqual([]);
    expect(formatIssue(issue)).toBe([
      'YAML syntax error at line 6, column 3: Flow map in block collection must be sufficiently indented and end with a }',
      '  5 |       at: { x: 0, y: 0',
      '  6 |   - pack: [',
      '    |   ^',
    ].join('\n'));
  });

  it('has no dangling colon and none of the package\'s own excerpt in its first line', () => {
    const issue = yamlIssue('name: demo\ndescription: this is "quoted" and: colon\n');
    const [first] = issue.message.split('\n');
    expect(first).toBe('YAML syntax error at line 2, column 14: Nested mappings are not allowed in compact mappings');
    expect(first).not.toMatch(/:\s*$/);
    expect(issue.message.split('\n').slice(1)).toEqual(['  1 | name: demo', '  2 | description: this is "quoted" and: colon', '    |              ^']);
  });

  it('points at the first character of a badly indented line, and at a tab where tabs indent', () => {
    expect(yamlIssue('spawns:\n  - pack:\n      species: wolf\n     size: 3\n').message.split('\n').slice(-2)).toEqual(['  4 |      size: 3', '    |      ^']);
    expect(yamlIssue('name: demo\n\tworld: {}\n').message).toMatch(/^YAML syntax error at line 2, column 1: Tabs are not allowed as indentation\n.*\n {2}2 \| {2}world: \{\}\n {4}\| \^$/);
  });

  it('cuts a long line at word boundaries around the column, marking the cuts', () => {
    const words = Array.from({ length: 30 }, (_, k) => `word${k}`).join(' ');
    const line = `b: ${words}: oops`;
    const col = line.indexOf(': oops') + 1;
    const lines = excerpt(`a: 1\n${line}\n`, 2, col).split('\n');
    const shown = lines[1]!.replace(/^ {2}2 \| /, '');
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(74);
    expect(shown.slice(1)).toMatch(/^word\d+ /); // starts on a whole word
    expect(shown.endsWith(': oops')).toBe(true);
    const caret = lines[2]!.indexOf('^') - '    | '.length;
    expect(shown.slice(caret)).toBe(': oops'); // the caret sits under the colon
    const middle = excerpt(`${line}${line}`, 1, col).split('\n')[0]!.replace(/^ {2}1 \| /, '');
    expect(middle).toMatch(/^…word\d+ .* \S+…$/); // cut on both sides, between words
  });

  it('gives JSON errors the same shape', () => {
    const text = '{"name": "x",\n "spawns": [ {"pack": {"species": "wolf" "at": {"x": 0}}} ]\n}\n';
    let err: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      err = e;
    }
    const issue = jsonSyntaxIssue(text, err);
    expect(issue.message.split('\n')[0]).toMatch(/^JSON syntax error at line 2, column 42: \S/);
    expect(issue.message.split('\n').slice(-1)[0]).toBe(`    |${' '.repeat(42)}^`);
  });

  it('numbers the excerpt with a gutter as wide as the line number', () => {
    const text = Array.from({ length: 12 }, (_, k) => `k${k}: ${k}`).join('\n');
    expect(excerpt(text, 10, 2)).toBe('   9 | k8: 8\n  10 | k9: 9\n     |  ^');
  });
});
