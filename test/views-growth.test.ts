// Views across memory growth: they keep working under "resizable" and "shared"; under "plain" a
// detached view given to the library throws DetachedViewError; and the heap's maximum.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, DetachedViewError, FixedBufferAllocator, OutOfMemoryError, type Allocator, type Heap,
} from "../src/index";
import { MiB, PAGE, availableStrategies, forceGrowth, smallHeap } from "./support/heaps";

const growing = availableStrategies().filter((s) => s !== "plain");

describe.each(growing)("views under %s survive growth", (viewStrategy) => {
  const allocators: [string, (heap: Heap) => Allocator][] = [
    ["page allocator", (heap) => heap.pageAllocator],
    ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
    ["fixed buffer", (heap) => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4096)).allocator()],
  ];

  it.each(allocators)("a view from the %s taken before a growth reads and writes the same memory after it", (_name, make) => {
    const heap = smallHeap({ viewStrategy });
    const allocator = make(heap);
    const xs = allocator.alloc("f64", 100);
    for (let i = 0; i < xs.length; i++) xs[i] = i * 1.5;
    const wholeBefore = heap.u8;

    forceGrowth(heap);
    forceGrowth(heap);

    expect(xs.length).toBe(100);
    expect(xs[99]).toBe(99 * 1.5);
    // Old view → memory: a write through the old view is seen through a view taken now.
    xs[7] = -42;
    expect(heap.f64[xs.byteOffset / 8 + 7]).toBe(-42);
    // Memory → old view.
    heap.f64[xs.byteOffset / 8 + 8] = 1e300;
    expect(xs[8]).toBe(1e300);
    // The whole-memory view taken before the growth still covers what it covered.
    wholeBefore[xs.byteOffset + 8 * 60] = 0xab;
    expect(heap.u8[xs.byteOffset + 8 * 60]).toBe(0xab);

    // The library accepts the old view: resize, realloc, free.
    const shrunk = allocator.resize(xs, 50);
    expect(shrunk?.length).toBe(50);
    const moved = allocator.realloc(shrunk!, 200);
    expect(moved.length).toBe(200);
    expect([moved[0], moved[7], moved[8], moved[49]]).toEqual([0, -42, 1e300, 49 * 1.5]);
    allocator.free(moved);
    heap.validate();
  });

  it("dupe copies from a view taken before a growth", () => {
    const heap = smallHeap({ viewStrategy });
    const source = heap.pageAllocator.alloc("i32", 4);
    source.set([1, 2, 3, 4]);
    forceGrowth(heap);
    expect([...heap.pageAllocator.dupe("i32", source)]).toEqual([1, 2, 3, 4]);
  });

  it("a FixedBufferAllocator over a buffer taken before a growth works after it", () => {
    const heap = smallHeap({ viewStrategy });
    const buffer = heap.pageAllocator.alloc("u8", 1024);
    forceGrowth(heap);
    const fba = new FixedBufferAllocator(buffer);
    const xs = fba.allocator().alloc("u8", 10);
    expect(fba.ownsSlice(xs)).toBe(true);
    expect(xs.byteOffset).toBe(buffer.byteOffset);
  });
});

describe("views under \"plain\"", () => {
  /** A heap under "plain" with one live allocation, then grown so that `view` is detached. */
  function detached(): { heap: Heap; view: Float64Array; single: Float64Array; offset: number; allocator: Allocator } {
    const heap = smallHeap({ viewStrategy: "plain" });
    const allocator = heap.pageAllocator;
    const view = allocator.alloc("f64", 4);
    view.set([1, 2, 3, 4]);
    const offset = view.byteOffset;
    const single = allocator.create("f64");
    forceGrowth(heap);
    expect(view.buffer.byteLength, "growth detached the view").toBe(0);
    return { heap, view, single, offset, allocator };
  }

  /** After a rejected call the allocation is intact: re-viewed at its offset, it frees cleanly. */
  function expectUntouched(heap: Heap, allocator: Allocator, offset: number): void {
    heap.validate();
    const again = new Float64Array(heap.memory.buffer, offset, 4);
    expect([...again]).toEqual([1, 2, 3, 4]);
    allocator.free(again);
    heap.validate();
  }

  const operations: [string, (a: Allocator, view: Float64Array, single: Float64Array) => unknown][] = [
    ["free", (a, view) => a.free(view)],
    ["resize", (a, view) => a.resize(view, 2)],
    ["realloc", (a, view) => a.realloc(view, 8)],
    ["dupe", (a, view) => a.dupe("f64", view)],
    ["destroy", (a, _view, single) => a.destroy(single)],
  ];

  it.each(operations)("%s given a detached view throws DetachedViewError and changes nothing", (_name, operation) => {
    const { heap, view, single, offset, allocator } = detached();
    const stats = heap.stats();
    expect(() => operation(allocator, view, single)).toThrow(DetachedViewError);
    expect(heap.stats()).toEqual(stats);
    expectUntouched(heap, allocator, offset);
  });

  it("DetachedViewError has code DETACHED_VIEW and names heap.reserve() as the cure", () => {
    const { heap, view, allocator } = detached();
    let error: unknown;
    try { allocator.free(view); } catch (caught) { error = caught; }
    expect(error).toBeInstanceOf(DetachedViewError);
    expect((error as DetachedViewError).code).toBe("DETACHED_VIEW");
    expect((error as Error).message).toContain("heap.reserve(");
    heap.validate();
  });

  it("an arena given a detached view throws DetachedViewError", () => {
    const heap = smallHeap({ viewStrategy: "plain" });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const view = arena.allocator().alloc("u32", 8);
    forceGrowth(heap);
    expect(() => arena.allocator().free(view)).toThrow(DetachedViewError);
    expect(() => arena.allocator().resize(view, 4)).toThrow(DetachedViewError);
    expect(() => arena.allocator().realloc(view, 16)).toThrow(DetachedViewError);
    heap.validate();
  });

  it("new FixedBufferAllocator(detachedView) throws DetachedViewError", () => {
    const { heap, view, offset, allocator } = detached();
    expect(() => new FixedBufferAllocator(view)).toThrow(DetachedViewError);
    expectUntouched(heap, allocator, offset);
  });

  it("fba.ownsSlice(detachedView) throws DetachedViewError", () => {
    const heap = smallHeap({ viewStrategy: "plain" });
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 1024));
    const xs = fba.allocator().alloc("u8", 16);
    forceGrowth(heap);
    expect(() => fba.ownsSlice(xs)).toThrow(DetachedViewError);
    heap.validate();
  });

  it("dupe of a heap view copies its elements even when the allocation detaches the source", () => {
    const heap = smallHeap({ viewStrategy: "plain" });
    const source = heap.pageAllocator.alloc("f64", 3);
    source.set([0.5, 1.5, 2.5]);
    // Take every free page, so that the copy's allocation must grow memory, detaching `source`.
    while (heap.stats().pagesFreeBytes > 0) expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(0);
    const grows = heap.stats().grows;
    const copyOf = heap.pageAllocator.dupe("f64", source);
    expect(heap.stats().grows, "dupe grew memory").toBe(grows + 1);
    expect(source.buffer.byteLength, "and so detached its source").toBe(0);
    expect([...copyOf]).toEqual([0.5, 1.5, 2.5]);
    heap.validate();
  });

  it("a view taken after heap.reserve() is not detached by allocations within the reservation", () => {
    const heap = smallHeap({ viewStrategy: "plain" });
    heap.reserve(8 * MiB);
    const xs = heap.pageAllocator.alloc("i32", 16);
    xs.fill(9);
    for (let i = 0; i < 100; i++) heap.pageAllocator.alloc("u8", PAGE);
    expect(xs.length).toBe(16);
    expect(xs[15]).toBe(9);
    heap.pageAllocator.free(xs);
    heap.validate();
  });

  it("views made after a growth are on the new buffer and the library accepts them", () => {
    const heap = smallHeap({ viewStrategy: "plain" });
    forceGrowth(heap);
    const xs = heap.pageAllocator.alloc("u16", 10);
    expect(xs.buffer).toBe(heap.memory.buffer);
    heap.pageAllocator.free(xs);
    heap.validate();
  });
});

describe.each(availableStrategies())("maximumBytes under %s", (viewStrategy) => {
  it("an arena allocating up to maximumBytes ends in OutOfMemoryError, and the heap is usable after reset", () => {
    const heap = smallHeap({ viewStrategy, maximumBytes: 4 * MiB });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    let error: unknown;
    let total = 0;
    try {
      for (;;) {
        a.alloc("u8", 32 * 1024).fill(1);
        total += 32 * 1024;
        expect(total).toBeLessThanOrEqual(4 * MiB);
      }
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect((error as OutOfMemoryError).code).toBe("OUT_OF_MEMORY");
    expect(total).toBeGreaterThan(2 * MiB);
    expect(heap.stats().memoryBytes).toBeLessThanOrEqual(4 * MiB);
    heap.validate();

    expect(arena.reset("free_all")).toBe(true);
    heap.validate();
    const again = a.alloc("u8", 32 * 1024);
    again.fill(2);
    expect(again[0]).toBe(2);
    heap.validate();
    arena.deinit();
    heap.validate();
  });

  it("the page allocator allocating up to maximumBytes ends in OutOfMemoryError (rawAlloc 0), and freed pages serve again", () => {
    const heap = smallHeap({ viewStrategy, maximumBytes: 4 * MiB });
    const p = heap.pageAllocator;
    const ptrs: number[] = [];
    for (;;) {
      const ptr = p.rawAlloc(PAGE);
      if (ptr === 0) break;
      ptrs.push(ptr);
      expect(ptrs.length).toBeLessThanOrEqual(64);
    }
    expect(ptrs.length).toBeGreaterThan(50);
    expect(() => p.alloc("u8", PAGE)).toThrow(OutOfMemoryError);
    expect(heap.stats().memoryBytes).toBe(4 * MiB);
    heap.validate();
    for (const ptr of ptrs) p.rawFree(ptr, PAGE);
    heap.validate();
    const big = p.alloc("u8", ptrs.length * PAGE);
    expect(big.length).toBe(ptrs.length * PAGE);
    heap.validate();
  });
});
