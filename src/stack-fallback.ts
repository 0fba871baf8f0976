// StackFallbackAllocator: Zig's std.heap.StackFallbackAllocator, a fixed buffer first and another
// allocator when it is full.
//
// Zig puts the buffer on the stack. JavaScript has no stack memory in the heap, so here the buffer
// is taken once from the fallback allocator when the StackFallbackAllocator is made, and given
// back by deinit(): it belongs to the StackFallbackAllocator, and its scope is the one to end.

import type { Allocator, AllocOptions, Heap } from "./heap";
import { ComposedAllocator, allocRequest, assertLive, checkAllocator } from "./composed-allocator";
import { FixedBufferAllocator } from "./fixed-buffer";
import { makeView, type ElementKind, type View, type ViewOf } from "./kinds";
import { byteLength, DEFAULT_RAW_ALIGN } from "./checks";
import { AllocatorDeinitializedError, OutOfMemoryError } from "./errors";

/** The alignment of the buffer: every element kind's, so the first allocation needs no padding. */
const BUFFER_ALIGN = DEFAULT_RAW_ALIGN;

/**
 * Allocates from a fixed buffer of `bytes` while it has room, then from `fallback`. free, resize
 * and realloc go to whichever owns the memory: the buffer owns the offsets it spans. As in Zig,
 * the buffer's frees and resizes act only on its last allocation, and a realloc that moves tries
 * the buffer first. deinit() gives the buffer back to `fallback`, which must outlive it; free what
 * came from `fallback` before.
 *
 * @example
 * using sf = stackFallback(256, gpa.allocator());
 * const a = sf.get();                    // or sf.allocator(): the same Allocator
 * const small = a.alloc("f64", 16);      // in the buffer
 * const big = a.alloc("f64", 1000);      // from the GPA
 * a.free(big);
 */
export class StackFallbackAllocator implements Disposable {
  private readonly stackFallback: StackFallback;

  constructor(bytes: number, fallback: Allocator) {
    checkAllocator(fallback, "the StackFallbackAllocator's fallback allocator");
    const size = byteLength(bytes, 1, "bytes");
    if (size === 0) throw new RangeError("a StackFallbackAllocator needs a buffer of at least 1 byte; with none, use the fallback allocator itself");
    const ptr = fallback.rawAlloc(size, BUFFER_ALIGN);
    if (ptr === 0) throw new OutOfMemoryError(size, " for the StackFallbackAllocator's buffer");
    let fixed: FixedBufferAllocator;
    try {
      fixed = new FixedBufferAllocator(fallback.heap.u8.subarray(ptr, ptr + size));
    } catch (error) {
      fallback.rawFree(ptr, size, BUFFER_ALIGN);
      throw error;
    }
    this.stackFallback = new StackFallback(fallback.heap, fixed, fallback, ptr, size);
  }

  /** The Allocator interface: the buffer first, then the fallback (the same object every time). */
  allocator(): Allocator {
    return this.stackFallback;
  }

  /**
   * Zig's name for allocator(), and the same object. Zig's get() also starts the buffer over,
   * because its struct may have been copied; this one is never copied, so nothing is reset.
   */
  get(): Allocator {
    return this.stackFallback;
  }

  /**
   * Gives the buffer back to the fallback allocator; every later call throws
   * AllocatorDeinitializedError. Memory the fallback handed out stays the caller's to free there.
   */
  deinit(): void {
    this.stackFallback.end();
  }

  [Symbol.dispose](): void {
    this.deinit();
  }
}

/** Zig's stackFallback(size, fallback): a StackFallbackAllocator with a buffer of `bytes`. */
export function stackFallback(bytes: number, fallback: Allocator): StackFallbackAllocator {
  return new StackFallbackAllocator(bytes, fallback);
}

/** The Allocator a StackFallbackAllocator hands out. */
class StackFallback extends ComposedAllocator {
  private readonly fixedAllocator: Allocator;
  private ended = false;

  constructor(
    heap: Heap,
    private readonly fixed: FixedBufferAllocator,
    private readonly fallback: Allocator,
    /** The buffer, [bufferPtr, bufferPtr + bufferLen), which `fallback` handed out. */
    private readonly bufferPtr: number,
    private readonly bufferLen: number,
  ) {
    super(heap, "StackFallbackAllocator");
    this.fixedAllocator = fixed.allocator();
  }

  assertLive(): void {
    if (this.ended) throw new AllocatorDeinitializedError(this.owner);
    assertLive(this.fallback);
  }

  end(): void {
    if (this.ended) throw new AllocatorDeinitializedError(this.owner);
    this.ended = true;
    this.fallback.rawFree(this.bufferPtr, this.bufferLen, BUFFER_ALIGN);
  }

  alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K> {
    const { info, bytes, align, zero, options: request } = allocRequest(kind, n, options);
    this.assertLive();
    if (bytes === 0) return new info.ctor(0) as ViewOf<K>;
    // The buffer's rawAlloc answers 0 when it is full, where its alloc would make an error.
    const ptr = this.fixedAllocator.rawAlloc(bytes, align);
    if (ptr === 0) return this.fallback.alloc(kind, n, request);
    const view = makeView(info.name, this.heap.u8.buffer, ptr, n);
    if (zero) view.fill(info.zero as never);
    return view as ViewOf<K>;
  }

  free(view: View): void {
    this.ownerOf(view).free(view);
  }

  resize<V extends View>(view: V, n: number): V | null {
    return this.ownerOf(view).resize(view, n);
  }

  rawAlloc(len: number, align: number = DEFAULT_RAW_ALIGN): number {
    this.assertLive();
    const ptr = this.fixedAllocator.rawAlloc(len, align);
    return ptr !== 0 ? ptr : this.fallback.rawAlloc(len, align);
  }

  rawResize(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): boolean {
    return this.ownerOfPtr(ptr).rawResize(ptr, len, newLen, align);
  }

  rawRemap(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): number {
    return this.ownerOfPtr(ptr).rawRemap(ptr, len, newLen, align);
  }

  rawFree(ptr: number, len: number, align: number = DEFAULT_RAW_ALIGN): void {
    this.ownerOfPtr(ptr).rawFree(ptr, len, align);
  }

  /** The allocator that owns `view`: the buffer if the view lies in it, else the fallback. */
  private ownerOf(view: View): Allocator {
    this.assertLive();
    return this.fixed.ownsSlice(view) ? this.fixedAllocator : this.fallback;
  }

  /** The allocator that owns byte offset `ptr`: the buffer if it lies in it (Zig's ownsPtr), else the fallback. */
  private ownerOfPtr(ptr: number): Allocator {
    this.assertLive();
    return this.fixed.ownsPtr(ptr) ? this.fixedAllocator : this.fallback;
  }
}
