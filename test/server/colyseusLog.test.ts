import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colyseusLogger } from '../../server/colyseusLog.ts';
import { createLogger } from '../../server/index.ts';

/** A pino logger writing JSON lines into an array. */
function captured(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe("Colyseus' log lines", () => {
  it('a flood of one kind writes a few structured lines, then one count when the window ends', () => {
    const { lines, logger } = captured();
    let now = 0;
    const log = colyseusLogger(logger, { perKind: 3, windowMs: 1000, now: () => now });
    for (let i = 0; i < 10_000; i++) log.error(new RangeError(`Max payload size exceeded (frame ${i})`));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ component: 'colyseus', level: 50, msg: 'colyseus: RangeError: Max payload size exceeded (frame 0)' });
    expect(String(lines[0]?.stack)).toContain('colyseusLog.test.ts');
    now = 1000;
    log.warn('reconnection token invalid or expired');
    expect(lines[3]).toMatchObject({ component: 'colyseus', suppressed: 9997, windowMs: 1000 });
    expect(lines[4]).toMatchObject({ component: 'colyseus', level: 40, msg: 'colyseus: reconnection token invalid or expired' });
  });

  it('lines of different kinds are counted apart; too many kinds are counted together', () => {
    const { lines, logger } = captured();
    let now = 0;
    const log = colyseusLogger(logger, { perKind: 1, windowMs: 1000, now: () => now });
    log.warn('room "abc" not found');
    log.warn('something else happened');
    expect(lines.map((l) => l.msg)).toEqual(['colyseus: room "abc" not found', 'colyseus: something else happened']);
    // 300 kinds that differ in letters (numbers and long ids are blurred into one kind).
    for (let i = 0; i < 300; i++) log.warn(`kind ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    expect(lines).toHaveLength(256);
    now = 1000;
    log.info('after');
    expect(lines.some((l) => typeof l.suppressed === 'number' && String(l.msg).includes('other kinds'))).toBe(true);
  });
});
