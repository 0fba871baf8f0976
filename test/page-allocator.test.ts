// The page allocator: whole 64 KiB pages, reused once freed, merged with free neighbours.

import { describe, expect, it } from "vitest";
import { OutOfMemoryError } from "../src/index";
import { MiB, PAGE, smallHeap, pagesOfSmallHeap } from "./support/heaps";

describe("page allocator", () => {
  it("rounds every allocation up to whole pages, page-aligned", () => {
    const { heap, p } = pagesOfSmallHeap();
    for (const bytes of [1, PAGE - 1, PAGE, PAGE + 1, 5 * PAGE + 3]) {
      const before = heap.stats().pagesInUseBytes;
      const view = p.alloc("u8", bytes);
      expect(view.byteOffset % PAGE).toBe(0);
      expect(heap.stats().pagesInUseBytes - before).toBe(Math.ceil(bytes / PAGE) * PAGE);
    }
    heap.validate();
  });

  it("pages freed are reused: the same run comes back and memory does not grow", () => {
    const { heap, p } = pagesOfSmallHeap();
    const keep = p.alloc("u8", PAGE); // something above, so the run is not just wilderness
    const first = p.alloc("u8", 3 * PAGE);
    p.alloc("u8", 1);
    p.free(first);
    const { memoryBytes, grows } = heap.stats();
    for (let i = 0; i < 1000; i++) {
      const again = p.alloc("u8", 3 * PAGE);
      expect(again.byteOffset).toBe(first.byteOffset);
      p.free(again);
    }
    expect(heap.stats().memoryBytes).toBe(memoryBytes);
    expect(heap.stats().grows).toBe(grows);
    expect(keep.length).toBe(PAGE);
    heap.validate();
  });

  it("a long alloc/free churn of mixed sizes stays within the memory it first grew to", () => {
    const { heap, p } = pagesOfSmallHeap();
    const round = () => {
      const live = [];
      for (let i = 1; i <= 20; i++) live.push(p.alloc("u8", (i % 5 + 1) * PAGE));
      for (let i = 0; i < live.length; i += 2) p.free(live[i]);
      for (let i = 1; i < live.length; i += 2) p.free(live[i]);
    };
    round();
    const { memoryBytes } = heap.stats();
    for (let i = 0; i < 200; i++) round();
    expect(heap.stats().memoryBytes).toBe(memoryBytes);
    heap.validate();
  });

  it("adjacent free runs merge: two freed one-page neighbours serve a two-page allocation", () => {
    const { heap, p } = pagesOfSmallHeap();
    const a = p.alloc("u8", PAGE);
    const b = p.alloc("u8", PAGE);
    p.alloc("u8", PAGE); // keeps them off the wilderness
    p.free(a);
    p.free(b);
    heap.validate();
    expect(p.alloc("u8", 2 * PAGE).byteOffset).toBe(a.byteOffset);
    heap.validate();
  });

  it("a larger free run is split: the rest stays free for the next allocation", () => {
    const { heap, p } = pagesOfSmallHeap();
    const big = p.alloc("u8", 4 * PAGE);
    p.alloc("u8", PAGE);
    p.free(big);
    const one = p.alloc("u8", PAGE);
    const three = p.alloc("u8", 3 * PAGE);
    expect(one.byteOffset).toBe(big.byteOffset);
    expect(three.byteOffset).toBe(big.byteOffset + PAGE);
    heap.validate();
  });

  it("freeing the top run gives it back to the wilderness, and the next allocation starts there", () => {
    const { heap, p } = pagesOfSmallHeap();
    const top = p.alloc("u8", 2 * PAGE);
    p.free(top);
    expect(p.alloc("u8", 5 * PAGE).byteOffset).toBe(top.byteOffset);
    heap.validate();
  });

  it("resize shrinks a run in place and its tail pages are free again", () => {
    const { heap, p } = pagesOfSmallHeap();
    const run = p.alloc("u8", 4 * PAGE);
    p.alloc("u8", PAGE);
    const inUse = heap.stats().pagesInUseBytes;
    const shrunk = p.resize(run, PAGE);
    expect(shrunk?.byteOffset).toBe(run.byteOffset);
    expect(heap.stats().pagesInUseBytes).toBe(inUse - 3 * PAGE);
    expect(p.alloc("u8", 3 * PAGE).byteOffset).toBe(run.byteOffset + PAGE);
    heap.validate();
  });

  it("resize within the same page count always succeeds", () => {
    const { p } = pagesOfSmallHeap();
    const xs = p.alloc("u8", 10);
    p.alloc("u8", 1);
    const grown = p.resize(xs, PAGE);
    expect(grown?.length).toBe(PAGE);
    expect(grown?.byteOffset).toBe(xs.byteOffset);
  });

  it("realloc moves a run whose next pages are taken, and keeps its contents", () => {
    const { heap, p } = pagesOfSmallHeap();
    const xs = p.alloc("i32", 10);
    xs.set([5, 6, 7]);
    p.alloc("u8", 1);
    const moved = p.realloc(xs, PAGE);
    expect(moved.byteOffset).not.toBe(xs.byteOffset);
    expect([...moved.subarray(0, 3)]).toEqual([5, 6, 7]);
    heap.validate();
    expect(p.alloc("i32", 10).byteOffset, "the old run was freed").toBe(xs.byteOffset);
  });

  it("an allocation larger than maximumBytes throws OutOfMemoryError and the heap stays valid", () => {
    const heap = smallHeap({ maximumBytes: 4 * MiB });
    expect(() => heap.pageAllocator.alloc("u8", 5 * MiB)).toThrow(OutOfMemoryError);
    expect(heap.stats().memoryBytes).toBeLessThanOrEqual(4 * MiB);
    heap.validate();
    expect(heap.pageAllocator.alloc("u8", MiB).length).toBe(MiB);
  });

  it("free of a run twice throws (the second time it is not an allocation) and the heap stays valid", () => {
    const { heap, p } = pagesOfSmallHeap();
    const xs = p.alloc("u8", PAGE);
    p.alloc("u8", PAGE);
    p.free(xs);
    expect(() => p.free(xs)).toThrow();
    heap.validate();
  });
});

describe("out of memory from an empty view", () => {
  it("realloc of an empty view past the heap's maximum is OutOfMemoryError, not a misuse", () => {
    const { heap, p } = pagesOfSmallHeap();
    expect(() => p.realloc(p.alloc("u8", 0), 0xffff0000)).toThrow(OutOfMemoryError);
    heap.validate();
  });
});
