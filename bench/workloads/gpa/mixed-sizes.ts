// The GPA workloads' random input, the same for every peer: which live allocation each operation
// touches, and the sizes new allocations get. Sizes run from 16 B to 64 KiB with small ones the
// most common, as in real programs: the power-of-two class 16·2^k (k = 0…11) has probability
// 2^-(k+1) and a size uniform within it; the rest (2^-12) are 64 KiB. The mean is about 160 B,
// so a million live allocations hold about 160 MB.

const STREAM_LENGTH = 1 << 16;
export const STREAM_MASK = STREAM_LENGTH - 1;
const SMALLEST = 16;
const CLASSES = 12;
const LARGEST = 64 * 1024;

/** A seeded xorshift32: the same numbers on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

function mixedSize(next: () => number): number {
  let k = 0;
  while (k < CLASSES && next() >= 0.5) k++;
  if (k === CLASSES) return LARGEST;
  const low = SMALLEST << k;
  return Math.min(LARGEST, low + Math.floor(next() * low));
}

export interface Streams {
  live: number;
  /** Slot indices in [0, live), one per operation, cycled. */
  slots: Uint32Array;
  /** Byte sizes, one per operation, cycled; also the sizes the heap is filled with. */
  sizes: Uint32Array;
}

export function streamsFor(live: number): Streams {
  const next = random(0x9e3779b9 ^ live);
  const slots = new Uint32Array(STREAM_LENGTH);
  const sizes = new Uint32Array(STREAM_LENGTH);
  for (let i = 0; i < STREAM_LENGTH; i++) {
    slots[i] = Math.floor(next() * live);
    sizes[i] = mixedSize(next);
  }
  return { live, slots, sizes };
}
