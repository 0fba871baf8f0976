// GeneralPurposeAllocator: construction and options, size classes and large allocations, resize
// and realloc, pages going back to the backing allocator.

import { describe, expect, it } from "vitest";
import {
  AllocatorDeinitializedError, DebugAllocator, GeneralPurposeAllocator, OutOfMemoryError, defaultHeap,
  type Allocator,
} from "../src/index";
import { PAGE, smallHeap } from "./support/heaps";
import { MAX_SMALL, SAFETY_MODES, freshGpa } from "./support/gpa";

describe("GeneralPurposeAllocator construction", () => {
  it("with no options it is backed by the default heap's page allocator, with safety on", () => {
    const gpa = new GeneralPurposeAllocator();
    try {
      const a = gpa.allocator();
      expect(a.heap).toBe(defaultHeap());
      const xs = a.alloc("u8", 4);
      expect([...xs]).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
      a.free(xs);
    } finally {
      expect(gpa.deinit()).toBe("ok");
    }
  });

  it("the options object works: safety, stackTraces, memoryLimit", () => {
    const gpa = new GeneralPurposeAllocator({ safety: true, stackTraces: false, memoryLimit: Infinity });
    expect(gpa.memoryLimit).toBe(Infinity);
    expect(gpa.deinit()).toBe("ok");
  });

  it("DebugAllocator is the same class under Zig 0.14's name", () => {
    expect(DebugAllocator).toBe(GeneralPurposeAllocator);
    const heap = smallHeap();
    const debug = new DebugAllocator({ heap });
    expect(debug).toBeInstanceOf(GeneralPurposeAllocator);
    expect(debug.deinit()).toBe("ok");
  });

  it("allocator() is the same object every time, on the heap given", () => {
    const { heap, gpa, a } = freshGpa();
    expect(gpa.allocator()).toBe(a);
    expect(a.heap).toBe(heap);
  });

  it("a backing allocator of another heap than the `heap` option is a TypeError", () => {
    const heap = smallHeap();
    expect(() => new GeneralPurposeAllocator({ heap, backing: smallHeap().pageAllocator })).toThrow(TypeError);
    heap.validate();
  });

  it("a backing allocator that is not this library's is a TypeError", () => {
    const fake = { heap: smallHeap() } as unknown as Allocator;
    expect(() => new GeneralPurposeAllocator({ backing: fake })).toThrow(TypeError);
  });

  it.each([-1, 1.5, NaN, -Infinity, "10" as unknown as number])("memoryLimit %s is a RangeError", (limit) => {
    const heap = smallHeap();
    expect(() => new GeneralPurposeAllocator({ heap, memoryLimit: limit })).toThrow(RangeError);
    const gpa = new GeneralPurposeAllocator({ heap });
    expect(() => { gpa.memoryLimit = limit; }).toThrow(RangeError);
    expect(gpa.memoryLimit).toBe(Infinity);
    heap.validate();
  });

  it("after deinit(), the GPA and its allocator throw AllocatorDeinitializedError", () => {
    const { heap, gpa, a } = freshGpa();
    expect(gpa.deinit()).toBe("ok");
    expect(() => a.alloc("u8", 1)).toThrow(AllocatorDeinitializedError);
    expect(() => a.rawAlloc(8)).toThrow(AllocatorDeinitializedError);
    expect(() => gpa.deinit()).toThrow(AllocatorDeinitializedError);
    expect(() => gpa.detectLeaks()).toThrow(AllocatorDeinitializedError);
    expect(() => gpa.leaks()).toThrow(AllocatorDeinitializedError);
    expect(() => gpa.stats()).toThrow(AllocatorDeinitializedError);
    expect(() => gpa.totalRequestedBytes).toThrow(AllocatorDeinitializedError);
    expect(() => { gpa.memoryLimit = 10; }).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("`using` deinits the GPA at the end of the block", () => {
    const heap = smallHeap();
    let a: Allocator;
    {
      using gpa = new GeneralPurposeAllocator({ heap });
      a = gpa.allocator();
      a.free(a.alloc("u8", 10));
    }
    expect(() => a.alloc("u8", 1)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("deinit() gives the GPA's pages back: after a GPA came and went, the page allocator holds what it held before", () => {
    const heap = smallHeap();
    const before = heap.stats().pagesInUseBytes;
    const { gpa, a } = freshGpa({}, heap);
    const xs = Array.from({ length: 100 }, (_, i) => a.alloc("u8", 1 + i * 300));
    for (const x of xs) a.free(x);
    expect(gpa.deinit()).toBe("ok");
    expect(heap.stats().pagesInUseBytes).toBe(before);
    heap.validate();
  });
});

describe.each(SAFETY_MODES)("size classes and large allocations (%s)", (_mode, safety) => {
  it("a fresh class lays its slots out one slot size apart; a freed slot is the next one handed out", () => {
    const { heap, a } = freshGpa({ safety });
    const p = [a.rawAlloc(20), a.rawAlloc(20), a.rawAlloc(20)];
    expect(p[1] - p[0]).toBe(24);
    expect(p[2] - p[1]).toBe(24);
    a.rawFree(p[1], 20);
    // Without safety the freed slot is the next one handed out; with it, it waits in the quarantine.
    expect(a.rawAlloc(17)).toBe(safety ? p[2] + 24 : p[1]);
    heap.validate();
  });

  it("requests of different classes never share a slab", () => {
    const { heap, a } = freshGpa({ safety });
    const small = a.rawAlloc(8);
    const bigger = a.rawAlloc(100);
    expect(Math.floor(small / PAGE)).not.toBe(Math.floor(bigger / PAGE));
    heap.validate();
  });

  it(`${MAX_SMALL} bytes is the largest small request; one byte more is a large allocation of its own pages`, () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const small = a.rawAlloc(MAX_SMALL);
    expect(gpa.stats().largeAllocations).toBe(0);
    expect(gpa.stats().sizeClasses.at(-1)).toMatchObject({ size: MAX_SMALL, slabs: 1, liveSlots: 1 });
    const large = a.rawAlloc(MAX_SMALL + 1);
    expect(large % PAGE).toBe(0);
    expect(gpa.stats()).toMatchObject({ largeAllocations: 1, largeBytes: MAX_SMALL + 1 });
    a.rawFree(small, MAX_SMALL);
    a.rawFree(large, MAX_SMALL + 1);
    expect(gpa.stats()).toMatchObject({ largeAllocations: 0, liveAllocations: 0, requestedBytes: 0 });
    heap.validate();
  });

  it.each([1, 2, 4, 8, 16, 32, 64, 128, 1024, 4096, 16384, 32768, 65536])("alignment %i holds for lengths across the classes", (align) => {
    const { heap, a } = freshGpa({ safety });
    for (const len of [1, 7, 24, 100, 1000, 5000, 20000, MAX_SMALL, 70000]) {
      const ptr = a.rawAlloc(len, align);
      expect(ptr % align, `len ${len}`).toBe(0);
      heap.u8.fill(len & 0xff, ptr, ptr + len);
      a.rawFree(ptr, len, align);
    }
    heap.validate();
  });

  it("a small length at an alignment no class has (32 KiB, 64 KiB) is served as a large allocation", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const view = a.alloc("u8", 10, { align: 65536 });
    expect(view.byteOffset % 65536).toBe(0);
    expect(gpa.stats().largeAllocations).toBe(1);
    a.free(view);
    expect(gpa.stats().largeAllocations).toBe(0);
    heap.validate();
  });

  it("the first allocation of a heap reads 0xAA with safety and untouched (zero) memory without", () => {
    const { a } = freshGpa({ safety });
    const xs = a.alloc("u8", 64);
    expect(xs.every((b) => b === (safety ? 0xaa : 0))).toBe(true);
  });
});

describe.each(SAFETY_MODES)("resize and realloc (%s)", (_mode, safety) => {
  it("resize is in place within the size class and refused across it, in both directions", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const ptr = a.rawAlloc(20); // class 24
    expect(a.rawResize(ptr, 20, 24)).toBe(true);
    expect(a.rawResize(ptr, 24, 25)).toBe(false);
    expect(a.rawResize(ptr, 24, 17)).toBe(true);
    expect(a.rawResize(ptr, 17, 16)).toBe(false);
    expect(gpa.totalRequestedBytes).toBe(17);
    a.rawFree(ptr, 17);
    heap.validate();
  });

  it("realloc across classes moves and keeps min(old, new) elements", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const xs = a.alloc("i32", 5);
    xs.set([1, 2, 3, 4, 5]);
    const grown = a.realloc(xs, 100);
    expect(grown.byteOffset).not.toBe(xs.byteOffset);
    expect([...grown.subarray(0, 5)]).toEqual([1, 2, 3, 4, 5]);
    const shrunk = a.realloc(grown, 3);
    expect([...shrunk]).toEqual([1, 2, 3]);
    expect(gpa.totalRequestedBytes).toBe(12);
    expect(gpa.stats().liveAllocations).toBe(1);
    a.free(shrunk);
    heap.validate();
  });

  it("realloc within the class stays in place", () => {
    const { heap, a } = freshGpa({ safety });
    const xs = a.alloc("u8", 100); // class 112
    xs[0] = 7;
    const same = a.realloc(xs, 112);
    expect(same.byteOffset).toBe(xs.byteOffset);
    expect(same[0]).toBe(7);
    a.free(same);
    heap.validate();
  });

  it("a large allocation grows in place while the pages above are free, and shrinks in place while it stays large", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    a.rawFree(a.rawAlloc(8), 8);
    const ptr = a.rawAlloc(100_000);
    heap.u8[ptr] = 42;
    expect(a.rawResize(ptr, 100_000, 300_000)).toBe(true);
    expect(a.rawResize(ptr, 300_000, MAX_SMALL + 1)).toBe(true);
    expect(gpa.stats()).toMatchObject({ largeAllocations: 1, largeBytes: MAX_SMALL + 1 });
    expect(heap.u8[ptr]).toBe(42);
    a.rawFree(ptr, MAX_SMALL + 1);
    heap.validate();
  });

  it("a large allocation does not grow in place over pages someone else holds; realloc moves it", () => {
    const { heap, a } = freshGpa({ safety });
    const first = a.alloc("u8", 100_000);
    const blocker = heap.pageAllocator.alloc("u8", PAGE);
    first[99_999] = 9;
    expect(a.resize(first, 200_000)).toBeNull();
    const moved = a.realloc(first, 200_000);
    expect(moved.byteOffset).not.toBe(first.byteOffset);
    expect(moved[99_999]).toBe(9);
    a.free(moved);
    heap.pageAllocator.free(blocker);
    heap.validate();
  });

  it("a large allocation never becomes small in place; realloc moves it into a slot", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const big = a.alloc("u8", 50_000);
    big[0] = 1;
    expect(a.resize(big, 100)).toBeNull();
    const small = a.realloc(big, 100);
    expect(small[0]).toBe(1);
    expect(gpa.stats()).toMatchObject({ largeAllocations: 0, liveAllocations: 1, requestedBytes: 100 });
    a.free(small);
    heap.validate();
  });

  it("rawRemap answers the same offset within the class and 0 across it", () => {
    const { heap, a } = freshGpa({ safety });
    const ptr = a.rawAlloc(40);
    expect(a.rawRemap(ptr, 40, 33)).toBe(ptr);
    expect(a.rawRemap(ptr, 33, 1000)).toBe(0);
    a.rawFree(ptr, 33);
    heap.validate();
  });
});

describe.each(SAFETY_MODES)("pages and the backing allocator (%s)", (_mode, safety) => {
  it("a slab whose slots are all free goes back to the backing allocator, except one spare", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const perSlab = Math.floor((PAGE - 32) / (1024 + (safety ? 4 : 0)));
    const ptrs = Array.from({ length: perSlab * 3 }, () => a.rawAlloc(1024));
    const classOf1024 = gpa.stats().sizeClasses.find((c) => c.size === 1024)!;
    expect(classOf1024).toMatchObject({ slabs: 3, liveSlots: perSlab * 3 });
    for (const ptr of ptrs) a.rawFree(ptr, 1024);
    expect(gpa.stats().liveAllocations).toBe(0);
    // With safety the freed slots wait in the quarantine, which lets them go before the GPA takes
    // another slab: the next class's first allocation empties the three slabs.
    if (!safety) expect(gpa.stats()).toMatchObject({ slabPages: 0, sparePages: 1 });
    // With safety, the quarantine lets its oldest slots go until a slab is empty, and a large
    // allocation (which may need the pages) lets all of them go.
    a.rawAlloc(5000);
    expect(gpa.stats()).toMatchObject({ slabPages: safety ? 3 : 1, sparePages: 0 });
    a.rawAlloc(100_000);
    expect(gpa.stats()).toMatchObject({ slabPages: 1, sparePages: safety ? 1 : 0 });
    heap.validate();
  });

  it("memory freed in one size class serves another without growing the heap", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const first = Array.from({ length: 200 }, () => a.rawAlloc(1000));
    for (const ptr of first) a.rawFree(ptr, 1000);
    const memory = heap.stats().memoryBytes;
    const inUse = heap.stats().pagesInUseBytes;
    const second = Array.from({ length: 40 }, () => a.rawAlloc(5000));
    expect(gpa.stats().slabPages).toBeLessThanOrEqual(4);
    expect(heap.stats().memoryBytes).toBe(memory);
    expect(heap.stats().pagesInUseBytes).toBeLessThanOrEqual(inUse + 3 * PAGE);
    for (const ptr of second) a.rawFree(ptr, 5000);
    heap.validate();
  });

  it("an alloc/free pair at the edge of a class reuses the spare instead of calling the backing allocator", () => {
    const { heap, a } = freshGpa({ safety });
    a.rawFree(a.rawAlloc(64), 64);
    const calls = heap.stats().pageAllocCalls;
    for (let i = 0; i < 100; i++) a.rawFree(a.rawAlloc(64 + (i % 3) * 1000), 64 + (i % 3) * 1000);
    expect(heap.stats().pageAllocCalls).toBe(calls);
    heap.validate();
  });

  it("a large allocation is the backing allocator's own and goes back on free", () => {
    const { heap, a } = freshGpa({ safety });
    a.rawFree(a.rawAlloc(PAGE), PAGE); // the GPA's directory, out of the way
    const before = heap.stats().pagesInUseBytes;
    const ptr = a.rawAlloc(3 * PAGE);
    expect(heap.stats().pagesInUseBytes).toBe(before + 3 * PAGE);
    a.rawFree(ptr, 3 * PAGE);
    expect(heap.stats().pagesInUseBytes).toBe(before);
    heap.validate();
  });

  it("hundreds of large allocations freed in a scrambled order keep the directory consistent", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const ptrs = Array.from({ length: 300 }, (_, i) => a.rawAlloc(MAX_SMALL + 1 + i));
    expect(new Set(ptrs).size).toBe(300);
    for (let i = 0; i < 300; i++) {
      const j = (i * 7919) % 300;
      a.rawFree(ptrs[j], MAX_SMALL + 1 + j);
      if (i % 25 === 0) heap.validate();
    }
    expect(gpa.stats()).toMatchObject({ largeAllocations: 0, requestedBytes: 0 });
    heap.validate();
  });

  it("when the backing allocator is out of memory, alloc throws OutOfMemoryError and nothing changes", () => {
    const heap = smallHeap({ maximumBytes: 2 * 1024 * 1024 });
    const { gpa, a } = freshGpa({ safety }, heap);
    const kept = a.rawAlloc(100);
    expect(() => a.alloc("u8", 4 * 1024 * 1024)).toThrow(OutOfMemoryError);
    const live: number[] = [];
    for (let ptr = a.rawAlloc(20000); ptr !== 0; ptr = a.rawAlloc(20000)) live.push(ptr);
    expect(a.rawAlloc(20000)).toBe(0);
    expect(gpa.stats().liveAllocations).toBe(live.length + 1);
    heap.validate();
    for (const ptr of live) a.rawFree(ptr, 20000);
    a.rawFree(kept, 100);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });
});
