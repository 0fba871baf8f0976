// GeneralPurposeAllocator (DebugAllocator): the backing allocator for memory that outlives an
// arena. Size classes, slabs and safety checks live in the core (assembly/gpa.ts); this class is
// a handle with Zig's API, plus the leak report and, on request, allocation stack traces.

import { defaultHeap, type Allocator, type Heap } from "./heap";
import { coreAllocatorOf, type CoreAllocator } from "./core-allocator";
import { describeValue } from "./checks";
import { readLeaks, formatLeak, type LeakReport } from "./gpa-leaks";
import { recordStacks, forgetStacks, type AllocationStacks } from "./gpa-stacks";
import { warnOnDetachingGrowth } from "./detach-warning";
import { GpaClassStat, GpaFlag, GpaStat, GPA_NO_LIMIT, PAGE_SIZE } from "../bindings/abi.generated";

export type { LeakReport };

export interface GeneralPurposeAllocatorOptions {
  /**
   * Detect double frees, invalid frees and frees with the wrong length or alignment (each throws
   * and changes nothing), fill new and freed memory with 0xAA, and record every allocation's
   * length and alignment for the leak report. Default true. False keeps only the fast path.
   */
  safety?: boolean;
  /**
   * Record the JavaScript stack of every allocation for the leak report and, with safety, of every
   * free, so that a DoubleFreeError carries the stacks of the allocation, the first free and the
   * second free, as Zig reports them. Default false.
   */
  stackTraces?: boolean;
  /**
   * The most bytes live allocations may request together (totalRequestedBytes); past it, alloc
   * throws OutOfMemoryError (exactly at it succeeds). Default Infinity.
   */
  memoryLimit?: number;
  /**
   * Where the GPA's pages come from: any allocator of this library. Default: the page allocator
   * of `heap`.
   */
  backing?: Allocator;
  /** The heap whose page allocator backs the GPA when `backing` is not given. Default: defaultHeap(). */
  heap?: Heap;
  /** Called for each leaked allocation instead of console.error. */
  onLeak?: (leak: LeakReport) => void;
}

/** One size class in GeneralPurposeAllocator.stats(). */
export interface SizeClassStats {
  /** Bytes per slot: the most a request of this class may ask for. */
  size: number;
  /** Slabs (64 KiB pages each) the class holds. */
  slabs: number;
  /** Slots in use. */
  liveSlots: number;
}

export interface GeneralPurposeAllocatorStats {
  /** Bytes requested by live allocations (totalRequestedBytes). */
  requestedBytes: number;
  liveAllocations: number;
  /** Bytes taken from the backing allocator: slabs, large allocations and the GPA's directory. */
  heldBytes: number;
  /** Slabs in use by the size classes, and the empty one kept as a spare (0 or 1). */
  slabPages: number;
  sparePages: number;
  /** Allocations too long (over 28 KiB) or too aligned for a size class, and their bytes. */
  largeAllocations: number;
  largeBytes: number;
  /** Bytes of the directory of slabs and large allocations. */
  directoryBytes: number;
  sizeClasses: SizeClassStats[];
}


/**
 * Zig's GeneralPurposeAllocator: O(1) alloc and free from size classes for small requests, runs of
 * pages for large ones, and (with `safety`, the default) the checks that make misuse throw and
 * leaks visible. Put arenas on top of it; keep in it what outlives them.
 *
 * @example
 * const gpa = new GeneralPurposeAllocator();        // safety on: misuse throws, leaks are reported
 * try {
 *   const allocator = gpa.allocator();
 *   const result = withArena(allocator, (scratch) => {
 *     const temp = scratch.alloc("f64", 1000);      // freed with the arena
 *     const out = allocator.alloc("f64", 10);       // outlives the arena
 *     out.set(temp.subarray(0, 10));
 *     return out;
 *   });
 *   allocator.free(result);
 * } finally {
 *   if (gpa.deinit() === "leak") throw new Error("memory leak");
 * }
 */
export class GeneralPurposeAllocator implements Disposable {
  private readonly gpa: CoreAllocator<Heap>;
  private readonly stacks: AllocationStacks | undefined;
  private readonly onLeak: ((leak: LeakReport) => void) | undefined;
  private readonly stopWatchingGrowth: () => void;
  private limit: number;

  constructor(options: GeneralPurposeAllocatorOptions = {}) {
    // Every option is read once and checked before the backing's handle is taken: a getter runs
    // user code, which could deinit() the backing between a check and the core call.
    const { backing: backingOption, heap, memoryLimit, onLeak, safety, stackTraces } = options;
    const backing = backingOption ?? (heap ?? defaultHeap()).pageAllocator;
    if (heap !== undefined && backing.heap !== heap) {
      throw new TypeError("the GPA's backing allocator is on another heap than the `heap` option");
    }
    const parent = coreAllocatorOf(backing, "the GPA's backing allocator");
    this.limit = checkLimit(memoryLimit ?? Infinity);
    if (onLeak !== undefined && typeof onLeak !== "function") {
      throw new TypeError(`onLeak must be a function, got ${describeValue(onLeak)}`);
    }
    this.onLeak = onLeak;
    const flags = (safety === false ? 0 : GpaFlag.SAFETY) | (stackTraces === true ? GpaFlag.TRACE : 0);
    this.gpa = parent.child(parent.core.gpaInit(parent.liveHandle(), flags, coreLimit(this.limit)), "GeneralPurposeAllocator");
    this.stacks = stackTraces === true ? recordStacks(this.gpa, safety !== false) : undefined;
    const gpa = this.gpa;
    this.stopWatchingGrowth = safety === false ? () => {}
      : warnOnDetachingGrowth(backing.heap, () => gpa.core.gpaLiveCount(gpa.liveHandle()) >>> 0);
  }

  /** The Allocator interface of this GPA (the same object every time). */
  allocator(): Allocator {
    return this.gpa;
  }

  /**
   * Ends the GPA. Returns "leak" if allocations are still live, after reporting each (to onLeak,
   * else console.error); their memory stays with the backing allocator, as in Zig. Every later
   * call on the GPA or its allocator throws AllocatorDeinitializedError. The GPA is ended
   * whatever happens: if onLeak throws, the first error surfaces once it is.
   */
  deinit(): "ok" | "leak" {
    const handle = this.gpa.ownHandle();
    let outcome: { leaked: number; error?: { thrown: unknown } };
    try {
      outcome = this.report();
    } finally {
      this.stopWatchingGrowth();
      if (this.stacks !== undefined) forgetStacks(this.gpa);
      this.gpa.core.destroy(handle);
      this.gpa.retire();
    }
    const { leaked, error } = outcome;
    if (error !== undefined) throw error.thrown;
    return leaked === 0 ? "ok" : "leak";
  }

  /**
   * Reports each live allocation as deinit() does and returns how many there are. If onLeak
   * throws, the rest are still reported, then the first error is thrown.
   */
  detectLeaks(): number {
    const { leaked, error } = this.report();
    if (error !== undefined) throw error.thrown;
    return leaked;
  }

  /** Reports every leak, catching what onLeak throws so that one bad report stops nothing. */
  private report(): { leaked: number; error?: { thrown: unknown } } {
    const leaks = this.leaks();
    let error: { thrown: unknown } | undefined;
    for (const leak of leaks) {
      try {
        if (this.onLeak !== undefined) this.onLeak(leak);
        else console.error(formatLeak(leak));
      } catch (thrown) {
        error ??= { thrown };
      }
    }
    return { leaked: leaks.length, error };
  }

  /** The live allocations, by address, with the stack that made each when `stackTraces` is on. */
  leaks(): LeakReport[] {
    return readLeaks(this.gpa, this.stacks);
  }

  /** Bytes requested by the live allocations (Zig's total_requested_bytes). */
  get totalRequestedBytes(): number {
    return this.gpa.core.gpaRequested(this.gpa.liveHandle()) >>> 0;
  }

  /** The cap on totalRequestedBytes; lowering it below the current total fails only later allocations. */
  get memoryLimit(): number {
    return this.limit;
  }

  set memoryLimit(bytes: number) {
    const limit = checkLimit(bytes);
    this.gpa.core.gpaSetLimit(this.gpa.liveHandle(), coreLimit(limit));
    this.limit = limit;
  }

  /** Live and held bytes, and the pages of each size class. Walks every slab: not for hot paths. */
  stats(): GeneralPurposeAllocatorStats {
    const base = (this.gpa.core.gpaStats(this.gpa.liveHandle()) >>> 0) / 4;
    const words = this.gpa.heap.u32;
    const at = (word: number) => words[base + word];
    const sizeClasses: SizeClassStats[] = [];
    for (let c = 0; c < at(GpaStat.CLASS_COUNT); c++) {
      const row = GpaStat.COUNT + c * GpaClassStat.COUNT;
      sizeClasses.push({ size: at(row + GpaClassStat.SIZE), slabs: at(row + GpaClassStat.SLABS), liveSlots: at(row + GpaClassStat.LIVE) });
    }
    const slabPages = at(GpaStat.SLABS);
    const sparePages = at(GpaStat.SPARE);
    const largeBytes = at(GpaStat.LARGE_BYTES);
    const directoryBytes = at(GpaStat.DIRECTORY_BYTES);
    return {
      requestedBytes: at(GpaStat.REQUESTED),
      liveAllocations: at(GpaStat.LIVE),
      heldBytes: (slabPages + sparePages) * PAGE_SIZE + largeBytes + directoryBytes,
      slabPages,
      sparePages,
      largeAllocations: at(GpaStat.LARGE_COUNT),
      largeBytes,
      directoryBytes,
      sizeClasses,
    };
  }

  /** Calls deinit(), for `using`; leaks are reported as deinit() reports them. */
  [Symbol.dispose](): void {
    this.deinit();
  }
}

/** Zig 0.14's name for the same allocator. */
export const DebugAllocator = GeneralPurposeAllocator;
export type DebugAllocator = GeneralPurposeAllocator;

function checkLimit(bytes: number): number {
  if (typeof bytes !== "number") throw new RangeError(`memoryLimit must be a number of bytes or Infinity, got ${describeValue(bytes)}`);
  if (!(bytes === Infinity || (Number.isInteger(bytes) && bytes >= 0))) {
    throw new RangeError(`memoryLimit must be a whole number of bytes or Infinity, got ${bytes}`);
  }
  return bytes;
}

const coreLimit = (bytes: number): number => Math.min(bytes, GPA_NO_LIMIT);
