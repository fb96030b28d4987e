import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// V8's own view of the bodies' hidden class, asked in a child process that may use its natives syntax.
const CHECK = `
const { newBody } = await import(process.argv[1]);
const same = new Function('a', 'b', 'return %HaveSameMap(a, b)');
globalThis.gc();
const init = (x) => ({ x, y: 3, radius: 1, speed: 3, hp: 15, maxHp: 15, faction: 'wolves' });
const a = newBody(1, init(10)), b = newBody(2, init(11));
// What a fight does to a body: a fractional hit, a death, a move.
b.hp = 7.5; b.alive = false; b.x = 3.25; b.vx = 0.5; b.heading = 1.1; b.changedAt = 9;
const c = newBody(3, init(12));
console.log(JSON.stringify({ hitAndUntouched: same(a, b), newAndOld: same(a, c) }));
`;

describe('body hidden class', () => {
  it('a fractional hit, a death or a move does not change the class every body shares', () => {
    const body = fileURLToPath(new URL('../../actors/body.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--import', 'tsx', '--input-type=module', '-e', CHECK, body], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1) as string)).toEqual({ hitAndUntouched: true, newAndOld: true });
  });
});
