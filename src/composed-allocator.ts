// ComposedAllocator: the Allocator interface of an allocator written in TypeScript over other
// allocators (a FailingAllocator over its backing, a StackFallbackAllocator over a fixed buffer and
// its fallback). A subclass answers Zig's vtable (alloc, resize, remap, free), each as a view call
// and as a raw call, since a view does not carry its alignment; this class derives the rest as
// Zig's std.mem.Allocator does. realloc is a resize in place, else an alloc, a copy and a free, all
// through the subclass, so a wrapper sees (and may fail) each step.
//
// Such an allocator lives in JavaScript. For the core to call it, as the backing allocator of an
// arena, a pool or a GPA, or by handle from users' own WebAssembly, it is given a record with
// defineAllocator() over its raw calls, made at the first need.

import { Heap, type Allocator, type AllocOptions } from "./heap";
import { toCoreAllocator, type CoreAllocator, type CoreBacked } from "./core-allocator";
import { defineAllocator } from "./define-allocator";
import { kindInfo, makeView, viewBuffer, viewByteLength, viewByteOffset, viewKind, viewLength,
  type ElementKind, type KindInfo, type View, type ViewOf } from "./kinds";
import { dupeThrough } from "./dupe";
import { byteLength, checkAlign, checkOffset, describeValue, DEFAULT_RAW_ALIGN } from "./checks";
import { DetachedViewError } from "./errors";
import { linearMemoryOf } from "../bindings/linear-memory";

export abstract class ComposedAllocator implements Allocator, CoreBacked<Heap> {
  /**
   * The core allocator over this one's raw calls, once asked for. Held weakly: it holds this
   * allocator (its callbacks do), and its record goes back to the core once nothing uses it.
   */
  private core: WeakRef<CoreAllocator<Heap>> | undefined = undefined;

  constructor(
    readonly heap: Heap,
    /** The public class this allocator belongs to, for error messages. */
    protected readonly owner: string,
  ) {}

  abstract alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K>;
  abstract free(view: View): void;
  abstract resize<V extends View>(view: V, n: number): V | null;
  abstract rawAlloc(len: number, align?: number): number;
  abstract rawResize(ptr: number, len: number, newLen: number, align?: number): boolean;
  abstract rawRemap(ptr: number, len: number, newLen: number, align?: number): number;
  abstract rawFree(ptr: number, len: number, align?: number): void;
  /** Throws AllocatorDeinitializedError if this allocator, or one it draws from, has ended. */
  abstract assertLive(): void;

  /**
   * The handle of the record through which WebAssembly calls this allocator (toCoreAllocator);
   * AllocatorDeinitializedError once this allocator, or one it draws from, has ended.
   */
  get handle(): number {
    this.assertLive();
    return this[toCoreAllocator]().handle;
  }

  /** The core allocator whose calls are this allocator's raw ones (defineAllocator()), the same while it lives. */
  [toCoreAllocator](): CoreAllocator<Heap> {
    let core = this.core?.deref();
    if (core === undefined) {
      core = defineAllocator(this.heap, {
        alloc: (len, align) => this.rawAlloc(len, align),
        resize: (ptr, len, newLen, align) => this.rawResize(ptr, len, newLen, align),
        remap: (ptr, len, newLen, align) => this.rawRemap(ptr, len, newLen, align),
        free: (ptr, len, align) => this.rawFree(ptr, len, align),
      }) as CoreAllocator<Heap>;
      this.core = new WeakRef(core);
    }
    return core;
  }

  /**
   * Zig's realloc: the same memory resized in place if it can be, else a new allocation of the
   * view's natural alignment holding min(old, n) elements, the old one freed. An empty view is no
   * block (its realloc is an allocation); n of 0 frees. Throws OutOfMemoryError, the view intact.
   */
  realloc<V extends View>(view: V, n: number): V {
    const info = viewKind(view);
    const bytes = byteLength(n, info.size);
    checkAttached(view);
    const len = viewByteLength(view);
    if (len === 0) return this.alloc(info.name, n) as V;
    if (bytes === 0) {
      this.free(view);
      return new info.ctor(0) as V;
    }
    const inPlace = this.resize(view, n);
    if (inPlace !== null) return inPlace;
    // Read before the allocation, which may grow memory and so detach `view` under "plain".
    const ptr = viewByteOffset(view);
    const moved = this.alloc(info.name, n);
    this.heap.u8.copyWithin(viewByteOffset(moved), ptr, ptr + Math.min(len, bytes));
    this.free(makeView(info.name, this.heap.u8.buffer, ptr, len / info.size));
    return moved as V;
  }

  /**
   * Zig's rawRealloc: in place through rawRemap if it can, else rawAlloc, a copy of min(len,
   * newLen) bytes and rawFree. 0 when out of memory, the old allocation intact; `len` 0 allocates,
   * `newLen` 0 frees and returns `align`.
   */
  rawRealloc(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): number {
    checkRawResize(ptr, len, newLen, align);
    if (len === 0) return this.rawAlloc(newLen, align);
    if (newLen === 0) {
      this.rawFree(ptr, len, align);
      return align;
    }
    const remapped = this.rawRemap(ptr, len, newLen, align);
    if (remapped !== 0) return remapped;
    const moved = this.rawAlloc(newLen, align);
    if (moved === 0) return 0;
    this.heap.u8.copyWithin(moved, ptr, ptr + Math.min(len, newLen));
    this.rawFree(ptr, len, align);
    return moved;
  }

  /** A new view holding a copy of `source`, through this allocator's alloc (freed again if the copy throws). */
  dupe<K extends ElementKind>(kind: K, source: ArrayLike<number | bigint>): ViewOf<K> {
    return dupeThrough(this, kind, source, () => this.assertLive());
  }

  create<K extends ElementKind>(kind: K): ViewOf<K> {
    return this.alloc(kind, 1);
  }

  /** Frees a one-element view from create(); RangeError for any other length. */
  destroy(view: View): void {
    const buffer = viewBuffer(view);
    const length = viewLength(view);
    if (length !== 1 && linearMemoryOf(buffer)?.isDetached(buffer) !== true) {
      throw new RangeError(`destroy() takes a one-element view from create(), got ${length} elements`);
    }
    this.free(view);
  }
}

/** What an alloc call asks for, checked and read once (an option may be a getter). */
export interface AllocRequest {
  readonly info: KindInfo;
  readonly bytes: number;
  /** The requested alignment, at least the element size. */
  readonly align: number;
  readonly zero: boolean;
  /** The options to pass on to another allocator: the same request, read no further. */
  readonly options: AllocOptions | undefined;
}

/** alloc()'s arguments, checked as every allocator checks them: the kind, the length, the alignment. */
export function allocRequest(kind: ElementKind, n: number, options: AllocOptions | undefined): AllocRequest {
  const info = kindInfo(kind);
  const bytes = byteLength(n, info.size);
  const requested = options?.align;
  const zero = options?.zero === true;
  const align = requested === undefined ? info.size : Math.max(checkAlign(requested), info.size);
  return { info, bytes, align, zero, options: options === undefined ? undefined : { align, zero } };
}

/** The arguments of a raw resize, remap or realloc, checked as every allocator checks them. */
export function checkRawResize(ptr: number, len: number, newLen: number, align: number): void {
  checkOffset(ptr);
  byteLength(len, 1);
  byteLength(newLen, 1, "newLen");
  checkAlign(align);
}

/** DetachedViewError for a view that growth detached (under "plain"). */
function checkAttached(view: View): void {
  const buffer = viewBuffer(view);
  if (linearMemoryOf(buffer)?.isDetached(buffer) === true) throw new DetachedViewError();
}

/**
 * Throws AllocatorDeinitializedError if `allocator` has ended: a composed allocator asks what it
 * draws from; a core allocator's handle throws once it, or its backing, was deinit()ed.
 */
export function assertLive(allocator: Allocator): void {
  if (allocator instanceof ComposedAllocator) allocator.assertLive();
  else void allocator.handle;
}

const ALLOCATOR_METHODS = ["alloc", "free", "resize", "realloc", "dupe", "create", "destroy",
  "rawAlloc", "rawResize", "rawRemap", "rawFree", "rawRealloc"] as const;

/** `value` as an Allocator; TypeError unless it has a Heap and every method of the interface. */
export function checkAllocator(value: unknown, role: string): Allocator {
  const candidate = value as Partial<Record<string, unknown>> | null;
  if (typeof value === "object" && candidate !== null && candidate.heap instanceof Heap
    && ALLOCATOR_METHODS.every((method) => typeof candidate[method] === "function")) {
    return value as Allocator;
  }
  throw new TypeError(`${role} must be an Allocator (heap.pageAllocator, an arena's or a GPA's allocator(), …), got ${describeValue(value)}`);
}
