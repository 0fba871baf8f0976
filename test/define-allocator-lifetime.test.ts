// The lifetime of an allocator from defineAllocator(): its record and callbacks go once nothing
// holds it (collected), never while an allocator it backs lives. Allocators written over others
// (a FailingAllocator per run of checkAllocationFailures) leave nothing behind either.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, checkAllocationFailures, defineAllocator, type Heap } from "../src/index";
import { coreAllocatorOf } from "../src/core-allocator";
import { smallHeap } from "./support/heaps";
import { collectGarbage } from "./support/collect-garbage";


/** How many allocators written in TypeScript `heap` still keeps callbacks for. */
const definedCount = (heap: Heap): number => coreAllocatorOf(heap.pageAllocator, "page allocator").linear.definedAllocators.size;

/** Defines an allocator over the page allocator that counts its alloc calls in `calls`. */
function counting(heap: Heap, calls: { alloc: number }) {
  const pages = heap.pageAllocator;
  return defineAllocator(heap, {
    alloc(len, align) { calls.alloc++; return pages.rawAlloc(len, align); },
    resize: () => false,
    free: (ptr, len, align) => pages.rawFree(ptr, len, align),
  });
}

describe("defineAllocator lifetime", () => {
  it("an allocator nobody holds is collected: its callbacks and its record go", async () => {
    const heap = smallHeap();
    const calls = { alloc: 0 };
    for (let i = 0; i < 20; i++) counting(heap, calls);
    expect(definedCount(heap)).toBe(20);
    await collectGarbage();
    expect(definedCount(heap)).toBe(0);
    heap.validate();
  });

  it("an arena over one nobody else holds keeps it, and its callbacks, after garbage collection", async () => {
    const heap = smallHeap();
    const calls = { alloc: 0 };
    const arena = new ArenaAllocator(counting(heap, calls));
    arena.allocator().alloc("u8", 100);
    await collectGarbage();
    expect(definedCount(heap)).toBe(1);
    arena.allocator().alloc("u8", 1 << 20);
    expect(calls.alloc).toBe(2);
    arena.deinit();
    heap.validate();
  });

  it("the records checkAllocationFailures' FailingAllocators took to back arenas go once the runs are over", async () => {
    const heap = smallHeap();
    checkAllocationFailures(heap.pageAllocator, (backing) => {
      using arena = new ArenaAllocator(backing);
      for (let i = 0; i < 30; i++) arena.allocator().alloc("u8", 2000);
    });
    expect(definedCount(heap)).toBeGreaterThan(1);
    await collectGarbage();
    expect(definedCount(heap)).toBe(0);
    heap.validate();
  });
});
