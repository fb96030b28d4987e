/**
 * A binary min-heap of integer items by numeric priority, then by a secondary `tie` key (smaller first),
 * then in insertion order, so searches are deterministic. Duplicates are allowed (lazy decrease-key:
 * callers skip stale pops). Entries live in parallel typed arrays that double when full: path searches
 * push thousands of entries per call, and plain arrays of doubles cost a box per store.
 */
export class MinHeap {
  private items = new Int32Array(256);
  private keys = new Float64Array(256);
  private ties = new Float64Array(256);
  private seqs = new Float64Array(256);
  private n = 0;
  private seq = 0;

  get size(): number {
    return this.n;
  }

  private grow(): void {
    const cap = this.items.length * 2;
    const items = new Int32Array(cap), keys = new Float64Array(cap), ties = new Float64Array(cap), seqs = new Float64Array(cap);
    items.set(this.items); keys.set(this.keys); ties.set(this.ties); seqs.set(this.seqs);
    this.items = items; this.keys = keys; this.ties = ties; this.seqs = seqs;
  }

  push(item: number, key: number, tie = 0): void {
    if (this.n === this.items.length) this.grow();
    const it = this.items, ks = this.keys, ts = this.ties, ss = this.seqs;
    let i = this.n++;
    const s = this.seq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const kp = ks[p] as number;
      if (key > kp || (key === kp && (tie > (ts[p] as number) || (tie === ts[p] && s > (ss[p] as number))))) break;
      it[i] = it[p] as number; ks[i] = kp; ts[i] = ts[p] as number; ss[i] = ss[p] as number;
      i = p;
    }
    it[i] = item; ks[i] = key; ts[i] = tie; ss[i] = s;
  }

  /** Priority of the smallest item (Infinity when empty). */
  peekKey(): number {
    return this.n > 0 ? (this.keys[0] as number) : Infinity;
  }

  /** Remove and return the smallest item; -1 when empty. */
  pop(): number {
    const n = this.n;
    if (n === 0) return -1;
    const it = this.items, ks = this.keys, ts = this.ties, ss = this.seqs;
    const top = it[0] as number;
    const m = n - 1;
    this.n = m;
    if (m > 0) {
      const lastI = it[m] as number, lastK = ks[m] as number, lastT = ts[m] as number, lastS = ss[m] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const r = l + 1;
        let c = l;
        if (r < m) {
          const kr = ks[r] as number, kl = ks[l] as number;
          if (kr < kl || (kr === kl && ((ts[r] as number) < (ts[l] as number) || (ts[r] === ts[l] && (ss[r] as number) < (ss[l] as number))))) c = r;
        }
        const kc = ks[c] as number;
        if (kc > lastK || (kc === lastK && ((ts[c] as number) > lastT || (ts[c] === lastT && (ss[c] as number) > lastS)))) break;
        it[i] = it[c] as number; ks[i] = kc; ts[i] = ts[c] as number; ss[i] = ss[c] as number;
        i = c;
      }
      it[i] = lastI; ks[i] = lastK; ts[i] = lastT; ss[i] = lastS;
    }
    return top;
  }
}
