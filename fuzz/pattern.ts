// What the fuzzer writes into each block, and where. Checking every byte of multi-MiB blocks at
// every step would dominate the run, so a block carries its pattern at a bounded set of offsets:
// all of a small block, the head, the tail and a stride through a large one. A block's offsets
// depend only on its length, so after a resize the offsets below min(old, new) are still valid.

const WHOLE = 96;
const EDGE = 32;
const STRIDES = 32;

/** The byte block `id` holds at `offset`: never constant along a block, different per block. */
export function patternByte(id: number, offset: number): number {
  return (Math.imul(id, 167) + Math.imul(offset, 31) + (offset >>> 8) + 1) & 0xff;
}

/** Calls `visit` with each offset the pattern of a `bytes`-long block occupies. */
export function forEachOffset(bytes: number, visit: (offset: number) => void): void {
  if (bytes <= WHOLE) {
    for (let i = 0; i < bytes; i++) visit(i);
    return;
  }
  for (let i = 0; i < EDGE; i++) visit(i);
  const stride = Math.floor((bytes - 2 * EDGE) / STRIDES) + 1;
  for (let i = EDGE; i < bytes - EDGE; i += stride) visit(i);
  for (let i = bytes - EDGE; i < bytes; i++) visit(i);
}

export function writePattern(u8: Uint8Array, id: number, ptr: number, bytes: number): void {
  forEachOffset(bytes, (i) => { u8[ptr + i] = patternByte(id, i); });
}

/** The first offset below `limit` whose byte is not the pattern's, or -1. */
export function patternMismatch(u8: Uint8Array, id: number, ptr: number, bytes: number, limit = bytes): number {
  let bad = -1;
  forEachOffset(bytes, (i) => {
    if (bad < 0 && i < limit && u8[ptr + i] !== patternByte(id, i)) bad = i;
  });
  return bad;
}
