// A small seeded generator (xorshift32 over a splitmix-style seed hash): every trial is a pure
// function of (seed, trial index), so any failure replays with --seed S --trial T.

export interface Rng {
  /** A u32. */
  u32(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/** Mixes two integers into a nonzero 32-bit state, so nearby trial indexes diverge at once. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2f);
  h ^= h >>> 15;
  return h === 0 ? 1 : h >>> 0;
}

export function rngFor(seed: number, trial: number): Rng {
  let state = mix(seed, trial);
  const u32 = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const below = (n: number): number => Math.floor((u32() / 0x1_0000_0000) * n);
  return {
    u32,
    below,
    pick: <T>(items: readonly T[]): T => items[below(items.length)],
    chance: (p: number) => u32() / 0x1_0000_0000 < p,
  };
}
