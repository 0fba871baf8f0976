// Under "plain" a growth detaches every view, so an operation that may grow memory must read
// what it needs of the view it was given (offset, length, kind) before the core call: read after
// it, the detached view says offset 0 and length 0.

import { describe, expect, it } from "vitest";
import type { Heap } from "../src/index";
import { PAGE, arenaOnPages, smallHeap } from "./support/heaps";

/** A "plain" heap with every free page taken, so that the next page allocation grows memory. */
function fullPlainHeap(): Heap {
  const heap = smallHeap({ viewStrategy: "plain" });
  while (heap.stats().pagesFreeBytes > 0) expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(0);
  return heap;
}

describe("an operation that grows memory under \"plain\" reads the view it was given before growing", () => {
  it("resize in place of the topmost pages grows memory and returns a view at the same offset", () => {
    const heap = fullPlainHeap();
    const p = heap.pageAllocator;
    const xs = p.alloc("u32", PAGE / 4);
    xs[0] = 7;
    const offset = xs.byteOffset;
    const grows = heap.stats().grows;
    const grown = p.resize(xs, PAGE / 2);
    expect(heap.stats().grows, "the resize grew memory").toBeGreaterThan(grows);
    expect(grown).not.toBeNull();
    expect(grown!.byteOffset).toBe(offset);
    expect(grown!.length).toBe(PAGE / 2);
    expect(grown!.buffer).toBe(heap.memory.buffer);
    expect(grown![0]).toBe(7);
    p.free(grown!);
    heap.validate();
  });

  it("resize to the same length that grew nothing returns the view itself", () => {
    const heap = smallHeap({ viewStrategy: "plain" });
    const xs = heap.pageAllocator.alloc("f64", 4);
    expect(heap.pageAllocator.resize(xs, 4)).toBe(xs);
    heap.validate();
  });

  it("resize in place of the last arena allocation, on a heap with no free page, keeps its offset and kind", () => {
    const { heap, arena, a } = arenaOnPages(fullPlainHeap());
    const xs = a.alloc("i16", 4);
    xs.set([1, 2, 3, 4]);
    const grown = a.resize(xs, 16);
    expect(grown).toBeInstanceOf(Int16Array);
    expect(grown!.byteOffset).toBe(xs.byteOffset);
    expect([...grown!.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    arena.deinit();
    heap.validate();
  });

  it("realloc of the last arena allocation that opens a chunk by growing memory keeps the elements", () => {
    const { heap, arena, a } = arenaOnPages(fullPlainHeap());
    const xs = a.alloc("f32", 4);
    xs.set([0.5, 1.5, 2.5, 3.5]);
    const grows = heap.stats().grows;
    const moved = a.realloc(xs, 4 * PAGE);
    expect(heap.stats().grows, "the realloc grew memory").toBeGreaterThan(grows);
    expect(moved).toBeInstanceOf(Float32Array);
    expect(moved.length).toBe(4 * PAGE);
    expect(moved.buffer).toBe(heap.memory.buffer);
    expect([...moved.subarray(0, 4)]).toEqual([0.5, 1.5, 2.5, 3.5]);
    arena.deinit();
    heap.validate();
  });

  it("realloc on the page allocator that grows memory returns a view on the current buffer", () => {
    const heap = fullPlainHeap();
    const p = heap.pageAllocator;
    const xs = p.alloc("u8", 10);
    xs[9] = 99;
    const moved = p.realloc(xs, 3 * PAGE);
    expect(moved.buffer).toBe(heap.memory.buffer);
    expect(moved[9]).toBe(99);
    p.free(moved);
    heap.validate();
  });
});
