// rawRealloc, Zig's realloc on byte offsets: in place when it can, else a move that copies
// min(len, newLen) bytes; 0 on out of memory with the old allocation intact; misuse throws.

import { describe, expect, it } from "vitest";
import { AllocatorDeinitializedError, ArenaAllocator, DoubleFreeError, FixedBufferAllocator, GeneralPurposeAllocator,
  Heap, InvalidFreeError, type Allocator } from "../src/index";
import { MiB, PAGE, smallHeap } from "./support/heaps";

const allocators: [string, (heap: Heap) => Allocator][] = [
  ["page allocator", (heap) => heap.pageAllocator],
  ["arena", (heap) => new ArenaAllocator(heap.pageAllocator).allocator()],
  ["fixed buffer", (heap) => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4 * MiB)).allocator()],
  ["safety GPA", (heap) => new GeneralPurposeAllocator({ heap }).allocator()],
  ["GPA without safety", (heap) => new GeneralPurposeAllocator({ heap, safety: false }).allocator()],
];

/** Writes 1, 2, 3, … (mod 251) into [ptr, ptr + len). */
function fill(heap: Heap, ptr: number, len: number): void {
  for (let i = 0; i < len; i++) heap.u8[ptr + i] = (i + 1) % 251;
}

/** Whether [ptr, ptr + len) still holds what fill() wrote. */
function holds(heap: Heap, ptr: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (heap.u8[ptr + i] !== (i + 1) % 251) return false;
  return true;
}

describe.each(allocators)("rawRealloc of the %s", (_name, make) => {
  it("grows past what fits in place by moving, keeping every old byte, and the new block is usable and freeable", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(100, 8);
    fill(heap, ptr, 100);
    const blocker = a.rawAlloc(100, 8); // so that nothing can grow in place
    const moved = a.rawRealloc(ptr, 100, 3 * PAGE, 16);
    expect(moved).not.toBe(0);
    expect(moved).not.toBe(ptr);
    expect(moved % 16).toBe(0);
    expect(holds(heap, moved, 100)).toBe(true);
    heap.u8.fill(0x5a, moved, moved + 3 * PAGE);
    a.rawFree(moved, 3 * PAGE, 16);
    a.rawFree(blocker, 100, 8);
    heap.validate();
  });

  it("shrinks keeping the first newLen bytes", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(3000, 8);
    fill(heap, ptr, 3000);
    const shrunk = a.rawRealloc(ptr, 3000, 40, 8);
    expect(shrunk).not.toBe(0);
    expect(holds(heap, shrunk, 40)).toBe(true);
    a.rawFree(shrunk, 40, 8);
    heap.validate();
  });

  it("with len 0 is an allocation: the offset given is not read", () => {
    const heap = smallHeap();
    const a = make(heap);
    for (const ptr of [0, 12345, 2 ** 32 - 1]) {
      const fresh = a.rawRealloc(ptr, 0, 64, 32);
      expect(fresh).not.toBe(0);
      expect(fresh % 32).toBe(0);
      heap.u8.fill(0x11, fresh, fresh + 64);
      a.rawFree(fresh, 64, 32);
    }
    expect(a.rawRealloc(12345, 0, 0, 16)).toBe(16);
    heap.validate();
  });

  it("with newLen 0 frees the block and returns align, as rawAlloc(0) does", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(200, 8);
    expect(a.rawRealloc(ptr, 200, 0, 8)).toBe(a.rawAlloc(0, 8));
    // The memory is free again: an allocation of the same shape may get it back.
    const again = a.rawAlloc(200, 8);
    expect(again).not.toBe(0);
    a.rawFree(again, 200, 8);
    heap.validate();
  });

  it("returns 0 when the heap runs out, the old block intact and still freeable, nothing else changed", () => {
    const heap = smallHeap({ maximumBytes: 8 * MiB });
    const a = make(heap);
    const ptr = a.rawAlloc(500, 8);
    fill(heap, ptr, 500);
    const blocker = a.rawAlloc(8, 8);
    const inUse = heap.stats().pagesInUseBytes;
    expect(a.rawRealloc(ptr, 500, 16 * MiB, 8)).toBe(0);
    expect(holds(heap, ptr, 500)).toBe(true);
    expect(heap.stats().pagesInUseBytes).toBeLessThanOrEqual(inUse + PAGE); // a GPA may keep directory room
    heap.validate();
    a.rawFree(ptr, 500, 8);
    a.rawFree(blocker, 8, 8);
    heap.validate();
  });

  it("refuses bad arguments with RangeError, changing nothing", () => {
    const heap = smallHeap();
    const a = make(heap);
    const ptr = a.rawAlloc(64, 8);
    fill(heap, ptr, 64);
    const before = heap.stats();
    const calls: (() => unknown)[] = [
      () => a.rawRealloc(-8, 64, 128), () => a.rawRealloc(1.5, 64, 128), () => a.rawRealloc(ptr, -1, 128),
      () => a.rawRealloc(ptr, 64, NaN), () => a.rawRealloc(ptr, 64, 2 ** 32), () => a.rawRealloc(ptr, 64, 128, 3),
      () => a.rawRealloc(ptr, 64, 128, 0), () => a.rawRealloc(ptr, 64, 128, 131072),
      () => a.rawRealloc(ptr, 64, "128" as unknown as number),
    ];
    for (const call of calls) expect(call).toThrow(RangeError);
    expect(heap.stats()).toEqual(before);
    expect(holds(heap, ptr, 64)).toBe(true);
    heap.validate();
  });
});

describe("rawRealloc on a GeneralPurposeAllocator", () => {
  it("returns 0 over memoryLimit, the old block intact and its bytes counted once", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, memoryLimit: 1000 });
    const a = gpa.allocator();
    const ptr = a.rawAlloc(600, 8);
    fill(heap, ptr, 600);
    expect(a.rawRealloc(ptr, 600, 1001, 8)).toBe(0);
    expect(holds(heap, ptr, 600)).toBe(true);
    expect(gpa.totalRequestedBytes).toBe(600);
    gpa.memoryLimit = Infinity;
    const grown = a.rawRealloc(ptr, 600, 1001, 8);
    expect(grown).not.toBe(0);
    expect(holds(heap, grown, 600)).toBe(true);
    expect(gpa.totalRequestedBytes).toBe(1001);
    a.rawFree(grown, 1001, 8);
    expect(gpa.deinit()).toBe("ok");
  });

  it("with safety, a second free through rawRealloc is DoubleFreeError and changes nothing", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const a = gpa.allocator();
    const keep = a.rawAlloc(48, 8);
    const ptr = a.rawAlloc(48, 8);
    a.rawFree(ptr, 48, 8);
    const stats = gpa.stats();
    expect(() => a.rawRealloc(ptr, 48, 96, 8)).toThrow(DoubleFreeError);
    expect(() => a.rawRealloc(ptr, 48, 0, 8)).toThrow(DoubleFreeError);
    expect(gpa.stats()).toEqual(stats);
    heap.validate();
    a.rawFree(keep, 48, 8);
    expect(gpa.deinit()).toBe("ok");
  });

  it("with safety, an address it never handed out, or a wrong length, is InvalidFreeError and changes nothing", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const a = gpa.allocator();
    const ptr = a.rawAlloc(48, 8);
    fill(heap, ptr, 48);
    const stats = gpa.stats();
    expect(() => a.rawRealloc(ptr + 8, 40, 96, 8)).toThrow(InvalidFreeError);
    expect(() => a.rawRealloc(ptr, 47, 96, 8)).toThrow(InvalidFreeError);
    expect(gpa.stats()).toEqual(stats);
    expect(holds(heap, ptr, 48)).toBe(true);
    heap.validate();
    a.rawFree(ptr, 48, 8);
    expect(gpa.deinit()).toBe("ok");
  });
});

describe("rawRealloc and the heap", () => {
  it("runs the onGrow listeners before it returns, so heap.u8 covers the moved block at once", () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 64 * MiB });
    const a = heap.pageAllocator;
    const ptr = a.rawAlloc(100);
    fill(heap, ptr, 100);
    let grown = 0;
    heap.onGrow(() => { grown++; });
    const moved = a.rawRealloc(ptr, 100, 8 * MiB);
    expect(grown).toBeGreaterThan(0);
    expect(heap.u8.length).toBeGreaterThanOrEqual(moved + 8 * MiB);
    expect(holds(heap, moved, 100)).toBe(true);
  });

  it("after deinit is AllocatorDeinitializedError", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    const ptr = a.rawAlloc(16);
    arena.deinit();
    expect(() => a.rawRealloc(ptr, 16, 32)).toThrow(AllocatorDeinitializedError);
  });
});
