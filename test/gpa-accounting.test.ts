// GeneralPurposeAllocator accounting: totalRequestedBytes, the memory limit at, below and above
// it, and stats().

import { describe, expect, it } from "vitest";
import { OutOfMemoryError } from "../src/index";
import { PAGE } from "./support/heaps";
import { MAX_SMALL, SAFETY_MODES, freshGpa } from "./support/gpa";

describe.each(SAFETY_MODES)("memoryLimit and totalRequestedBytes (%s)", (_mode, safety) => {
  it("counts requested bytes, not slot sizes", () => {
    const { gpa, a } = freshGpa({ safety });
    const xs = [a.rawAlloc(10), a.rawAlloc(10), a.rawAlloc(10)];
    expect(gpa.totalRequestedBytes).toBe(30);
    const big = a.rawAlloc(100_001);
    expect(gpa.totalRequestedBytes).toBe(100_031);
    a.rawFree(big, 100_001);
    for (const ptr of xs) a.rawFree(ptr, 10);
    expect(gpa.totalRequestedBytes).toBe(0);
  });

  it("exactly at the limit succeeds; one byte over throws OutOfMemoryError (rawAlloc gives 0) and changes nothing", () => {
    const { heap, gpa, a } = freshGpa({ safety, memoryLimit: 100 });
    const first = a.rawAlloc(60);
    const second = a.alloc("u8", 40);
    expect(gpa.totalRequestedBytes).toBe(100);
    expect(() => a.alloc("u8", 1)).toThrow(OutOfMemoryError);
    expect(a.rawAlloc(1)).toBe(0);
    expect(gpa.totalRequestedBytes).toBe(100);
    expect(gpa.stats().liveAllocations).toBe(2);
    heap.validate();
    a.free(second);
    expect(a.rawAlloc(40)).not.toBe(0);
    a.rawFree(first, 60);
  });

  it("below the limit allocations succeed, small and large, up to it", () => {
    const { heap, a } = freshGpa({ safety, memoryLimit: 200_000 });
    expect(a.rawAlloc(99)).not.toBe(0);
    expect(a.rawAlloc(150_000)).not.toBe(0);
    expect(a.rawAlloc(49_901)).not.toBe(0);
    expect(a.rawAlloc(1)).toBe(0);
    heap.validate();
  });

  it("above the limit a single request fails, small or large, and the GPA stays empty", () => {
    const { heap, gpa, a } = freshGpa({ safety, memoryLimit: 100 });
    expect(a.rawAlloc(101)).toBe(0);
    expect(() => a.alloc("u8", 200_000)).toThrow(OutOfMemoryError);
    expect(gpa.stats()).toMatchObject({ liveAllocations: 0, requestedBytes: 0, slabPages: 0, largeAllocations: 0 });
    heap.validate();
  });

  it("a large request over the limit never reaches the backing allocator", () => {
    const { heap, a } = freshGpa({ safety, memoryLimit: PAGE });
    const calls = heap.stats().pageAllocCalls;
    expect(a.rawAlloc(PAGE + 1)).toBe(0);
    expect(heap.stats().pageAllocCalls).toBe(calls);
    heap.validate();
  });

  it("growing in place counts against the limit; shrinking gives bytes back", () => {
    const { heap, gpa, a } = freshGpa({ safety, memoryLimit: 50 });
    const ptr = a.rawAlloc(40); // class 40
    expect(a.rawResize(ptr, 40, 33)).toBe(true);
    expect(gpa.totalRequestedBytes).toBe(33);
    const other = a.rawAlloc(17);
    expect(a.rawResize(ptr, 33, 34)).toBe(false);
    a.rawFree(other, 17);
    expect(a.rawResize(ptr, 33, 40)).toBe(true);
    expect(gpa.totalRequestedBytes).toBe(40);
    heap.validate();
  });

  it("realloc over the limit throws OutOfMemoryError and leaves the old allocation as it was", () => {
    const { heap, gpa, a } = freshGpa({ safety, memoryLimit: 1000 });
    const xs = a.alloc("u8", 600);
    xs.fill(5);
    expect(() => a.realloc(xs, 700)).toThrow(OutOfMemoryError);
    expect(xs.every((b) => b === 5)).toBe(true);
    expect(gpa.totalRequestedBytes).toBe(600);
    heap.validate();
    a.free(xs);
  });

  it("the limit is settable: lowering it below the total fails only later allocations", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const ptr = a.rawAlloc(500);
    gpa.memoryLimit = 100;
    expect(gpa.memoryLimit).toBe(100);
    expect(a.rawAlloc(1)).toBe(0);
    heap.validate();
    a.rawFree(ptr, 500);
    expect(a.rawAlloc(100)).not.toBe(0);
    gpa.memoryLimit = Infinity;
    expect(a.rawAlloc(1 << 20)).not.toBe(0);
    gpa.memoryLimit = 2 ** 40;
    expect(a.rawAlloc(1)).not.toBe(0);
  });
});

describe.each(SAFETY_MODES)("stats() (%s)", (_mode, safety) => {
  it("lists every size class in order, from 8 bytes to 28 KiB", () => {
    const { gpa } = freshGpa({ safety });
    const sizes = gpa.stats().sizeClasses.map((c) => c.size);
    expect(sizes.slice(0, 12)).toEqual([8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128]);
    expect(sizes.at(-1)).toBe(MAX_SMALL);
    expect(sizes.at(-1)).toBe(28 * 1024);
    expect(sizes).toEqual([...sizes].sort((x, y) => x - y));
    expect(gpa.stats().sizeClasses.every((c) => c.slabs === 0 && c.liveSlots === 0)).toBe(true);
  });

  it("reports live bytes, live allocations, pages per class and the bytes held from the backing allocator", () => {
    const { gpa, a } = freshGpa({ safety });
    for (let i = 0; i < 10; i++) a.rawAlloc(100);
    a.rawAlloc(3000);
    a.rawAlloc(70_000);
    const stats = gpa.stats();
    expect(stats).toMatchObject({ requestedBytes: 1000 + 3000 + 70_000, liveAllocations: 12, slabPages: 2,
      sparePages: 0, largeAllocations: 1, largeBytes: 70_000 });
    expect(stats.sizeClasses.find((c) => c.size === 112)).toEqual({ size: 112, slabs: 1, liveSlots: 10 });
    expect(stats.sizeClasses.find((c) => c.size === 3072)).toEqual({ size: 3072, slabs: 1, liveSlots: 1 });
    expect(stats.heldBytes).toBe(2 * PAGE + 70_000 + stats.directoryBytes);
    expect(stats.directoryBytes).toBeGreaterThan(0);
  });
});
