// ArenaAllocator: Zig's semantics exactly — chunks, bump pointer, resize and free of the last
// allocation, reset modes, queryCapacity, deinit, `using`, and other backing allocators.

import { describe, expect, it } from "vitest";
import {
  AllocatorDeinitializedError, ArenaAllocator, FixedBufferAllocator, OutOfMemoryError, type Allocator, type Heap,
} from "../src/index";
import { MiB, PAGE, smallHeap, arenaOnPages } from "./support/heaps";

function pageCalls(heap: Heap) {
  const { pageAllocCalls, pageResizeCalls, pageFreeCalls } = heap.stats();
  return { pageAllocCalls, pageResizeCalls, pageFreeCalls };
}

describe("ArenaAllocator basics", () => {
  it("ArenaAllocator.init(backing) is the constructor; allocator() is the same object every time", () => {
    const heap = smallHeap();
    const arena = ArenaAllocator.init(heap.pageAllocator);
    expect(arena).toBeInstanceOf(ArenaAllocator);
    expect(arena.allocator()).toBe(arena.allocator());
    expect(arena.allocator().heap).toBe(heap);
  });

  it("a new arena holds no memory and asks its backing allocator for nothing until it allocates", () => {
    const heap = smallHeap();
    const calls = pageCalls(heap);
    const arena = new ArenaAllocator(heap.pageAllocator);
    expect(arena.queryCapacity()).toBe(0);
    expect(pageCalls(heap)).toEqual(calls);
    arena.allocator().alloc("u8", 1);
    expect(heap.stats().pageAllocCalls).toBe(calls.pageAllocCalls + 1);
    expect(arena.queryCapacity()).toBeGreaterThan(0);
  });

  it("successive allocations bump upward through one chunk without overlapping", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const x = a.alloc("u8", 3);
    const y = a.alloc("u32", 1);
    const z = a.alloc("f64", 2);
    expect(y.byteOffset).toBe(x.byteOffset + 4);
    expect(z.byteOffset).toBe(y.byteOffset + 4);
  });

  it("when the chunk is full the arena first grows it in place through the backing allocator", () => {
    const { heap, a } = arenaOnPages();
    const first = a.alloc("u8", 100);
    const calls = pageCalls(heap);
    const big = a.alloc("u8", 3 * PAGE);
    const after = pageCalls(heap);
    expect(after.pageResizeCalls - calls.pageResizeCalls).toBe(1);
    expect(after.pageAllocCalls).toBe(calls.pageAllocCalls);
    expect(big.byteOffset).toBeGreaterThan(first.byteOffset);
    expect(big.byteOffset - first.byteOffset).toBeLessThan(PAGE);
    heap.validate();
  });

  it("a scope of many small allocations makes O(log n) backing calls: in-place growth asks for half the chunk again", () => {
    const { heap, arena, a } = arenaOnPages();
    const calls = pageCalls(heap);
    const offsets = Array.from({ length: 70_000 }, () => a.rawAlloc(16, 8));
    const after = pageCalls(heap);
    const backingCalls = after.pageAllocCalls + after.pageResizeCalls - calls.pageAllocCalls - calls.pageResizeCalls;
    expect(backingCalls).toBeLessThanOrEqual(Math.ceil(Math.log(70_000 * 16) / Math.log(1.5)));
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(arena.queryCapacity()).toBeGreaterThanOrEqual(70_000 * 16);
    expect(arena.queryCapacity()).toBeLessThan(2 * 70_000 * 16 + PAGE);
    arena.deinit();
    heap.validate();
  });

  it("on a heap whose free pages are cut into single-page holes, a scope still makes O(log n) backing calls", () => {
    const { heap, arena, a } = arenaOnPages();
    const pages = Array.from({ length: 64 }, () => heap.pageAllocator.rawAlloc(PAGE));
    pages.forEach((page, i) => { if (i % 2 === 0) heap.pageAllocator.rawFree(page, PAGE); });
    const calls = pageCalls(heap);
    for (let i = 0; i < 70_000; i++) a.rawAlloc(16, 8);
    const after = pageCalls(heap);
    expect(after.pageAllocCalls + after.pageResizeCalls - calls.pageAllocCalls - calls.pageResizeCalls)
      .toBeLessThanOrEqual(2 * Math.ceil(Math.log(70_000 * 16) / Math.log(1.5)));
    arena.deinit();
    heap.validate();
  });

  it("where the backing allocator has less room than half the chunk, the chunk grows by what is needed", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4096));
    const arena = new ArenaAllocator(fba.allocator());
    const a = arena.allocator();
    const first = a.rawAlloc(1000);
    a.rawAlloc(1800);
    expect(arena.queryCapacity()).toBe(2800); // a 2,816-byte chunk: half again would not fit in 4 KiB
    expect(a.rawAlloc(100)).toBe(first + 2800);
    expect(arena.queryCapacity()).toBe(2900);
  });

  it("when the chunk cannot grow in place it opens a larger one (geometric growth)", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4 * MiB));
    const arena = new ArenaAllocator(fba.allocator());
    const a = arena.allocator();
    const capacities: number[] = [];
    for (let round = 0; round < 6; round++) {
      fba.allocator().alloc("u8", 1); // right after the newest chunk: it cannot grow in place
      a.alloc("u8", arena.queryCapacity() + 1);
      capacities.push(arena.queryCapacity());
    }
    for (let i = 1; i < capacities.length; i++) {
      const added = capacities[i] - capacities[i - 1];
      const previouslyAdded = i === 1 ? capacities[0] : capacities[i - 1] - capacities[i - 2];
      expect(added, `chunk ${i} at least 1.5x the previous`).toBeGreaterThanOrEqual(previouslyAdded * 1.5);
    }
    heap.validate();
  });
});

describe("ArenaAllocator free and resize", () => {
  it("free of the last allocation rolls the bump pointer back: the next allocation reuses it", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    a.alloc("u8", 8);
    const last = a.alloc("u8", 100);
    a.free(last);
    expect(a.alloc("u8", 100).byteOffset).toBe(last.byteOffset);
  });

  it("free of an allocation that is not the last is a no-op", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const first = a.alloc("u8", 100);
    first.fill(7);
    const second = a.alloc("u8", 100);
    a.free(first);
    const third = a.alloc("u8", 100);
    expect(third.byteOffset).toBe(second.byteOffset + 100);
    expect(first.every((b) => b === 7)).toBe(true);
    heap.validate();
  });

  it("resize grows the last allocation in place within the chunk", () => {
    const { heap, a } = arenaOnPages();
    const xs = a.alloc("i32", 10);
    xs.set([1, 2, 3]);
    const calls = pageCalls(heap);
    const grown = a.resize(xs, 20);
    expect(grown).not.toBeNull();
    expect(grown!.byteOffset).toBe(xs.byteOffset);
    expect(grown!.length).toBe(20);
    expect([...grown!.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(pageCalls(heap)).toEqual(calls);
    expect(a.alloc("u8", 1).byteOffset).toBe(xs.byteOffset + 80);
  });

  it("resize does not grow the last allocation past its chunk", () => {
    const { arena, a } = arenaOnPages();
    const xs = a.alloc("u8", 10);
    expect(a.resize(xs, arena.queryCapacity() + 1)).toBeNull();
    expect(a.resize(xs, arena.queryCapacity())).not.toBeNull();
  });

  it("resize does not grow an allocation that is not the last", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const xs = a.alloc("u8", 10);
    a.alloc("u8", 1);
    expect(a.resize(xs, 11)).toBeNull();
    expect(a.resize(xs, 10)).toBe(xs);
  });

  it("shrinking always succeeds, the last allocation and any other; only the last gives its tail back", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const first = a.alloc("u8", 100);
    const last = a.alloc("u8", 100);
    const firstShrunk = a.resize(first, 10);
    expect(firstShrunk?.byteOffset).toBe(first.byteOffset);
    expect(firstShrunk?.length).toBe(10);
    const lastShrunk = a.resize(last, 10);
    expect(lastShrunk?.length).toBe(10);
    expect(a.alloc("u8", 1).byteOffset).toBe(last.byteOffset + 10);
    expect(a.resize(a.alloc("u8", 5), 0)?.length).toBe(0);
  });

  it("realloc grows the last allocation in place and moves any other, keeping min(old, new) elements", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const xs = a.dupe("f64", [1, 2, 3]);
    const inPlace = a.realloc(xs, 6);
    expect(inPlace.byteOffset).toBe(xs.byteOffset);
    a.alloc("u8", 1);
    const moved = a.realloc(inPlace, 100);
    expect(moved.byteOffset).not.toBe(inPlace.byteOffset);
    expect([...moved.subarray(0, 3)]).toEqual([1, 2, 3]);
    const shrunk = a.realloc(moved, 2);
    expect([...shrunk]).toEqual([1, 2]);
    expect(shrunk.byteOffset).toBe(moved.byteOffset);
    heap.validate();
  });

  it("realloc past the chunk opens a new chunk and copies", () => {
    const { heap, a } = arenaOnPages();
    const xs = a.dupe("u8", [9, 8, 7]);
    heap.pageAllocator.rawAlloc(1); // the chunk cannot grow in place
    const big = a.realloc(xs, 2 * PAGE);
    expect([...big.subarray(0, 3)]).toEqual([9, 8, 7]);
    expect(big.length).toBe(2 * PAGE);
    heap.validate();
  });

  it("dupe, create and destroy work in the arena; destroy of the last rolls back", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const one = a.create("u64");
    one[0] = 2n ** 63n;
    a.destroy(one);
    const again = a.create("u64");
    expect(again.byteOffset).toBe(one.byteOffset);
    expect(again[0], "not zeroed, as in Zig").toBe(2n ** 63n);
  });
});

describe("ArenaAllocator.reset", () => {
  /** One round of a fixed workload: mixed kinds and alignments. */
  function round(a: Allocator): void {
    for (let i = 0; i < 50; i++) {
      a.alloc("f64", 100 + i).fill(i);
      a.alloc("u8", 7 * i + 1);
      a.alloc("i32", 33, { align: 64 });
    }
    a.alloc("u8", 3 * PAGE);
  }

  it("\"retain_capacity\": after the first round, later rounds make zero calls to the page allocator", () => {
    const { heap, arena, a } = arenaOnPages();
    round(a);
    expect(arena.reset("retain_capacity")).toBe(true);
    const calls = pageCalls(heap);
    const capacity = arena.queryCapacity();
    for (let i = 0; i < 20; i++) {
      round(a);
      expect(arena.reset("retain_capacity")).toBe(true);
    }
    expect(pageCalls(heap)).toEqual(calls);
    expect(arena.queryCapacity()).toBe(capacity);
    heap.validate();
  });

  it("\"retain_capacity\" keeps queryCapacity() bytes merged into one chunk", () => {
    const { heap, arena, a } = arenaOnPages();
    for (let i = 0; i < 5; i++) {
      const calls = heap.stats().pageAllocCalls;
      heap.pageAllocator.rawAlloc(1); // the page above the newest chunk, so that it cannot grow
      a.alloc("u8", arena.queryCapacity() + PAGE);
      expect(heap.stats().pageAllocCalls - calls, "the blocker and a new chunk").toBe(2);
    }
    const capacity = arena.queryCapacity();
    expect(arena.reset("retain_capacity")).toBe(true);
    expect(arena.queryCapacity()).toBe(capacity);
    // One chunk: a single allocation of all of it fits without asking the backing allocator.
    const calls = pageCalls(heap);
    const all = a.alloc("u8", capacity);
    expect(all.length).toBe(capacity);
    expect(pageCalls(heap)).toEqual(calls);
    heap.validate();
  });

  it("\"retain_capacity\" starts allocating from the start of the kept chunk again", () => {
    const { arena, a } = arenaOnPages();
    const first = a.alloc("u8", 10);
    a.alloc("u8", 1000);
    arena.reset("retain_capacity");
    expect(a.alloc("u8", 10).byteOffset).toBe(first.byteOffset);
  });

  it("\"free_all\" gives every chunk back: capacity 0 and the pages return to the page allocator", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const arena = new ArenaAllocator(heap.pageAllocator);
    round(arena.allocator());
    expect(heap.stats().pagesInUseBytes).toBeGreaterThan(inUse);
    expect(arena.reset("free_all")).toBe(true);
    expect(arena.queryCapacity()).toBe(0);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
    round(arena.allocator());
    heap.validate();
  });

  it("{ retain_with_limit: n } keeps at most n bytes", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    round(arena.allocator());
    const capacity = arena.queryCapacity();
    expect(arena.reset({ retain_with_limit: 1000 })).toBe(true);
    expect(arena.queryCapacity()).toBe(1000);
    expect(arena.reset({ retain_with_limit: capacity * 2 })).toBe(true);
    expect(arena.queryCapacity(), "never more than it had").toBe(1000);
    heap.validate();
  });

  it("{ retain_with_limit: n } gives back the pages beyond n", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const arena = new ArenaAllocator(heap.pageAllocator);
    round(arena.allocator());
    arena.reset({ retain_with_limit: 100 });
    expect(heap.stats().pagesInUseBytes).toBe(inUse + PAGE);
  });

  it("{ retain_with_limit: 0 } is \"free_all\"", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const arena = new ArenaAllocator(heap.pageAllocator);
    round(arena.allocator());
    expect(arena.reset({ retain_with_limit: 0 })).toBe(true);
    expect(arena.queryCapacity()).toBe(0);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });

  it("reset of an empty arena succeeds in every mode and asks nothing of the backing allocator", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const calls = pageCalls(heap);
    expect(arena.reset("free_all")).toBe(true);
    expect(arena.reset("retain_capacity")).toBe(true);
    expect(arena.reset({ retain_with_limit: 100 })).toBe(true);
    expect(pageCalls(heap)).toEqual(calls);
    expect(arena.queryCapacity()).toBe(0);
  });

  it("returns false when the backing allocator cannot make the merged chunk, and the arena stays usable", () => {
    const heap = smallHeap();
    // Room for two chunks and a blocker between them, but not for a chunk holding both.
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4096));
    const arena = new ArenaAllocator(fba.allocator());
    const a = arena.allocator();
    a.alloc("u8", 500);
    fba.allocator().alloc("u8", 1); // the first chunk is no longer the last: it cannot grow
    a.alloc("u8", 1000);
    const capacity = arena.queryCapacity();
    expect(fba.endIndex + capacity).toBeGreaterThan(4096);

    expect(arena.reset("retain_capacity")).toBe(false);
    heap.validate();
    expect(arena.queryCapacity()).toBeGreaterThan(0);
    expect(arena.queryCapacity()).toBeLessThan(capacity);
    const xs = a.alloc("u8", 100);
    expect(fba.ownsSlice(xs)).toBe(true);
    heap.validate();
  });
});

describe("ArenaAllocator.queryCapacity", () => {
  it("is at least every byte handed out, and allocations within it ask the backing allocator for nothing", () => {
    const { heap, arena, a } = arenaOnPages();
    a.alloc("u8", 1000);
    const capacity = arena.queryCapacity();
    expect(capacity).toBeGreaterThanOrEqual(1000);
    const calls = pageCalls(heap);
    a.alloc("u8", capacity - 1000);
    expect(pageCalls(heap)).toEqual(calls);
    expect(arena.queryCapacity()).toBe(capacity);
  });
});

describe("ArenaAllocator.deinit", () => {
  it("frees every chunk to the backing allocator", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const arena = new ArenaAllocator(heap.pageAllocator);
    for (let i = 0; i < 5; i++) {
      heap.pageAllocator.rawAlloc(1); // the page above the newest chunk, so that it cannot grow
      arena.allocator().alloc("u8", arena.queryCapacity() + PAGE);
    }
    expect(heap.stats().pagesInUseBytes).toBeGreaterThan(inUse + 5 * PAGE + arena.queryCapacity());
    arena.deinit();
    expect(heap.stats().pagesInUseBytes, "only the blockers remain").toBe(inUse + 5 * PAGE);
    heap.validate();
  });

  it("after deinit every method throws AllocatorDeinitializedError (code ALLOCATOR_DEINITIALIZED)", () => {
    const { heap, arena, a } = arenaOnPages();
    const view = a.alloc("f64", 4);
    const one = a.create("i32");
    const ptr = a.rawAlloc(16);
    arena.deinit();
    const calls: [string, () => unknown][] = [
      ["alloc", () => a.alloc("u8", 1)],
      ["alloc 0", () => a.alloc("u8", 0)],
      ["alloc with options", () => a.alloc("u8", 1, { align: 16, zero: true })],
      ["free", () => a.free(view)],
      ["free empty", () => a.free(new Uint8Array(0))],
      ["resize", () => a.resize(view, 2)],
      ["realloc", () => a.realloc(view, 8)],
      ["dupe", () => a.dupe("u8", [1, 2])],
      ["create", () => a.create("u8")],
      ["destroy", () => a.destroy(one)],
      ["rawAlloc", () => a.rawAlloc(8)],
      ["rawResize", () => a.rawResize(ptr, 16, 8)],
      ["rawRemap", () => a.rawRemap(ptr, 16, 8)],
      ["rawFree", () => a.rawFree(ptr, 16)],
      ["reset free_all", () => arena.reset("free_all")],
      ["reset retain_capacity", () => arena.reset("retain_capacity")],
      ["reset retain_with_limit", () => arena.reset({ retain_with_limit: 10 })],
      ["queryCapacity", () => arena.queryCapacity()],
      ["deinit", () => arena.deinit()],
      ["Symbol.dispose", () => arena[Symbol.dispose]()],
      ["new ArenaAllocator over it", () => new ArenaAllocator(a)],
    ];
    for (const [name, call] of calls) {
      let error: unknown;
      try { call(); } catch (caught) { error = caught; }
      expect(error, name).toBeInstanceOf(AllocatorDeinitializedError);
      expect((error as AllocatorDeinitializedError).code).toBe("ALLOCATOR_DEINITIALIZED");
      heap.validate();
    }
  });

  it("`using` deinitializes the arena when the scope ends (Symbol.dispose)", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    let escaped: ArenaAllocator | undefined;
    {
      using arena = new ArenaAllocator(heap.pageAllocator);
      arena.allocator().alloc("u8", 5 * PAGE);
      expect(heap.stats().pagesInUseBytes).toBeGreaterThan(inUse);
      escaped = arena;
    }
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    expect(() => escaped!.allocator().alloc("u8", 1)).toThrow(AllocatorDeinitializedError);
  });

  it("`using` deinitializes the arena when the scope throws", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    expect(() => {
      using arena = new ArenaAllocator(heap.pageAllocator);
      arena.allocator().alloc("u8", 5 * PAGE);
      throw new Error("boom");
    }).toThrow("boom");
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });
});

describe("ArenaAllocator over other allocators", () => {
  it("an arena backed by another arena takes its chunks from it; deinit of the outer frees everything", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const outer = new ArenaAllocator(heap.pageAllocator);
    const inner = new ArenaAllocator(outer.allocator());
    const xs = inner.allocator().alloc("f64", 1000);
    xs.fill(1.25);
    const outerCapacity = outer.queryCapacity();
    expect(outerCapacity).toBeGreaterThanOrEqual(inner.queryCapacity());
    const calls = pageCalls(heap);
    // The inner arena's second round fits in what the outer already holds after an inner reset.
    inner.reset("retain_capacity");
    inner.allocator().alloc("f64", 1000);
    expect(pageCalls(heap)).toEqual(calls);
    inner.deinit();
    heap.validate();
    outer.deinit();
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });

  it("an inner arena's chunks lie inside the outer arena's memory", () => {
    const heap = smallHeap();
    const outerBacking = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", MiB));
    const outer = new ArenaAllocator(outerBacking.allocator());
    const inner = new ArenaAllocator(outer.allocator());
    for (let i = 0; i < 100; i++) {
      const v = inner.allocator().alloc("u8", 1000 + i);
      expect(outerBacking.ownsSlice(v)).toBe(true);
    }
    heap.validate();
  });

  it("an arena over a FixedBufferAllocator runs out with OutOfMemoryError and rawAlloc 0", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 8192));
    const arena = new ArenaAllocator(fba.allocator());
    expect(() => arena.allocator().alloc("u8", 10_000)).toThrow(OutOfMemoryError);
    expect(arena.allocator().rawAlloc(10_000)).toBe(0);
    heap.validate();
    arena.deinit();
    expect(fba.endIndex).toBe(0);
  });
});
