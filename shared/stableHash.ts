/**
 * A stable 64-bit hash (two FNV-1a lanes) of plain data: objects hash with sorted keys, numbers by their
 * exact float64 bits, so the same state always gives the same hex string on every platform, and any
 * difference in any bit of any number changes it.
 */
export class StableHasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x9e3779b9;
  private static readonly f64 = new Float64Array(1);
  private static readonly u32 = new Uint32Array(StableHasher.f64.buffer);

  private byte(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193) >>> 0;
    // Both multipliers are odd: an even one shifts the lane's oldest bits out, leaving it a hash of the last 32 bytes.
    this.b = Math.imul(this.b ^ x, 0x5bd1e995) >>> 0;
  }

  private u32word(x: number): void {
    this.byte(x & 0xff);
    this.byte((x >>> 8) & 0xff);
    this.byte((x >>> 16) & 0xff);
    this.byte((x >>> 24) & 0xff);
  }

  /** Mix one number (exact bits). */
  number(n: number): this {
    this.byte(1);
    StableHasher.f64[0] = n;
    this.u32word(StableHasher.u32[0] as number);
    this.u32word(StableHasher.u32[1] as number);
    return this;
  }

  /** Mix one string. */
  string(s: string): this {
    this.byte(2);
    this.u32word(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.byte(c & 0xff);
      this.byte(c >>> 8);
    }
    return this;
  }

  /** Mix any plain value: null, undefined, booleans, numbers, strings, arrays, plain objects, Maps. */
  value(v: unknown): this {
    if (v === null) this.byte(3);
    else if (v === undefined) this.byte(4);
    else if (typeof v === 'boolean') this.byte(v ? 5 : 6);
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'string') this.string(v);
    else if (Array.isArray(v)) {
      this.byte(7);
      this.u32word(v.length);
      for (const x of v) this.value(x);
    } else if (v instanceof Map) {
      this.byte(8);
      const keys = [...v.keys()].map(String).sort();
      this.u32word(keys.length);
      const byString = new Map([...v.entries()].map(([k, x]) => [String(k), x]));
      for (const k of keys) this.string(k).value(byString.get(k));
    } else if (typeof v === 'object') {
      this.byte(9);
      const keys = Object.keys(v as object).sort();
      this.u32word(keys.length);
      for (const k of keys) this.string(k).value((v as Record<string, unknown>)[k]);
    } else {
      throw new TypeError(`StableHasher: cannot hash a ${typeof v}`);
    }
    return this;
  }

  /** The hash as 16 hex digits. */
  digest(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}

/** Hash one plain value. */
export function stableHash(value: unknown): string {
  return new StableHasher().value(value).digest();
}
