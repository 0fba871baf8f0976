// The one implementation of the Allocator interface (heap.ts): a handle to an allocator record in
// the core. Arena, GPA, fixed-buffer and page allocators differ only in the handle; every decision
// about bytes is made in WebAssembly, one call per operation. It names no Heap: `H` is whatever
// owns the memory, so that heap.ts can make the page allocator without an import circle.

import { kindInfo, makeView, type ElementKind, type KindInfo, type View, type ViewOf } from "./kinds";
import { byteLength, checkAlign, checkOffset, DEFAULT_RAW_ALIGN } from "./checks";
import { AllocatorDeinitializedError, DetachedViewError, DoubleFreeError, HeapCorruptionError,
  InvalidFreeError, OutOfMemoryError } from "./errors";
import { Status } from "../bindings/abi.generated";
import { linearMemoryOf, type LinearMemory, type ViewConstructor } from "../bindings/linear-memory";
import type { CoreExports } from "../bindings/exports";

export interface AllocOptions {
  /** A power of two up to 65536; the element size is the default and the minimum. */
  align?: number;
  /** Zero the new memory (it is not zeroed otherwise, as in Zig). */
  zero?: boolean;
}

/** "As allocated": views do not remember their alignment, so free and resize do not check it. */
const ANY_ALIGN = 0;

export class CoreAllocator<H extends object = object> {
  private record: number;

  constructor(
    readonly heap: H,
    readonly core: CoreExports,
    readonly linear: LinearMemory,
    handle: number,
    /** The owning class, for error messages. */
    private readonly owner: string,
    /**
     * The allocator this one was made from. The core calls it by handle only, so holding it here
     * is what keeps a backing whose record is given back when collected (a FixedBufferAllocator's)
     * alive for as long as anything it backs.
     */
    readonly backing?: CoreAllocator<H>,
  ) {
    this.record = handle;
  }

  /** The record's address in the core, for users' own WebAssembly; throws after deinit(). */
  get handle(): number {
    return this.liveHandle();
  }

  /** The record handle; throws AllocatorDeinitializedError after retire(). */
  liveHandle(): number {
    if (this.record === 0) throw new AllocatorDeinitializedError(this.owner);
    return this.record;
  }

  /** An allocator on the same heap for another record, such as one this allocator backs. */
  child(handle: number, owner: string): CoreAllocator<H> {
    if (handle === 0) throw new OutOfMemoryError(0, ` for the ${owner}'s state`);
    return new CoreAllocator(this.heap, this.core, this.linear, handle, owner, this);
  }

  /** Ends this handle: every later call throws AllocatorDeinitializedError. */
  retire(): void {
    this.record = 0;
  }

  alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K> {
    // The common call, alloc("f64", n), stays small enough for the engine to inline into the
    // caller; everything else takes allocWith().
    const info = kindInfo(kind);
    const bytes = byteLength(n, info.size);
    if (options !== undefined || bytes === 0) return this.allocWith(info, n, bytes, options) as ViewOf<K>;
    const ptr = this.core.alloc(this.liveHandle(), bytes, info.size) >>> 0;
    if (ptr === 0) throw this.outOfMemory(bytes);
    return makeView(info.name, this.linear.buffer, ptr, n) as ViewOf<K>;
  }

  private allocWith(info: KindInfo, n: number, bytes: number, options: AllocOptions | undefined): View {
    const handle = this.liveHandle();
    // The alignment is checked before the empty case: a bad argument is an error whatever the length.
    const align = options?.align === undefined ? info.size : Math.max(checkAlign(options.align), info.size);
    if (bytes === 0) return new info.ctor(0) as View;
    const ptr = this.core.alloc(handle, bytes, align) >>> 0;
    if (ptr === 0) throw this.outOfMemory(bytes);
    const view = makeView(info.name, this.linear.buffer, ptr, n);
    if (options?.zero === true) view.fill(info.zero as never);
    return view;
  }

  free(view: View): void {
    const handle = this.liveHandle();
    if (view.buffer !== this.linear.buffer) this.checkForeign(view);
    const status = this.core.free(handle, view.byteOffset, view.byteLength, ANY_ALIGN);
    if (status !== Status.OK) throw this.misuse(status, view.byteOffset, view.byteLength);
  }

  resize<V extends View>(view: V, n: number): V | null {
    const handle = this.liveHandle();
    if (view.buffer !== this.linear.buffer) this.checkForeign(view);
    const bytes = byteLength(n, view.BYTES_PER_ELEMENT);
    const status = this.core.resize(handle, view.byteOffset, view.byteLength, bytes, ANY_ALIGN);
    if (status === Status.OUT_OF_MEMORY) return null;
    if (status !== Status.OK) throw this.misuse(status, view.byteOffset, view.byteLength);
    return n === view.length ? view : this.viewLike(view, view.byteOffset, n);
  }

  realloc<V extends View>(view: V, n: number): V {
    const handle = this.liveHandle();
    if (view.buffer !== this.linear.buffer) this.checkForeign(view);
    const size = view.BYTES_PER_ELEMENT;
    const bytes = byteLength(n, size);
    const ptr = this.core.realloc(handle, view.byteOffset, view.byteLength, bytes, size) >>> 0;
    if (ptr === 0) {
      const status = this.core.lastStatus();
      throw status === Status.OUT_OF_MEMORY ? this.outOfMemory(bytes) : this.misuse(status, view.byteOffset, view.byteLength);
    }
    return this.viewLike(view, ptr, n);
  }

  dupe<K extends ElementKind>(kind: K, source: ArrayLike<number | bigint>): ViewOf<K> {
    if (ArrayBuffer.isView(source) && this.linear.isDetached(source.buffer)) throw new DetachedViewError();
    if (typeof source?.length !== "number") throw new TypeError("dupe() takes an array-like source");
    const length = source.length;
    const sourceOffset = ArrayBuffer.isView(source) ? source.byteOffset : 0;
    const view = this.alloc(kind, length);
    // Under "plain" the allocation may have grown memory and so detached a source on this heap;
    // its elements are still in memory, at the same offset of the new buffer.
    let from = source;
    if (ArrayBuffer.isView(source) && this.linear.isDetached(source.buffer)) {
      from = new (source.constructor as ViewConstructor)(this.linear.buffer, sourceOffset, length) as unknown as ArrayLike<number>;
    }
    try {
      (view as unknown as { set(source: ArrayLike<number | bigint>): void }).set(from);
    } catch (error) {
      this.free(view);
      throw error;
    }
    return view;
  }

  create<K extends ElementKind>(kind: K): ViewOf<K> {
    return this.alloc(kind, 1);
  }

  destroy(view: View): void {
    if (view.length !== 1 && !this.linear.isDetached(view.buffer)) throw new RangeError(`destroy() takes a one-element view from create(), got ${view.length} elements`);
    this.free(view);
  }

  rawAlloc(len: number, align: number = DEFAULT_RAW_ALIGN): number {
    const handle = this.liveHandle();
    return this.core.alloc(handle, byteLength(len, 1), checkAlign(align)) >>> 0;
  }

  rawResize(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): boolean {
    const handle = this.liveHandle();
    const status = this.core.resize(handle, checkOffset(ptr), byteLength(len, 1), byteLength(newLen, 1), checkAlign(align));
    if (status === Status.OK) return true;
    if (status === Status.OUT_OF_MEMORY) return false;
    throw this.misuse(status, ptr, len);
  }

  rawRemap(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): number {
    const handle = this.liveHandle();
    const moved = this.core.remap(handle, checkOffset(ptr), byteLength(len, 1), byteLength(newLen, 1), checkAlign(align)) >>> 0;
    if (moved === 0) {
      const status = this.core.lastStatus();
      if (status !== Status.OK && status !== Status.OUT_OF_MEMORY) throw this.misuse(status, ptr, len);
    }
    return moved;
  }

  rawFree(ptr: number, len: number, align: number = DEFAULT_RAW_ALIGN): void {
    const handle = this.liveHandle();
    const status = this.core.free(handle, checkOffset(ptr), byteLength(len, 1), checkAlign(align));
    if (status !== Status.OK) throw this.misuse(status, ptr, len);
  }

  /** A view of `view`'s kind over `n` elements at `ptr` (an empty one of its own when n is 0). */
  private viewLike<V extends View>(view: V, ptr: number, n: number): V {
    const ctor = view.constructor as ViewConstructor;
    return (n === 0 ? new ctor(0) : new ctor(this.linear.buffer, ptr, n)) as V;
  }

  /**
   * Vets a view whose buffer is not the current one: a typed array on an older buffer of this
   * heap is fine under "shared", detached under "plain"; an empty view from anywhere frees as a
   * no-op; anything else is not this heap's.
   */
  private checkForeign(view: View): void {
    if (!ArrayBuffer.isView(view)) throw new TypeError("expected a typed array view");
    const owner = linearMemoryOf(view.buffer);
    if (owner === this.linear) {
      if (this.linear.isDetached(view.buffer)) throw new DetachedViewError();
    } else if (view.byteLength !== 0) {
      throw new InvalidFreeError("the view is not from this heap's memory");
    }
  }

  private outOfMemory(bytes: number): OutOfMemoryError {
    return new OutOfMemoryError(bytes, ` in the ${this.owner}`);
  }

  /** The error for a status the core reported about [ptr, ptr + len). */
  private misuse(status: Status, ptr: number, len: number): Error {
    const where = `byte offset ${ptr} (${len} bytes)`;
    switch (status) {
      case Status.DOUBLE_FREE: return new DoubleFreeError(`${where} was already freed`);
      case Status.LENGTH_MISMATCH:
        return new InvalidFreeError(`${where}: the length differs from the allocation's`);
      case Status.ALIGN_MISMATCH:
        return new InvalidFreeError(`${where}: the alignment differs from the allocation's`);
      case Status.CORRUPTION: return new HeapCorruptionError(this.core.lastAddress() >>> 0);
      default: return new InvalidFreeError(`${where} was not allocated by this ${this.owner}`);
    }
  }
}

/** The core allocator behind `allocator`; TypeError for an Allocator from elsewhere. */
export function coreAllocatorOf<H extends object>(allocator: { readonly heap: H }, role: string): CoreAllocator<H> {
  if (!(allocator instanceof CoreAllocator)) {
    throw new TypeError(`${role} must be an allocator of this library (heap.pageAllocator, an arena's, a GPA's, …)`);
  }
  return allocator;
}
