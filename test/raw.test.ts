// The raw byte API: rawAlloc / rawResize / rawRemap / rawFree, byte offsets into heap.u8.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, type Allocator, type Heap } from "../src/index";
import { MiB, PAGE, smallHeap, arenaOnPages, pagesOfSmallHeap } from "./support/heaps";

const allocators: [string, (heap: Heap) => Allocator][] = [
  ["page allocator", (heap) => heap.pageAllocator],
  ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
  ["fixed buffer", (heap) => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4 * MiB)).allocator()],
];

describe.each(allocators)("raw API of the %s", (_name, make) => {
  it("rawAlloc returns a non-zero byte offset inside memory, aligned to 8 by default and to what is asked", () => {
    const heap = smallHeap();
    const a = make(heap);
    for (const align of [undefined, 1, 2, 4, 8, 16, 256, 4096, 65536]) {
      a.rawAlloc(1, 1); // so that the next address is not aligned by accident
      const ptr = align === undefined ? a.rawAlloc(24) : a.rawAlloc(24, align);
      expect(ptr).not.toBe(0);
      expect(ptr % (align ?? 8)).toBe(0);
      expect(ptr + 24).toBeLessThanOrEqual(heap.memory.buffer.byteLength);
      heap.u8.fill(0xee, ptr, ptr + 24);
      expect(heap.u8[ptr + 23]).toBe(0xee);
    }
    heap.validate();
  });

  it("raw allocations do not overlap", () => {
    const heap = smallHeap();
    const a = make(heap);
    const spans: [number, number][] = [];
    for (let i = 1; i <= 50; i++) {
      const ptr = a.rawAlloc(i * 3, 1 << (i % 7));
      spans.push([ptr, ptr + i * 3]);
    }
    spans.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  });

  it("rawAlloc returns 0 when out of memory, and nothing changes", () => {
    const heap = smallHeap({ maximumBytes: 8 * MiB });
    const a = make(heap);
    const before = heap.stats().pagesInUseBytes;
    expect(a.rawAlloc(16 * MiB)).toBe(0);
    expect(a.rawAlloc(2 ** 32 - 1, 1)).toBe(0);
    expect(heap.stats().pagesInUseBytes).toBe(before);
    heap.validate();
    expect(a.rawAlloc(16)).not.toBe(0);
  });

  it("rawAlloc(0) is not 0, and rawFree of it is a no-op", () => {
    const heap = smallHeap();
    const a = make(heap);
    const before = heap.stats();
    const ptr = a.rawAlloc(0);
    expect(ptr).not.toBe(0);
    a.rawFree(ptr, 0);
    expect(heap.stats()).toEqual(before);
    heap.validate();
  });

  it("rawResize shrinks in place and keeps the bytes", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(100);
    heap.u8.set([1, 2, 3], ptr);
    expect(a.rawResize(ptr, 100, 10)).toBe(true);
    expect([...heap.u8.subarray(ptr, ptr + 3)]).toEqual([1, 2, 3]);
    a.rawFree(ptr, 10);
    heap.validate();
  });

  it("rawResize to 0 frees", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(100, 8);
    expect(a.rawResize(ptr, 100, 0)).toBe(true);
    heap.validate();
    expect(a.rawAlloc(100, 8), "the bytes are free again").toBe(ptr);
  });

  it("rawRemap answers the same offset when it can resize in place, 0 when it cannot", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(100);
    expect(a.rawRemap(ptr, 100, 50)).toBe(ptr);
    a.rawAlloc(8); // ptr is no longer the last allocation of a bump allocator
    const grown = a.rawRemap(ptr, 50, 10 * PAGE);
    expect(grown === 0 || grown === ptr).toBe(true);
    heap.validate();
  });
});

describe("raw API, allocator by allocator", () => {
  it("page allocator: rawResize grows in place when the pages above are free, and not when they are taken", () => {
    const { heap, p } = pagesOfSmallHeap();
    const ptr = p.rawAlloc(PAGE);
    expect(p.rawResize(ptr, PAGE, 3 * PAGE)).toBe(true);
    const above = p.rawAlloc(PAGE);
    expect(above).toBe(ptr + 3 * PAGE);
    expect(p.rawResize(ptr, 3 * PAGE, 4 * PAGE)).toBe(false);
    expect(p.rawRemap(ptr, 3 * PAGE, 4 * PAGE)).toBe(0);
    p.rawFree(above, PAGE);
    expect(p.rawRemap(ptr, 3 * PAGE, 4 * PAGE)).toBe(ptr);
    p.rawFree(ptr, 4 * PAGE);
    heap.validate();
  });

  it("page allocator: every allocation is page-aligned whatever the alignment asked", () => {
    const heap = smallHeap();
    for (const align of [1, 8, 4096, 65536]) expect(heap.pageAllocator.rawAlloc(10, align) % PAGE).toBe(0);
  });

  it("page allocator: rawFree with a length of another page count throws InvalidFreeError and keeps the allocation", () => {
    const { heap, p } = pagesOfSmallHeap();
    const ptr = p.rawAlloc(2 * PAGE);
    expect(() => p.rawFree(ptr, PAGE)).toThrow(/not allocated/);
    expect(() => p.rawFree(ptr, 3 * PAGE)).toThrow(/not allocated/);
    heap.validate();
    p.rawFree(ptr, 2 * PAGE - 1); // the same page count: the same allocation
    heap.validate();
  });

  it("arena: rawResize grows the last allocation within the chunk and no other", () => {
    const { heap, arena, a } = arenaOnPages();
    const x = a.rawAlloc(10, 1);
    expect(a.rawResize(x, 10, 20, 1)).toBe(true);
    const y = a.rawAlloc(10, 1);
    expect(y).toBe(x + 20);
    expect(a.rawResize(x, 20, 21, 1)).toBe(false);
    expect(a.rawResize(x, 20, 5, 1)).toBe(true);
    // y is last and starts 20 bytes into the only chunk: it can grow to the chunk's end, no further.
    const room = arena.queryCapacity() - 20;
    expect(a.rawRemap(y, 10, room + 1, 1)).toBe(0);
    expect(a.rawRemap(y, 10, room, 1)).toBe(y);
    heap.validate();
  });

  it("arena: rawFree of the last allocation rolls back; of another is a no-op", () => {
    const heap = smallHeap();
    const a = new ArenaAllocator(heap.pageAllocator).allocator();
    const x = a.rawAlloc(10, 1);
    const y = a.rawAlloc(10, 1);
    a.rawFree(x, 10, 1);
    a.rawFree(y, 10, 1);
    expect(a.rawAlloc(10, 1)).toBe(y);
    heap.validate();
  });
});
