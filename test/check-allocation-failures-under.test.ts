// checkAllocationFailures with its FailingAllocator below each allocator kind, as that kind's
// backing allocator: every chunk, slab, table and buffer the kind takes fails in turn. Each
// failure must surface as OutOfMemoryError through the kind's own calls, the kind must give back
// all it took (the counts balance), heap.validate() stays clean, and the backing stays usable.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, checkAllocationFailures, FailingAllocator, FixedBufferAllocator, GeneralPurposeAllocator, Heap, MemoryPool,
  OutOfMemoryError, stackFallback, type Allocator,
} from "../src/index";
import { smallHeap } from "./support/heaps";
import { scripted } from "./support/scripted-allocator";
import { QUARANTINE_SLOTS } from "../bindings/abi.generated";

/** Work on an allocator: views and raw blocks, grown and freed on every way out; rawAlloc's 0 becomes OutOfMemoryError. */
function work(a: Allocator): void {
  const xs = a.alloc("f64", 100);
  try {
    const ys = a.dupe("i32", [1, 2, 3]);
    try {
      let big = a.alloc("u8", 1000);
      try {
        big = a.realloc(big, 30_000);
        const ptr = a.rawAlloc(5000, 64);
        if (ptr === 0) throw new OutOfMemoryError(5000);
        a.rawFree(ptr, 5000, 64);
      } finally {
        a.free(big);
      }
    } finally {
      a.free(ys);
    }
  } finally {
    a.free(xs);
  }
}

/** Kinds that take a backing allocator: each made over `backing`, run, and ended on every way out. */
const KINDS: [string, (backing: Allocator) => void][] = [
  ["an arena", (backing) => {
    using arena = new ArenaAllocator(backing);
    for (let i = 0; i < 20; i++) arena.allocator().alloc("u8", 3000);
    for (const mode of ["retain_capacity", { retain_with_limit: 5000 }, "free_all"] as const) {
      arena.reset(mode);
      arena.allocator().alloc("u8", 20_000);
    }
    const checkpoint = arena.checkpoint();
    arena.allocator().alloc("u8", 100_000);
    arena.restore(checkpoint);
  }],
  ["an arena over an arena", (backing) => {
    using outer = new ArenaAllocator(backing);
    using inner = new ArenaAllocator(outer.allocator());
    for (let i = 0; i < 50; i++) inner.allocator().alloc("f32", 500);
  }],
  ["a MemoryPool", (backing) => {
    using pool = new MemoryPool(backing, "f64", 64);
    pool.preheat(10);
    const items = Array.from({ length: 200 }, () => pool.create());
    items.slice(0, 100).forEach((item) => pool.destroy(item));
    pool.reset("retain_capacity");
    for (let i = 0; i < 300; i++) pool.create();
  }],
  ["a GPA without safety", (backing) => {
    const gpa = new GeneralPurposeAllocator({ backing, safety: false });
    try {
      work(gpa.allocator());
    } finally {
      expect(gpa.deinit()).toBe("ok");
    }
  }],
  ["a stack fallback", (backing) => {
    using sf = stackFallback(512, backing);
    work(sf.get());
  }],
  ["an arena over a stack fallback", (backing) => {
    using sf = stackFallback(512, backing);
    using arena = new ArenaAllocator(sf.get());
    work(arena.allocator());
  }],
  ["a fixed buffer in the backing's memory", (backing) => {
    const buffer = backing.alloc("u8", 64 * 1024);
    try {
      work(new FixedBufferAllocator(buffer).allocator());
    } finally {
      backing.free(buffer);
    }
  }],
];

/** What the FailingAllocator wraps: the page allocator or a GPA, each directly. */
const BACKINGS: [string, (heap: Heap) => { backing: Allocator; end(): void }][] = [
  ["the page allocator", (heap) => ({ backing: heap.pageAllocator, end: () => {} })],
  ["a GPA", (heap) => {
    const gpa = new GeneralPurposeAllocator({ heap });
    return { backing: gpa.allocator(), end: () => expect(gpa.deinit()).toBe("ok") };
  }],
];

describe.each(BACKINGS)("checkAllocationFailures over %s", (_backingName, makeBacking) => {
  it.each(KINDS)("under %s: every backing allocation fails in turn as OutOfMemoryError, and all is given back", (_name, run) => {
    const heap = smallHeap();
    const { backing, end } = makeBacking(heap);
    let runs = 0;
    checkAllocationFailures(backing, (failing) => {
      runs++;
      run(failing);
      heap.validate();
    });
    expect(runs).toBeGreaterThan(1);                 // at least one allocation was failed
    heap.validate();
    run(backing);                                    // the backing is still usable
    end();
    heap.validate();
  });
});

describe("a GPA with safety over a FailingAllocator", () => {
  it("surfaces every failed backing allocation as OutOfMemoryError but its quarantine ring's, which it does without", () => {
    // The ring (QUARANTINE_SLOTS slot addresses) only delays reuse; without it a freed slot is
    // reused at once. So checkAllocationFailures would call that run SWALLOWED_OUT_OF_MEMORY:
    // each run is checked by hand instead, with a recorder between the GPA and the failing allocator.
    const heap = smallHeap();
    const ringBytes = QUARANTINE_SLOTS * 4;
    let failIndex = 0;
    for (let done = false; !done; failIndex++) {
      const failing = new FailingAllocator(heap.pageAllocator, { failIndex });
      const recorder = scripted(heap, failing.allocator());
      const gpa = new GeneralPurposeAllocator({ backing: recorder.a });
      let threw = false;
      try {
        work(gpa.allocator());
      } catch (error) {
        expect(error).toBeInstanceOf(OutOfMemoryError);
        threw = true;
      }
      expect(gpa.deinit()).toBe("ok");
      heap.validate();
      expect(failing.freedBytes).toBe(failing.allocatedBytes);
      if (!failing.hasInducedFailure) {
        done = true;                                     // every allocation of the work was failed once
      } else if (!threw) {
        // The recorder saw every request; the failIndex-th is the one the FailingAllocator failed.
        const requests = recorder.calls.filter((call) => call.name === "alloc");
        expect(requests[failIndex].args[0]).toBe(ringBytes);
      }
    }
    expect(failIndex).toBeGreaterThan(3);
  });
});
