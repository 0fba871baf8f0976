// A seeded PRNG (mulberry32): the fuzzer must replay a seed to the same operations on any machine,
// so it never touches Math.random.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * A byte count, mostly small: real programs make many tiny allocations and a few huge ones, and
   * the rare multi-MiB request is what exercises growth, large blocks and out of memory.
   */
  bytes(): number {
    const r = this.next();
    if (r < 0.04) return 0;
    if (r < 0.7) return this.int(1, 64);
    if (r < 0.9) return this.int(65, 4096);
    if (r < 0.985) return this.int(4097, 100_000);
    return this.int(100_001, 4 << 20);
  }

  /** An alignment for an explicit `{ align }`: mostly modest, sometimes a whole page. */
  align(): number {
    const r = this.next();
    if (r < 0.85) return 1 << this.int(0, 6);
    if (r < 0.97) return 1 << this.int(7, 12);
    return 1 << this.int(13, 16);
  }
}
