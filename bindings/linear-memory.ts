// The heap's linear memory as JavaScript sees it: which buffer views are made from, and how that
// buffer follows memory.grow under each view strategy.
//
//   "resizable"  memory.toResizableBuffer(): one buffer for life; views never go stale.
//   "shared"     a shared memory: growth makes a new, longer SharedArrayBuffer, but views on the
//                old ones keep working because shared memory cannot detach.
//   "plain"      growth detaches the buffer and every view on it, as on plain WebAssembly.
//
// The core calls grew() after every memory.grow, so nothing on the hot path checks for growth
// beyond one flag: grew() runs inside WebAssembly, halfway through an allocator operation, so it
// only refreshes the buffer and sets `pendingGrowth`; the public method that made the core call
// runs the listeners (flushGrowth()) once the operation is done, before returning to its caller.

import { PAGE_SIZE } from "./abi.generated";

export type ViewStrategy = "resizable" | "shared" | "plain";

/** A listener for heap growth; sizes are bytes. */
export type GrowListener = (event: { previousBytes: number; memoryBytes: number }) => void;

export type TypedArrayConstructor =
  | Int8ArrayConstructor | Uint8ArrayConstructor | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor
  | Float32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

/** What the library constructs views with: any typed array constructor, seen structurally. */
export interface ViewConstructor {
  new (length: number): ArrayBufferView & { length: number };
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayBufferView & { length: number };
  readonly BYTES_PER_ELEMENT: number;
}

type ResizableMemory = WebAssembly.Memory & { toResizableBuffer(): ArrayBuffer };


/** The view strategies this platform supports, best first. */
export function supportedViewStrategies(): ViewStrategy[] {
  const strategies: ViewStrategy[] = [];
  if (typeof (WebAssembly.Memory.prototype as Partial<ResizableMemory>).toResizableBuffer === "function") {
    strategies.push("resizable");
  }
  // Browsers hand out SharedArrayBuffer only to cross-origin isolated pages; Node always does.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof SharedArrayBuffer === "function" && isolated !== false) strategies.push("shared");
  strategies.push("plain");
  return strategies;
}

/**
 * An allocator written in TypeScript, as the core calls it (assembly/defined.ts): its answers
 * must already be checked (an address: 0, or aligned and inside memory above the metadata).
 * Each method may throw; the exception unwinds through the core to whoever called it.
 */
export interface DefinedAllocator {
  alloc(len: number, align: number): number;
  resize(ptr: number, len: number, newLen: number, align: number): boolean;
  remap(ptr: number, len: number, newLen: number, align: number): number;
  free(ptr: number, len: number, align: number): void;
}

/** Receives the core's report of each allocation (len > 0) and free (len 0) of one traced allocator. */
export type TraceSink = (ptr: number, len: number) => void;

/**
 * Reports an error thrown by a growth listener without interrupting anything: reportError where
 * the platform has it (browsers, Deno), else an uncaught exception on a later microtask (Node's
 * 'uncaughtException'), as an event listener's error is reported.
 */
function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === "function") report(error);
  else queueMicrotask(() => { throw error; });
}

/** Every buffer each heap's memory has had, so a view can be traced to its memory. */
const owners = new WeakMap<ArrayBufferLike, LinearMemory>();

/** The heap memory `buffer` belongs to, in any of its generations. */
export function linearMemoryOf(buffer: ArrayBufferLike): LinearMemory | undefined {
  return owners.get(buffer);
}

/** One heap's memory and everything kept per memory: its buffers, growth listeners, tracing. */
export class LinearMemory {
  /** The buffer new views are made on; it spans all of memory. */
  buffer: ArrayBufferLike;
  grows = 0;
  /** The object the library hands users for this memory (its Heap), set once by its creator. */
  owner: unknown;
  /** Where the core's allocation reports go, by the handle of the allocator traced. */
  readonly tracers = new Map<number, TraceSink>();
  /** The allocators written in TypeScript, by the id their record holds (never 0). */
  readonly definedAllocators = new Map<number, DefinedAllocator>();
  private lastDefinedId = 0;
  private readonly listeners = new Set<GrowListener>();
  private readonly wholeViews = new Map<ViewConstructor, ArrayBufferView>();

  /** Memory's size as of the last growth this object heard of, from the core or noticeGrowth(). */
  private knownBytes: number;

  constructor(readonly memory: WebAssembly.Memory, readonly strategy: ViewStrategy) {
    this.buffer = strategy === "resizable" ? (memory as ResizableMemory).toResizableBuffer() : memory.buffer;
    this.knownBytes = memory.buffer.byteLength;
    owners.set(this.buffer, this);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Set by grew(), cleared by flushGrowth(): listeners are owed an event. Every public method
   * whose core call may grow memory checks it after the call, before it makes a view or returns.
   */
  pendingGrowth = false;
  /** Memory's size before the first growth not yet announced. */
  private bytesBeforeGrowth = 0;

  /**
   * Called by the core right after memory.grow, inside the operation that grew it: it must not
   * throw and must not run user code, which could re-enter the allocator halfway through.
   */
  grew(oldPages: number, newPages: number): void {
    this.grows++;
    this.knownBytes = newPages * PAGE_SIZE;
    if (this.strategy !== "resizable") {
      this.buffer = this.memory.buffer;
      owners.set(this.buffer, this);
      this.wholeViews.clear();
    }
    if (!this.pendingGrowth) {
      this.bytesBeforeGrowth = oldPages * PAGE_SIZE;
      this.pendingGrowth = true;
    }
  }

  /**
   * Notices a growth the core did not announce: heap.memory.grow() from JavaScript, or a user's
   * module growing the memory it imports. Called on the slow paths that a stale buffer leads to
   * (a view that cannot be made, a buffer that is not the current one); true if memory grew.
   */
  noticeGrowth(): boolean {
    const bytes = this.memory.buffer.byteLength;
    if (bytes === this.knownBytes) return false;
    this.grew(this.knownBytes / PAGE_SIZE, bytes / PAGE_SIZE);
    return true;
  }

  /**
   * Runs every listener for the growth since the last flush, synchronously. A listener may
   * allocate (its own call flushes its own growth); one that throws stops neither the others nor
   * the caller: its error is reported as the platform reports an event listener's.
   */
  flushGrowth(): void {
    this.pendingGrowth = false;
    if (this.listeners.size === 0) return;
    const event = { previousBytes: this.bytesBeforeGrowth, memoryBytes: this.byteLength };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }

  onGrow(listener: GrowListener): () => void {
    if (typeof listener !== "function") throw new TypeError(`onGrow takes a function, got ${typeof listener}`);
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Keeps `allocator` for the core to call; returns the id its record is to hold. */
  defineAllocator(allocator: DefinedAllocator): number {
    const id = ++this.lastDefinedId;
    this.definedAllocators.set(id, allocator);
    return id;
  }

  /** The allocator the core calls by `id`; one it forgot is a bug of the library. */
  definedAllocator(id: number): DefinedAllocator {
    const allocator = this.definedAllocators.get(id);
    if (allocator === undefined) throw new Error(`wasm-arena: the core called allocator ${id}, which TypeScript does not hold`);
    return allocator;
  }

  /** Whether `buffer` was this memory's before a growth detached it (only under "plain"). */
  isDetached(buffer: ArrayBufferLike): boolean {
    return owners.get(buffer) === this && buffer.byteLength === 0;
  }

  /** A view of `ctor` over all of memory, current until the next growth. */
  wholeView<V extends ArrayBufferView>(ctor: ViewConstructor): V {
    let view = this.wholeViews.get(ctor);
    // A whole view detached by a growth nobody announced (see noticeGrowth) is empty.
    if (view === undefined || (view.byteLength === 0 && this.noticeGrowth())) {
      view = new ctor(this.buffer);
      this.wholeViews.set(ctor, view);
    }
    return view as V;
  }
}
