// With safety, freed slots wait in a bounded quarantine before they are reused, so a double free
// is caught even after later allocations; the quarantine lets its slots go before the GPA takes
// another slab from its backing allocator, so holding them never grows memory.

import { describe, expect, it } from "vitest";
import { DoubleFreeError, GeneralPurposeAllocator, OutOfMemoryError } from "../src/index";
import { QUARANTINE_SLOTS } from "../bindings/abi.generated";
import { FILL, allBytes, freshGpa } from "./support/gpa";
import { expectRejected, smallHeap, MiB } from "./support/heaps";

describe("the quarantine", () => {
  it("a double free is caught after the same size was allocated again, and the new block is untouched", () => {
    const { heap, a } = freshGpa();
    const x = a.rawAlloc(48);
    a.rawFree(x, 48);
    const others = Array.from({ length: 100 }, () => a.rawAlloc(48));
    expect(others).not.toContain(x);
    for (const ptr of others) heap.u8.fill(7, ptr, ptr + 48);
    expectRejected(heap, () => a.rawFree(x, 48), DoubleFreeError);
    expect(others.every((ptr) => allBytes(heap, ptr, 48, 7))).toBe(true);
  });

  it("a held slot reads 0xAA and is not a live allocation: no leak, no requested bytes", () => {
    const { heap, gpa, a } = freshGpa();
    const x = a.rawAlloc(100);
    a.rawFree(x, 100);
    expect(allBytes(heap, x, 100, FILL)).toBe(true);
    expect(gpa.totalRequestedBytes).toBe(0);
    expect(gpa.stats().liveAllocations).toBe(0);
    expect(gpa.leaks()).toEqual([]);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("holds at most QUARANTINE_SLOTS slots: the oldest is reused first once it is full", () => {
    const { heap, a } = freshGpa();
    const first = a.rawAlloc(16);
    const rest = Array.from({ length: QUARANTINE_SLOTS }, () => a.rawAlloc(16));
    a.rawFree(first, 16);
    for (const ptr of rest) a.rawFree(ptr, 16);
    expect(a.rawAlloc(16)).toBe(first);
    heap.validate();
  });

  it("never costs growth: on a heap at its maximum, allocating lets held slots go instead of failing", () => {
    const heap = smallHeap({ maximumBytes: 2 * MiB });
    const gpa = new GeneralPurposeAllocator({ heap });
    const a = gpa.allocator();
    const ptrs: number[] = [];
    expect(() => { for (;;) ptrs.push(a.rawAlloc(4000) || (() => { throw new OutOfMemoryError(4000); })()); })
      .toThrow(OutOfMemoryError);
    for (const ptr of ptrs) a.rawFree(ptr, 4000);
    const { memoryBytes } = heap.stats();
    const again = Array.from({ length: ptrs.length }, () => a.rawAlloc(3000));
    expect(again.every((ptr) => ptr !== 0)).toBe(true);
    expect(heap.stats().memoryBytes).toBe(memoryBytes);
    heap.validate();
  });
});
