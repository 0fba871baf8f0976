// defineAllocator: an allocator written in TypeScript that is an Allocator like any other. The
// core holds a record of its own kind for it (assembly/defined.ts) and calls the callbacks
// through imports, so it can back an arena, a pool, a GPA or a fixed buffer's owner; each
// callback's answer is checked here, before the core sees it.

import { Heap, type Allocator } from "./heap";
import { coreAllocatorOf, type CoreAllocator } from "./core-allocator";
import { describeValue } from "./checks";
import { HeapCorruptionError, InvalidFreeError } from "./errors";
import { PAGE_SIZE } from "../bindings/abi.generated";
import type { DefinedAllocator, LinearMemory } from "../bindings/linear-memory";

/**
 * Zig's Allocator.VTable, in byte offsets into the heap's memory (`heap.u8` and friends). `align`
 * is a power of two; given to resize, remap and free it is the one the allocation was made with,
 * even when the caller did not say (a view's free: views do not remember their alignment).
 */
export interface AllocatorCallbacks {
  /** `len` (1 or more) bytes aligned to `align`: their offset, or 0 when out of memory. */
  alloc(len: number, align: number): number;
  /** Resizes [ptr, ptr + len) to `newLen` (both 1 or more) in place; false if it cannot. */
  resize(ptr: number, len: number, newLen: number, align: number): boolean;
  /**
   * [ptr, ptr + len) as `newLen` bytes, moved only if that needs no copy: the offset, or 0 if it
   * cannot. Default: resize() in place, answering `ptr` or 0 (Zig's default).
   */
  remap?(ptr: number, len: number, newLen: number, align: number): number;
  /** Frees [ptr, ptr + len) (len 1 or more). */
  free(ptr: number, len: number, align: number): void;
}

const WHAT = "defineAllocator()";

/**
 * An Allocator whose every call is answered by `callbacks`: usable wherever an allocator goes,
 * as the backing allocator of an ArenaAllocator, a MemoryPool or a GeneralPurposeAllocator, as a
 * StackFallbackAllocator's fallback, and by handle in users' own WebAssembly. The core calls it
 * only on the slow path of what it backs (an arena's new chunk), so an arena's bumps never reach it.
 *
 * Each callback is read once, here, and called with `callbacks` as `this`. What it throws reaches
 * the caller unchanged (a WebAssembly.RuntimeError too: only the core's own traps are taken for
 * damaged metadata). An arena, a MemoryPool or a GeneralPurposeAllocator it backs is left whole,
 * provided the callback itself changed nothing before throwing: a throwing alloc or resize
 * changes nothing, a throwing free leaves the memory freed to the allocator above. A callback may use
 * the heap (that is what a wrapper does), but not an allocator it is backing while that allocator
 * waits on it; nor may the growth listeners that a growing call of the callback runs, before it
 * returns to the callback.
 *
 * The core checks each answer before using it: alloc's and remap's must be 0 or a whole byte
 * offset aligned to `align` whose bytes lie inside memory above the heap's metadata (TypeError
 * for anything but a whole number, RangeError otherwise), resize's a boolean (TypeError). It
 * trusts the rest: that the bytes are the callback's to give, handed to no one else.
 *
 * @example
 * const calls: string[] = [];
 * const pages = heap.pageAllocator;
 * const logging = defineAllocator(heap, {
 *   alloc(len, align) { calls.push(`alloc ${len}`); return pages.rawAlloc(len, align); },
 *   resize(ptr, len, newLen, align) { return pages.rawResize(ptr, len, newLen, align); },
 *   free(ptr, len, align) { calls.push(`free ${len}`); pages.rawFree(ptr, len, align); },
 * });
 * using arena = new ArenaAllocator(logging);   // only new chunks are logged, never a bump
 */
export function defineAllocator(heap: Heap, callbacks: AllocatorCallbacks): Allocator {
  if (!(heap instanceof Heap)) throw new TypeError(`${WHAT} takes a Heap first, got ${describeValue(heap)}`);
  const root = coreAllocatorOf(heap.pageAllocator, "the heap's page allocator");
  const bridge = checkedBridge(root.linear, root.core.firstPage() * PAGE_SIZE, readCallbacks(callbacks), callbacks);
  const id = root.linear.defineAllocator(bridge);
  let allocator: CoreAllocator<Heap>;
  try {
    allocator = root.child(root.core.definedInit(id), "allocator from defineAllocator()");
  } catch (error) {
    root.linear.definedAllocators.delete(id);
    throw error;
  }
  records.register(allocator, { core: root.core, linear: root.linear, handle: allocator.ownHandle(), id });
  return allocator;
}

/** The callbacks as functions, each read once; TypeError for anything else. */
function readCallbacks(callbacks: AllocatorCallbacks): AllocatorCallbacks {
  if (typeof callbacks !== "object" || callbacks === null) {
    throw new TypeError(`${WHAT} takes an object of callbacks { alloc, resize, remap?, free }, got ${describeValue(callbacks)}`);
  }
  const { alloc, resize, remap, free } = callbacks;
  const method = <F>(value: F | undefined, name: string): F => {
    if (typeof value !== "function") throw new TypeError(`${WHAT}'s ${name} must be a function, got ${describeValue(value)}`);
    return value;
  };
  return {
    alloc: method(alloc, "alloc"),
    resize: method(resize, "resize"),
    remap: remap === undefined ? undefined : method(remap, "remap (when given)"),
    free: method(free, "free"),
  };
}

/**
 * What the core calls for `callbacks` (user functions, called on `self`, the object they came
 * from): each answer checked against memory as it stands after the call, which may have grown it;
 * a growth the callback made past the core (memory.grow) is noticed before the core goes on.
 *
 * It keeps the alignment of each allocation it handed out: the core says 0 for "as allocated"
 * (a view's free or resize), and the callbacks get the real one. A free, resize or remap "as
 * allocated" of an offset it never handed out is an InvalidFreeError, before any callback.
 */
function checkedBridge(linear: LinearMemory, heapStart: number, callbacks: AllocatorCallbacks, self: object): DefinedAllocator {
  const { alloc, resize, remap, free } = callbacks;
  const aligns = new Map<number, number>();
  const alignOf = (ptr: number, align: number): number => {
    if (align !== 0) return align;
    const known = aligns.get(ptr);
    if (known === undefined) throw new InvalidFreeError(`byte offset ${ptr} was not allocated by this allocator from ${WHAT}`);
    return known;
  };
  const moved = (ptr: number, to: number, align: number): number => {
    if (to !== 0 && to !== ptr) {
      aligns.delete(ptr);
      aligns.set(to, align);
    }
    return to;
  };
  const offset = (name: string, value: unknown, len: number, align: number): number => {
    linear.noticeGrowth();
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xFFFF_FFFF) {
      throw new TypeError(`${WHAT}'s ${name} must return a byte offset (a whole number, 0 when out of memory), got ${describeValue(value)}`);
    }
    if (value === 0) return 0;
    const problem = value < heapStart ? `below the heap's first page (${heapStart}), in the library's metadata`
      : value + len > linear.byteLength ? `${len} bytes past the end of memory (${linear.byteLength} bytes)`
      : value % Math.max(align, 1) !== 0 ? `not aligned to ${align}` : undefined;
    if (problem !== undefined) throw new RangeError(`${WHAT}'s ${name} returned byte offset ${value}, ${problem}`);
    return value;
  };
  const checkedResize = (ptr: number, len: number, newLen: number, align: number): boolean => {
    const done: unknown = resize.call(self, ptr, len, newLen, alignOf(ptr, align));
    linear.noticeGrowth();
    if (typeof done !== "boolean") throw new TypeError(`${WHAT}'s resize must return a boolean, got ${describeValue(done)}`);
    return done;
  };
  return {
    alloc: (len, align) => {
      const ptr = offset("alloc", alloc.call(self, len, align), len, align);
      if (ptr !== 0) aligns.set(ptr, align);
      return ptr;
    },
    resize: checkedResize,
    remap: remap === undefined
      // Zig's default remap: in place or not at all.
      ? (ptr, len, newLen, align) => (checkedResize(ptr, len, newLen, align) ? ptr : 0)
      : (ptr, len, newLen, align) => {
        const known = alignOf(ptr, align);
        return moved(ptr, offset("remap", remap.call(self, ptr, len, newLen, known), newLen, known), known);
      },
    free: (ptr, len, align) => {
      free.call(self, ptr, len, alignOf(ptr, align));
      aligns.delete(ptr);
      linear.noticeGrowth();
    },
  };
}

// The record and the callbacks go once the Allocator is collected: whatever it backs holds it
// (CoreAllocator.backing), so nothing alive can still reach the record. The held value must not
// reference the Allocator.
const records = new FinalizationRegistry<{ core: CoreAllocator["core"]; linear: LinearMemory; handle: number; id: number }>(
  ({ core, linear, handle, id }) => {
    linear.definedAllocators.delete(id);
    try {
      core.destroy(handle);
    } catch (error) {
      if (!(error instanceof HeapCorruptionError)) throw error;
    }
  },
);
