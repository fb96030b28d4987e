/** Whether (k1, t1, s1) orders before (k2, t2, s2): by key, then tie, then sequence number. */
function before(k1: number, t1: number, s1: number, k2: number, t2: number, s2: number): boolean {
  return k1 !== k2 ? k1 < k2 : t1 !== t2 ? t1 < t2 : s1 < s2;
}

/**
 * A binary min-heap of integer items by numeric priority, then by a secondary `tie` key (smaller first),
 * then in insertion order, so searches are deterministic. Duplicates are allowed (lazy decrease-key:
 * callers skip stale pops).
 */
export class MinHeap {
  private items: number[] = [];
  private keys: number[] = [];
  private ties: number[] = [];
  private seqs: number[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(item: number, key: number, tie = 0): void {
    const it = this.items, ks = this.keys, ts = this.ties, ss = this.seqs;
    let i = it.length;
    const s = this.seq++;
    it.push(item); ks.push(key); ts.push(tie); ss.push(s);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(key, tie, s, ks[p] as number, ts[p] as number, ss[p] as number)) break;
      it[i] = it[p] as number; ks[i] = ks[p] as number; ts[i] = ts[p] as number; ss[i] = ss[p] as number;
      i = p;
    }
    it[i] = item; ks[i] = key; ts[i] = tie; ss[i] = s;
  }

  /** Priority of the smallest item (Infinity when empty). */
  peekKey(): number {
    return this.keys.length > 0 ? (this.keys[0] as number) : Infinity;
  }

  /** Remove and return the smallest item; -1 when empty. */
  pop(): number {
    const it = this.items, ks = this.keys, ts = this.ties, ss = this.seqs;
    const n = it.length;
    if (n === 0) return -1;
    const top = it[0] as number;
    const lastI = it.pop() as number, lastK = ks.pop() as number, lastT = ts.pop() as number, lastS = ss.pop() as number;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const r = l + 1;
        const c = r < m && before(ks[r] as number, ts[r] as number, ss[r] as number, ks[l] as number, ts[l] as number, ss[l] as number) ? r : l;
        if (!before(ks[c] as number, ts[c] as number, ss[c] as number, lastK, lastT, lastS)) break;
        it[i] = it[c] as number; ks[i] = ks[c] as number; ts[i] = ts[c] as number; ss[i] = ss[c] as number;
        i = c;
      }
      it[i] = lastI; ks[i] = lastK; ts[i] = lastT; ss[i] = lastS;
    }
    return top;
  }
}
