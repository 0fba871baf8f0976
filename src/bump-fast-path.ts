// The bump fast path: an arena's or fixed buffer's bump region, read and written in place from
// JavaScript, so that an allocation that fits costs no call into WebAssembly. The region's layout
// and seal are the core's (assembly/bump.ts), taken from the generated ABI:
//
//   ┌───────┬──────────┬──────┬──────┐
//   │ start │ capacity │ end  │ seal │   allocations occupy [start, start + end)
//   └───────┴──────────┴──────┴──────┘   seal == start ^ capacity ^ end ^ SEAL_KEY
//
// Each allocator with a region holds a four-word Uint32Array over it (regionView()); one that has
// ended, or whose backing allocator has, holds NO_REGION, whose all-zero words never carry a
// valid seal. So the fast path needs no other test: a region whose seal does not match, including
// a view detached by growth under "plain" (whose reads are undefined), sends the call to the core.
//
// Contract: each function either does exactly what the core's bumpFree, bumpResize or bumpClear
// would do with the same arguments, writing `end` and the seal as the core would, or does nothing
// and says so, and the caller then makes the core call. The bump itself, bumpAlloc's twin, is
// written out in RegionAllocator.rawAlloc (core-allocator.ts): there the argument checks, the bump
// and the call to the slow path fit in the bytecode V8 inlines at three call sites of one loop.
// Nothing here keeps a copy of the region to act on (memory is the only state): a recorded bump
// (below) is replayed only when memory's words are the recorded ones. So core calls and fast-path
// calls mix freely on one allocator.
//
// Under "shared" every thread has its own instance; an allocator still belongs to one thread, as
// its region has no lock.

import { BUMP_CAPACITY, BUMP_END, BUMP_SEAL, BUMP_SIZE, BUMP_START, SEAL_KEY } from "../bindings/abi.generated";

// Word indices of a region's fields, 0 to 3, and the value of an intact region's
// start ^ capacity ^ end ^ seal, as the int32 that `^` gives. RegionAllocator.rawAlloc writes them
// as literals: there a module constant costs a context load and a hole check (6 bytes of
// bytecode each, against V8's inlining budget). A different layout or key does not compile here,
// and the twin tests (test/bump-fast-path.test.ts) would see every bump go to the core.
const START = (BUMP_START satisfies 0) >>> 2;
const CAPACITY = (BUMP_CAPACITY satisfies 4) >>> 2;
const END = (BUMP_END satisfies 8) >>> 2;
const SEAL = (BUMP_SEAL satisfies 12) >>> 2;
const SEALED = (SEAL_KEY satisfies 0x9E37_79B9) | 0;

/** The region of an allocator that has none, or has ended: never sealed, never written. */
export const NO_REGION: Uint32Array = new Uint32Array(BUMP_SIZE >>> 2);

/** The four words of the region at byte `address` of `buffer` (memory's current buffer). */
export function regionView(buffer: ArrayBufferLike, address: number): Uint32Array {
  return new Uint32Array(buffer, address, BUMP_SIZE >>> 2);
}

/**
 * Frees [ptr, ptr + len) if it is the last allocation of `region`, rolling `end` back as the
 * core's bumpFree does; false (nothing done) for anything else, which the core settles: a free
 * inside the region or an older chunk is a no-op there, anything else an error. `heapStart` is
 * the first address an allocator can hand out (dispatch.ts's isBelowHeap): below it the core
 * refuses before the region is looked at.
 */
export function bumpFree(region: Uint32Array, heapStart: number, ptr: number, len: number): boolean {
  if (len === 0 || ptr < heapStart) return false;
  const start = region[START], capacity = region[CAPACITY], end = region[END], seal = region[SEAL];
  if ((seal ^ start ^ capacity ^ end) !== SEALED || !(ptr >= start && ptr + len === ((start + end) >>> 0))) return false;
  const newEnd = end - len;
  region[END] = newEnd;
  region[SEAL] = seal ^ end ^ newEnd;
  return true;
}

/**
 * Resizes [ptr, ptr + len) to `newLen` (> 0) in place if it is the last allocation of `region`
 * and the new end fits, as the core's bumpResize does; false (nothing done) for anything else,
 * which the core settles: shrinking any other allocation succeeds there, growing it does not.
 */
export function bumpResize(region: Uint32Array, heapStart: number, ptr: number, len: number, newLen: number): boolean {
  if (len === 0 || newLen === 0 || ptr < heapStart) return false;
  const start = region[START], capacity = region[CAPACITY], end = region[END], seal = region[SEAL];
  if ((seal ^ start ^ capacity ^ end) !== SEALED || !(ptr >= start && ptr + len === ((start + end) >>> 0))) return false;
  const newEnd = end - len + newLen;
  if (newEnd > capacity) return false;
  region[END] = newEnd;
  region[SEAL] = seal ^ end ^ newEnd;
  return true;
}

/**
 * Forgets every allocation of `region`, as the core's bumpClear does: `end` becomes 0 and the seal
 * is written for the words as they are. False (nothing done) for a region whose words cannot be
 * read (detached, or NO_REGION), which the core then clears.
 */
export function bumpClear(region: Uint32Array): boolean {
  if (region === NO_REGION || region.length === 0) return false;
  region[END] = 0;
  region[SEAL] = region[START] ^ region[CAPACITY] ^ SEAL_KEY;
  return true;
}

/**
 * Fills `region`'s bytes in `buffer` (memory's current buffer) with `byte`: [start, start + end),
 * the bytes handed out, or (`wholeCapacity`) [start, start + capacity). Nothing for a region that
 * is empty, damaged or cannot be read, or that does not lie in `buffer` from `heapStart` on.
 * Writes only bytes, never the region's words.
 */
export function bumpFill(region: Uint32Array, buffer: ArrayBufferLike, heapStart: number, byte: number, wholeCapacity: boolean): void {
  const start = region[START], capacity = region[CAPACITY], end = region[END], seal = region[SEAL];
  const length = wholeCapacity ? capacity : end;
  if ((seal ^ start ^ capacity ^ end) !== SEALED || end > capacity || length === 0 || start < heapStart
    || start + length > buffer.byteLength) return;
  new Uint8Array(buffer, start, length).fill(byte);
}

// A bump replayed. Recycled views (view-cache.ts) keep, for each position of a scope, the region's
// four words before that position's allocation and `end` after it:
//
//   ┌───────┬──────────┬──────┬──────┬────────┐
//   │ start │ capacity │ end  │ seal │ newEnd │   BUMP_RECORD_WORDS words from `at`
//   └───────┴──────────┴──────┴──────┴────────┘
//
// The bump is a function of the region's words, the length and the alignment: when the words are
// those recorded again, and the allocation is the same, its address and new end are the recorded
// ones, and only `end` and the seal need writing. A record is only made of a bump that succeeded
// from intact words (recordBump), so words that match one are intact too.

/** Words of one recorded bump. */
export const BUMP_RECORD_WORDS = 5;

/** Copies `region`'s four words into `into` (zeros for a region that cannot be read). */
export function copyRegion(region: Uint32Array, into: Uint32Array): void {
  into[START] = region[START];
  into[CAPACITY] = region[CAPACITY];
  into[END] = region[END];
  into[SEAL] = region[SEAL];
}

/**
 * Writes into `records` at `at` the bump of `len` bytes aligned to `align` from the region words
 * `before` (copyRegion()), if that bump fits and gives `ptr`, as RegionAllocator.rawAlloc's bump
 * would: true if recorded, false (nothing written) otherwise, as for words that were not intact or
 * an allocation that took a new chunk.
 */
export function recordBump(records: Uint32Array, at: number, before: Uint32Array, len: number, align: number, ptr: number): boolean {
  const start = before[START], capacity = before[CAPACITY], end = before[END], seal = before[SEAL];
  const addr = (start + end) >>> 0;
  const aligned = ((addr + align - 1) & -align) >>> 0;
  const newEnd = ((aligned - start) >>> 0) + len;
  if ((seal ^ start ^ capacity ^ end) !== SEALED || newEnd > capacity || aligned < addr || aligned === 0 || aligned !== ptr) return false;
  records[at] = start;
  records[at + 1] = capacity;
  records[at + 2] = end;
  records[at + 3] = seal;
  records[at + 4] = newEnd;
  return true;
}

/**
 * Replays the bump recorded in `records` at `at` (recordBump()) if `region`'s four words are the
 * recorded ones: writes `end` and the seal as the bump would and returns true. False (nothing
 * done) otherwise, a region that cannot be read included.
 */
export function replayBump(region: Uint32Array, records: Uint32Array, at: number): boolean {
  // The layout's words as literals (start 0, capacity 1, end 2, seal 3), as in rawAlloc: a loop
  // inlines this once per allocation site, under V8's budget.
  const end = region[2], seal = region[3];
  if (end !== records[at + 2] || seal !== records[at + 3] || region[0] !== records[at] || region[1] !== records[at + 1]) return false;
  const newEnd = records[at + 4];
  region[2] = newEnd;
  region[3] = seal ^ end ^ newEnd;
  return true;
}
