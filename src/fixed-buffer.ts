// FixedBufferAllocator: bumps through one buffer that the caller owns.

import { heapOfBuffer, type Allocator, type Heap } from "./heap";
import { coreAllocatorOf, type CoreAllocator } from "./core-allocator";
import { isTypedArray, viewBuffer, viewByteLength, viewByteOffset, type View } from "./kinds";
import { checkOffset } from "./checks";
import { DetachedViewError, HeapCorruptionError } from "./errors";
import { recycleOption, type RecycleOptions } from "./view-cache";
import { FIXED_REGION } from "../bindings/abi.generated";

/** Options of `new FixedBufferAllocator(buffer, options)`. */
export type FixedBufferOptions = RecycleOptions;

// The record goes back to the core once the allocator handle is collected: the handle, not the
// FixedBufferAllocator, is what users and backed allocators hold (`new FixedBufferAllocator(b)
// .allocator()` keeps only the handle), except that the heap's page allocator holds the newest
// FixedBufferAllocator until a newer one is made (CoreAllocator.newestMade). The held value must
// not reference the handle. A collection has no caller to throw to: on a heap whose metadata is
// damaged the record stays, and the damage surfaces at the next call or validate() that reaches it.
const records = new FinalizationRegistry<{ core: CoreAllocator["core"]; handle: number }>(
  ({ core, handle }) => {
    try {
      core.destroy(handle);
    } catch (error) {
      if (!(error instanceof HeapCorruptionError)) throw error;
    }
  },
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
 *
 * After reset(), an allocation with the same kind, length and offset as the one at the same
 * position before hands out the same view object (recycled views, as an arena does);
 * `{ recycleViews: false }` turns that off.
 */
export class FixedBufferAllocator {
  private readonly fixed: CoreAllocator<Heap>;

  constructor(buffer: View, options?: FixedBufferOptions) {
    const recycle = recycleOption(options, "fixed buffer");
    const memory = isTypedArray(buffer) ? viewBuffer(buffer) : undefined;
    const heap = memory === undefined ? undefined : heapOfBuffer(memory);
    if (memory === undefined || heap === undefined) throw new TypeError("the buffer must be a typed-array view into a heap's memory");
    const root = coreAllocatorOf(heap.pageAllocator, "the heap's page allocator");
    if (root.linear.isDetached(memory)) throw new DetachedViewError();
    this.fixed = root.child(root.core.fixedInit(viewByteOffset(buffer), viewByteLength(buffer)), "FixedBufferAllocator", FIXED_REGION);
    records.register(this.fixed, { core: this.fixed.core, handle: this.fixed.liveHandle() });
    if (recycle !== false) this.fixed.recycleViews();
    root.keepNewest(this);
  }

  allocator(): Allocator {
    return this.fixed;
  }

  /**
   * Forgets every allocation: the whole buffer is free again. Views handed out before are invalid;
   * with recycled views the allocation at the same position may hand out the same object again.
   */
  reset(): void {
    const handle = this.fixed.liveHandle();
    // Zig's reset is one store: so is this one, in the region's words (bump-fast-path.ts).
    if (!this.fixed.clearRegion()) this.fixed.core.fixedReset(handle);
    this.fixed.restartViews();
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
    const buffer = viewBuffer(view);
    if (heapOfBuffer(buffer) !== this.fixed.heap) return false;
    if (this.fixed.linear.isDetached(buffer)) throw new DetachedViewError();
    return this.fixed.core.fixedOwns(this.fixed.liveHandle(), viewByteOffset(view), viewByteLength(view)) !== 0;
  }
}
