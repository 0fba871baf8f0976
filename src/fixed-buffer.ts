// FixedBufferAllocator: bumps through one buffer that the caller owns.

import type { Allocator } from "./api";
import type { CoreAllocator } from "./core-allocator";
import type { View } from "./kinds";
import { heapOfBuffer } from "./heap";
import { coreAllocatorOf } from "./core-allocator";
import { checkOffset } from "./checks";
import { InvalidFreeError } from "./errors";

// The record of a collected FixedBufferAllocator goes back to the core. Anything it backs holds
// it, so it is never collected while in use.
const records = new FinalizationRegistry<{ allocator: CoreAllocator; handle: number }>(
  ({ allocator, handle }) => allocator.core.destroy(handle),
);

/**
 * Zig's FixedBufferAllocator: allocations bump through `buffer`, a view into a heap's memory.
 * Out of room is OutOfMemoryError (rawAlloc returns 0); free and resize touch only the last
 * allocation.
 *
 * @example
 * const buf = gpa.allocator().alloc("u8", 4096);
 * const fba = new FixedBufferAllocator(buf);
 * const xs = fba.allocator().alloc("i32", 100);
 * fba.reset();                                     // all 4096 bytes free again
 */
export class FixedBufferAllocator {
  private readonly fixed: CoreAllocator;

  constructor(buffer: View) {
    const heap = ArrayBuffer.isView(buffer) ? heapOfBuffer(buffer.buffer) : undefined;
    if (heap === undefined) throw new InvalidFreeError("the buffer must be a view into a heap's memory");
    const root = coreAllocatorOf(heap.pageAllocator, "the heap's page allocator");
    this.fixed = root.child(root.core.fixedInit(buffer.byteOffset, buffer.byteLength), "FixedBufferAllocator");
    records.register(this, { allocator: this.fixed, handle: this.fixed.liveHandle() });
  }

  allocator(): Allocator {
    return this.fixed;
  }

  /** Forgets every allocation: the whole buffer is free again. */
  reset(): void {
    this.fixed.core.fixedReset(this.fixed.liveHandle());
  }

  /** Bytes used so far, alignment padding included. */
  get endIndex(): number {
    return this.fixed.core.fixedEndIndex(this.fixed.liveHandle()) >>> 0;
  }

  /** Whether byte offset `ptr` lies inside the buffer. */
  ownsPtr(ptr: number): boolean {
    return this.fixed.core.fixedOwns(this.fixed.liveHandle(), checkOffset(ptr), 1) !== 0;
  }

  /** Whether all of `view` lies inside the buffer. */
  ownsSlice(view: View): boolean {
    if (heapOfBuffer(view.buffer) !== this.fixed.heap) return false;
    return this.fixed.core.fixedOwns(this.fixed.liveHandle(), view.byteOffset, view.byteLength) !== 0;
  }
}
