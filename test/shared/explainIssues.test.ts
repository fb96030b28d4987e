import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeSchema, explainIssues, formatIssue, parseWith, ValidationError } from '../../shared/index.ts';

/** Every explained issue of `input` against `schema`, as `path: message`. */
function explain(schema: z.ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  if (r.success) return [];
  return explainIssues(schema, r.error.issues, input).map(formatIssue);
}

const Pet = z.object({
  kind: z.enum(['cat', 'dog', 'parrot']),
  age: z.number().int().min(0).max(40),
  name: z.string().min(1).max(20).optional(),
  vaccinated: z.boolean().default(false),
}).strict();

describe('explainIssues: errors that teach', () => {
  it('names the path, shows the bad value and says what was expected', () => {
    expect(explain(z.object({ pets: z.array(Pet) }), { pets: [{ kind: 'cat', age: 3 }, { kind: 'cat', age: 99 }] }))
      .toEqual(['pets[1].age: got 99; expected an integer from 0 to 40']);
    expect(explain(Pet, { kind: 'cat', age: 2, name: 'x'.repeat(30) })).toEqual([`name: got "${'x'.repeat(30)}"; expected text of 1 to 20 characters`]);
  });

  it('suggests the near-miss value, a wrong case first', () => {
    expect(explain(Pet, { kind: 'Dog', age: 1 })).toEqual(['kind: got "Dog"; expected one of cat, dog, parrot; did you mean "dog"?']);
    expect(explain(Pet, { kind: 'parot', age: 1 })).toEqual(['kind: got "parot"; expected one of cat, dog, parrot; did you mean "parrot"?']);
    expect(explain(Pet, { kind: 'horse', age: 1 })).toEqual(['kind: got "horse"; expected one of cat, dog, parrot']);
  });

  it('says required for a missing field, with what it should be', () => {
    expect(explain(Pet, { kind: 'cat' })).toEqual(['age: required; expected an integer from 0 to 40']);
    expect(explain(Pet, { age: 1 })).toEqual(['kind: required; expected one of cat, dog, parrot']);
  });

  it('a misspelt key is one error, at that key, with the near miss; the field it misses is not reported again', () => {
    expect(explain(Pet, { knd: 'cat', age: 1 })).toEqual(['knd: unknown key; did you mean "kind"? (allowed here: kind, age, name, vaccinated)']);
    expect(explain(Pet, { kind: 'cat', age: 1, colour: 'red' })).toEqual(['colour: unknown key (allowed here: kind, age, name, vaccinated)']);
  });

  it('a refinement that names the keys it concerns gives way to the misspelling that caused it', () => {
    const Place = z.object({ at: z.number().optional(), near: z.string().optional() }).strict().superRefine((v, ctx) => {
      if (v.at === undefined && v.near === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'give at or near', params: { concerns: ['at', 'near'] } });
    });
    expect(explain(Place, { naer: 'well' })).toEqual(['naer: unknown key; did you mean "near"? (allowed here: at, near)']);
    expect(explain(Place, {})).toEqual(['give at or near']);
  });

  it('a refinement that names allowed values suggests the near one', () => {
    const Ref = z.object({ pack: z.string() }).superRefine((v, ctx) => {
      if (!['wolves', 'goblins'].includes(v.pack)) ctx.addIssue({ code: 'custom', path: ['pack'], message: `no pack '${v.pack}'`, params: { allowed: ['wolves', 'goblins'] } });
    });
    expect(explain(Ref, { pack: 'wolfs' })).toEqual(['pack: no pack \'wolfs\'; did you mean "wolves"?']);
  });

  it('a union reports one error: the branch the value was meant for, or what any branch takes', () => {
    const Seed = z.object({ seed: z.union([z.string().min(1).max(8), z.number().int()]) });
    expect(explain(Seed, { seed: 3.5 })).toEqual(['seed: got 3.5; expected text of 1 to 8 characters or an integer']);
    expect(explain(Seed, { seed: 'much too long' })).toEqual(['seed: got "much too long"; expected text of 1 to 8 characters']);
    const Shape = z.object({ shape: z.union([z.object({ circle: z.object({ r: z.number().positive() }).strict() }).strict(), z.object({ square: z.object({ side: z.number() }).strict() }).strict()]) });
    expect(explain(Shape, { shape: { circle: { r: -1 } } })).toEqual(['shape.circle.r: got -1; expected a number greater than 0']);
  });

  it('hints at a number or boolean written in quotes', () => {
    expect(explain(Pet, { kind: 'cat', age: '3' })).toEqual(['age: got "3"; expected an integer from 0 to 40; did you mean 3 (without quotes)?']);
    expect(explain(Pet, { kind: 'cat', age: 3, vaccinated: 'true' })).toEqual(['vaccinated: got "true"; expected true or false; did you mean true (without quotes)?']);
  });

  it('never shows a value under a secret-looking key', () => {
    const Auth = z.object({ user: z.string(), apiToken: z.string().min(32) });
    const text = explain(Auth, { user: 'me', apiToken: 'sk-very-secret' });
    expect(text).toEqual(['apiToken: expected text of at least 32 characters']);
    expect(text.join()).not.toContain('sk-very-secret');
    const Env = z.object({ PORT: z.coerce.number().int().max(65535), MODE: z.enum(['dev', 'prod']) });
    const env = { PORT: '70000', MODE: 'prd' };
    const r = Env.safeParse(env);
    expect(r.success).toBe(false);
    const hidden = explainIssues(Env, r.success ? [] : r.error.issues, env, { showValueAt: () => false }).map(formatIssue);
    expect(hidden).toEqual(['PORT: expected an integer of at most 65535', 'MODE: expected one of dev, prod; did you mean "prod"?']);
  });

  it('parseWith throws a ValidationError with the explained issues', () => {
    expect(() => parseWith(Pet, { kind: 'Cat', age: 1 }, 'pet')).toThrow(new ValidationError('pet', [{ path: ['kind'], message: 'got "Cat"; expected one of cat, dog, parrot; did you mean "cat"?' }]));
  });

  it('describes schemas in words', () => {
    expect(describeSchema(z.number().positive().max(64))).toBe('a number greater than 0 and at most 64');
    expect(describeSchema(z.number().min(0))).toBe('a number of at least 0');
    expect(describeSchema(z.array(z.string()).max(4))).toBe('a list of at most 4 items');
    expect(describeSchema(z.object({ x: z.number(), y: z.number() }))).toBe('an object with x, y');
    expect(describeSchema(z.literal(true).optional())).toBe('true');
  });
});
