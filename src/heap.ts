// Heap: one WebAssembly instance of the core and its linear memory, and Allocator, the interface
// of everything that allocates from it. The two name each other (allocator.heap,
// heap.pageAllocator), so they live in one file; the implementation, CoreAllocator, knows
// neither by name.

import { CoreAllocator, type AllocOptions } from "./core-allocator";
import type { ElementKind, View, ViewOf } from "./kinds";
import { guardCore } from "./core-guard";
import { HeapCorruptionError, OutOfMemoryError } from "./errors";
import { byteLength } from "./checks";
import { instantiateCore, instantiateCoreSync, type CoreInstance, type CoreOptions } from "../bindings/instantiate";
import { supportedViewStrategies, linearMemoryOf, type GrowListener, type ViewStrategy } from "../bindings/linear-memory";
import { DEFAULT_VIEW_STRATEGY, INITIAL_BYTES, PLAIN_INITIAL_BYTES } from "./default-strategy";
import { MAX_PAGES, PAGE_SIZE, PageCounter, Status } from "../bindings/abi.generated";

export type { ViewStrategy, GrowListener, AllocOptions };

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
  /**
   * Resizes in place if it can, else moves to a new allocation aligned to `align`, copying
   * min(len, newLen) bytes, and frees the old one. The new offset, or 0 when out of memory, the
   * old allocation then intact. `len` 0 is an allocation (`ptr` is not read); `newLen` 0 frees and
   * returns `align`, the non-zero offset that rawAlloc(0) gives and that is never read.
   */
  rawRealloc(ptr: number, len: number, newLen: number, align?: number): number;
  /** The allocator's record in the heap, for users' own WebAssembly; throws after deinit(). */
  readonly handle: number;
}


export interface HeapOptions {
  /**
   * Memory to start with, rounded up to whole pages. Default 32 MiB under "plain" (growth
   * detaches views there), 1 MiB under the others; pages never touched cost no resident memory.
   */
  initialBytes?: number;
  /** Memory never grows past this; rounded up to pages. Default 2 GiB; at most 4 GiB − 64 KiB. */
  maximumBytes?: number;
  /**
   * Force a view strategy instead of the default, "plain": "shared" to share the heap with
   * workers, "resizable" or "shared" for views that must survive growth (see default-strategy.ts).
   */
  viewStrategy?: ViewStrategy;
}

export interface HeapStats {
  /** Current size of linear memory. */
  memoryBytes: number;
  maximumBytes: number;
  /** How many times memory has grown. */
  grows: number;
  viewStrategy: ViewStrategy;
  /** Bytes below the first page the page allocator hands out: statics and the page map. */
  metadataBytes: number;
  /** Bytes in pages handed out by the page allocator (to allocators and to its own users). */
  pagesInUseBytes: number;
  /** Bytes in pages given back and kept for reuse, plus memory grown but not yet handed out. */
  pagesFreeBytes: number;
  /** Calls into the page allocator, from any allocator: a measure of backing traffic. */
  pageAllocCalls: number;
  pageFreeCalls: number;
  pageResizeCalls: number;
}

let processHeap: Heap | undefined;

/**
 * One WebAssembly instance and its memory. Everything allocated from it lives in `memory`.
 *
 * @example
 * const heap = Heap.create({ initialBytes: 1 << 20, maximumBytes: 1 << 30 });
 * const xs = heap.pageAllocator.alloc("f64", 8192);
 * heap.validate();
 */
export class Heap {
  /** Allocator over whole 64 KiB pages, grown with memory.grow; the root of every other one. */
  readonly pageAllocator: Allocator;
  readonly maximumBytes: number;
  private readonly instance: CoreInstance;

  private constructor(bare: CoreInstance, maximumPages: number) {
    const instance = { core: guardCore(bare.core), linear: bare.linear };
    const handle = instance.core.init(maximumPages);
    // No listener can exist yet: this only clears the growth init() made, so that the first
    // event reports the size before its own growth.
    if (instance.linear.pendingGrowth) instance.linear.flushGrowth();
    if (handle === 0) throw new OutOfMemoryError(maximumPages * PAGE_SIZE, ": too small for the heap's metadata");
    this.instance = instance;
    this.maximumBytes = maximumPages * PAGE_SIZE;
    this.pageAllocator = new CoreAllocator(this, instance.core, instance.linear, handle, "page allocator");
    instance.linear.owner = this;
  }

  /** A new heap, synchronously: the core's bytes ship inside the package. */
  static create(options: HeapOptions = {}): Heap {
    const resolved = resolveOptions(options);
    return new Heap(instantiateCoreSync(resolved), resolved.maximumPages);
  }

  /** The asynchronous twin of create(), for platforms that limit synchronous compilation. */
  static async instantiate(options: HeapOptions = {}): Promise<Heap> {
    const resolved = resolveOptions(options);
    return new Heap(await instantiateCore(resolved), resolved.maximumPages);
  }

  get memory(): WebAssembly.Memory { return this.instance.linear.memory; }
  get viewStrategy(): ViewStrategy { return this.instance.linear.strategy; }

  // Whole-memory views, current after every growth.
  get i8(): Int8Array { return this.instance.linear.wholeView(Int8Array); }
  get u8(): Uint8Array { return this.instance.linear.wholeView(Uint8Array); }
  get u8c(): Uint8ClampedArray { return this.instance.linear.wholeView(Uint8ClampedArray); }
  get i16(): Int16Array { return this.instance.linear.wholeView(Int16Array); }
  get u16(): Uint16Array { return this.instance.linear.wholeView(Uint16Array); }
  get i32(): Int32Array { return this.instance.linear.wholeView(Int32Array); }
  get u32(): Uint32Array { return this.instance.linear.wholeView(Uint32Array); }
  get f32(): Float32Array { return this.instance.linear.wholeView(Float32Array); }
  get f64(): Float64Array { return this.instance.linear.wholeView(Float64Array); }
  get i64(): BigInt64Array { return this.instance.linear.wholeView(BigInt64Array); }
  get u64(): BigUint64Array { return this.instance.linear.wholeView(BigUint64Array); }

  /**
   * Grows memory now so that `bytes` more can be handed out without growing, keeping growth (and,
   * under "plain", detached views) off the hot path. Throws OutOfMemoryError past maximumBytes.
   */
  reserve(bytes: number): void {
    const { core, linear } = this.instance;
    const reserved = core.reserve(byteLength(bytes, 1, "bytes"));
    if (linear.pendingGrowth) linear.flushGrowth();
    if (!reserved) {
      throw new OutOfMemoryError(bytes, ` reserving past maximumBytes (${this.maximumBytes})`);
    }
  }

  /**
   * Calls `listener` after memory grows, synchronously: once the allocator call that grew it has
   * done its work, before that call returns to its caller. A listener may allocate; one that
   * throws stops neither the others nor the call, and its error is reported as uncaught.
   * Returns the function that unsubscribes it; TypeError unless `listener` is a function.
   */
  onGrow(listener: GrowListener): () => void {
    return this.instance.linear.onGrow(listener);
  }

  stats(): HeapStats {
    const { core, linear } = this.instance;
    const counters = new Uint32Array(linear.memory.buffer, core.countersAddress(), PageCounter.COUNT);
    const wildPages = linear.byteLength / PAGE_SIZE - core.topPage();
    return {
      memoryBytes: linear.byteLength,
      maximumBytes: this.maximumBytes,
      grows: linear.grows,
      viewStrategy: linear.strategy,
      metadataBytes: core.firstPage() * PAGE_SIZE,
      pagesInUseBytes: counters[PageCounter.USED_PAGES] * PAGE_SIZE,
      pagesFreeBytes: (counters[PageCounter.FREE_PAGES] + wildPages) * PAGE_SIZE,
      pageAllocCalls: counters[PageCounter.ALLOCS],
      pageFreeCalls: counters[PageCounter.FREES],
      pageResizeCalls: counters[PageCounter.RESIZES],
    };
  }

  /** Walks the page map and every live allocator's metadata; throws HeapCorruptionError. */
  validate(): void {
    const { core } = this.instance;
    if (core.validate() !== Status.OK) throw new HeapCorruptionError(core.lastAddress() >>> 0);
  }
}

/** The heap whose memory `buffer` is (in any generation), if any. */
export function heapOfBuffer(buffer: ArrayBufferLike): Heap | undefined {
  // Only Heap sets a memory's owner.
  return linearMemoryOf(buffer)?.owner as Heap | undefined;
}

/** The process-wide heap, created on first use with the default options. */
export function defaultHeap(): Heap {
  processHeap ??= Heap.create();
  return processHeap;
}

function pagesOf(bytes: number, what: string): number {
  const pages = Math.ceil(byteLength(bytes, 1, what) / PAGE_SIZE);
  if (pages > MAX_PAGES) throw new RangeError(`${what} must be at most ${MAX_PAGES * PAGE_SIZE}, got ${bytes}`);
  return pages;
}

function resolveOptions(options: HeapOptions): CoreOptions {
  const maximumPages = pagesOf(options.maximumBytes ?? 2 ** 31, "maximumBytes");
  if (maximumPages === 0) throw new RangeError(`maximumBytes must be at least ${PAGE_SIZE}, got ${options.maximumBytes}`);
  const supported = supportedViewStrategies();
  const strategy = options.viewStrategy ?? DEFAULT_VIEW_STRATEGY;
  if (!(["resizable", "shared", "plain"] as unknown[]).includes(strategy)) {
    throw new TypeError(`viewStrategy must be "resizable", "shared" or "plain", got ${String(strategy)}`);
  }
  if (!supported.includes(strategy)) {
    throw new TypeError(`viewStrategy "${strategy}" is not available here; this platform supports ${supported.join(", ")}`);
  }
  // Unless asked, at most what the maximum allows. The core's module declares one page of
  // initial memory, so a smaller memory cannot link.
  const initialBytes = options.initialBytes ?? Math.min(strategy === "plain" ? PLAIN_INITIAL_BYTES : INITIAL_BYTES, maximumPages * PAGE_SIZE);
  const initialPages = Math.max(1, pagesOf(initialBytes, "initialBytes"));
  if (initialPages > maximumPages) {
    throw new RangeError(`initialBytes (${options.initialBytes}) exceeds maximumBytes (${options.maximumBytes})`);
  }
  return { initialPages, maximumPages, strategy };
}
