// The Allocator interface: Zig's std.mem.Allocator for typed-array views and raw byte offsets.

import type { Heap } from "./heap";
import type { ElementKind, View, ViewOf } from "./kinds";

export interface AllocOptions {
  /** A power of two up to 65536; the element size is the default and the minimum. */
  align?: number;
  /** Zero the new memory (it is not zeroed otherwise, as in Zig). */
  zero?: boolean;
}

/**
 * What every allocator hands out. Views are made on the heap's memory; raw offsets index
 * `heap.u8` and friends. Byte offset 0 is never an allocation.
 *
 * @example
 * const a = heap.pageAllocator;
 * const xs = a.alloc("f64", 1000);        // Float64Array over linear memory
 * const grown = a.realloc(xs, 2000);      // may move; keeps the first 1000 elements
 * a.free(grown);
 */
export interface Allocator {
  readonly heap: Heap;
  /** `n` elements of `kind`; throws OutOfMemoryError. `n` of 0 gives an empty view and touches nothing. */
  alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K>;
  /** Frees a view this allocator made. An empty view is a no-op. */
  free(view: View): void;
  /** The same memory with a new length, in place; null if it cannot be done in place. */
  resize<V extends View>(view: V, n: number): V | null;
  /** A view of `n` elements holding min(old, n) of the old ones; may move. Throws OutOfMemoryError. */
  realloc<V extends View>(view: V, n: number): V;
  /** A new view holding a copy of `source`. */
  dupe<K extends ElementKind>(kind: K, source: ArrayLike<number | bigint>): ViewOf<K>;
  /** A view of one element. */
  create<K extends ElementKind>(kind: K): ViewOf<K>;
  /** Frees a view made by create(). */
  destroy(view: View): void;

  /** `len` bytes aligned to `align` (default 8); the byte offset, or 0 when out of memory. */
  rawAlloc(len: number, align?: number): number;
  /** Resizes in place; false if it cannot. */
  rawResize(ptr: number, len: number, newLen: number, align?: number): boolean;
  /** Resizes, moving only if that needs no copy; the new offset, or 0 if it cannot. */
  rawRemap(ptr: number, len: number, newLen: number, align?: number): number;
  /** Frees `len` bytes at `ptr`, allocated with `align`. */
  rawFree(ptr: number, len: number, align?: number): void;
  /** The allocator's record in the heap, for users' own WebAssembly; throws after deinit(). */
  readonly handle: number;
}
