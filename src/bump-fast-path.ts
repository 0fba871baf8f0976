// The bump fast path: an arena's or fixed buffer's bump region, read and advanced in place from
// JavaScript, so that an allocation that fits costs no call into WebAssembly. The region's layout
// and seal are the core's (assembly/bump.ts), taken from the generated ABI:
//
//   ┌───────┬──────────┬──────┬──────┐
//   │ start │ capacity │ end  │ seal │   allocations occupy [start, start + end)
//   └───────┴──────────┴──────┴──────┘   seal == start ^ capacity ^ end ^ SEAL_KEY
//
// Contract: each method either does exactly what the core's bumpAlloc, bumpFree, bumpResize or
// bumpClear would do with the same arguments, writing `end` and the seal as the core would, or
// does nothing and says so, and the caller then makes the core call. It keeps no copy of the
// region (memory is the only state), so core calls and fast-path calls mix freely on one
// allocator. Anything that is not the plain case (a zero length, an address below the heap, a seal
// that does not match, a request that does not fit) goes to the core, which decides and reports
// errors; a region whose words cannot be read (memory grew without the core announcing it) does
// too.
//
// Under "shared" every thread has its own instance; an allocator still belongs to one thread, as
// its region has no lock.

import { BUMP_CAPACITY, BUMP_END, BUMP_SEAL, BUMP_START, PAGE_SIZE, SEAL_KEY } from "../bindings/abi.generated";
import type { LinearMemory } from "../bindings/linear-memory";

const START = BUMP_START >>> 2;
const CAPACITY = BUMP_CAPACITY >>> 2;
const END = BUMP_END >>> 2;
const SEAL = BUMP_SEAL >>> 2;
/** start ^ capacity ^ end ^ seal of an intact region, as the int32 that `^` gives. */
const SEALED = SEAL_KEY | 0;

/** The bump region of every allocator on one heap's memory that has one. */
export class BumpFastPath {
  /**
   * The first address an allocator can hand out (dispatch.ts's isBelowHeap): below it the core
   * refuses a free or resize before the region is looked at.
   */
  private readonly heapStart: number;

  constructor(private readonly linear: LinearMemory, firstPage: number) {
    this.heapStart = firstPage * PAGE_SIZE;
  }

  /**
   * `n` (> 0) bytes aligned to `align` (a power of two up to 65536) from the region whose first
   * word is `at`, as the core's bumpAlloc: the address, or 0 when the core must be asked (the
   * region is full, or damaged, or the address would be 0).
   */
  alloc(at: number, n: number, align: number): number {
    const words = this.linear.words;
    const start = words[at + START];
    const capacity = words[at + CAPACITY];
    const end = words[at + END];
    const seal = words[at + SEAL];
    // The core's arithmetic is 32-bit: the address wraps, and a wrapped alignment fails.
    const addr = (start + end) >>> 0;
    const aligned = ((addr + align - 1) & -align) >>> 0;
    const newEnd = ((aligned - start) >>> 0) + n;
    if ((seal ^ start ^ capacity ^ end) !== SEALED || newEnd > capacity || aligned < addr || aligned === 0) return 0;
    words[at + END] = newEnd;
    words[at + SEAL] = seal ^ end ^ newEnd;
    return aligned;
  }

  /**
   * Forgets every allocation of the region at word `at`, as the core's bumpClear does: `end`
   * becomes 0 and the seal is written for the words as they are. False (nothing done) for a region
   * whose words cannot be read, which the core then clears.
   */
  clear(at: number): boolean {
    const words = this.linear.words;
    const start = words[at + START];
    const capacity = words[at + CAPACITY];
    if (start === undefined || capacity === undefined) return false;
    words[at + END] = 0;
    words[at + SEAL] = start ^ capacity ^ SEAL_KEY;
    return true;
  }

  /**
   * Fills the region at word `at` with `byte`: [start, start + end), the bytes handed out, or
   * (`wholeCapacity`) [start, start + capacity). Nothing for a region that is empty, damaged or
   * cannot be read. Writes only bytes, never the region's words.
   */
  fill(at: number, byte: number, wholeCapacity: boolean): void {
    const words = this.linear.words;
    const start = words[at + START];
    const capacity = words[at + CAPACITY];
    const end = words[at + END];
    const seal = words[at + SEAL];
    const length = wholeCapacity ? capacity : end;
    if ((seal ^ start ^ capacity ^ end) !== SEALED || end > capacity || length === 0 || start < this.heapStart
      || start + length > words.length * 4) return;
    new Uint8Array(this.linear.buffer, start, length).fill(byte);
  }

  /**
   * Frees [ptr, ptr + len) if it is the last allocation of the region at word `at`, rolling `end`
   * back as the core's bumpFree does; false (nothing done) for anything else, which the core
   * settles: a free inside the region or an older chunk is a no-op there, anything else an error.
   */
  free(at: number, ptr: number, len: number): boolean {
    if (len === 0 || ptr < this.heapStart) return false;
    const words = this.linear.words;
    const start = words[at + START];
    const capacity = words[at + CAPACITY];
    const end = words[at + END];
    const seal = words[at + SEAL];
    if ((seal ^ start ^ capacity ^ end) !== SEALED || !(ptr >= start && ptr + len === ((start + end) >>> 0))) return false;
    const newEnd = end - len;
    words[at + END] = newEnd;
    words[at + SEAL] = seal ^ end ^ newEnd;
    return true;
  }

  /**
   * Resizes [ptr, ptr + len) to `newLen` (> 0) in place if it is the last allocation of the region
   * at word `at` and the new end fits, as the core's bumpResize does; false (nothing done) for
   * anything else, which the core settles: shrinking any other allocation succeeds there, growing
   * it does not.
   */
  resize(at: number, ptr: number, len: number, newLen: number): boolean {
    if (len === 0 || newLen === 0 || ptr < this.heapStart) return false;
    const words = this.linear.words;
    const start = words[at + START];
    const capacity = words[at + CAPACITY];
    const end = words[at + END];
    const seal = words[at + SEAL];
    if ((seal ^ start ^ capacity ^ end) !== SEALED || !(ptr >= start && ptr + len === ((start + end) >>> 0))) return false;
    const newEnd = end - len + newLen;
    if (newEnd > capacity) return false;
    words[at + END] = newEnd;
    words[at + SEAL] = seal ^ end ^ newEnd;
    return true;
  }
}
