// Offset 0 and the library's own metadata are never an allocation, so no allocator frees or
// resizes them, even with safety off: each such call is an InvalidFreeError that changes nothing.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, InvalidFreeError } from "../src/index";
import { expectRejected, smallHeap } from "./support/heaps";

describe.each([["safety on", true], ["safety off", false]] as const)("a GPA with %s", (_mode, safety) => {
  it("rawFree and rawResize of offset 0 and of the statics below the first page are InvalidFreeError", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap, safety }).allocator();
    const live = a.rawAlloc(16);
    for (const ptr of [0, 8, 1024]) {
      expectRejected(heap, () => a.rawFree(ptr, 16), InvalidFreeError);
      expectRejected(heap, () => a.rawResize(ptr, 16, 8), InvalidFreeError);
    }
    expect(a.rawAlloc(16)).not.toBe(live);
    a.rawFree(live, 16);
  });

  it("a pointer off the 8-byte grid of slots, or into an allocator's record, is InvalidFreeError", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap, safety }).allocator();
    const slot = a.rawAlloc(48);
    expectRejected(heap, () => a.rawFree(slot + 4, 40), InvalidFreeError);
    expectRejected(heap, () => a.rawFree(a.handle, 16), InvalidFreeError);
    a.rawFree(slot, 48);
    heap.validate();
  });
});

describe("bump allocators", () => {
  it("an arena and a fixed buffer refuse offset 0 and the statics", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator).allocator();
    const fixed = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 256)).allocator();
    arena.rawAlloc(16);
    fixed.rawAlloc(16);
    for (const a of [arena, fixed, heap.pageAllocator]) {
      expectRejected(heap, () => a.rawFree(0, 16), InvalidFreeError);
      expectRejected(heap, () => a.rawResize(0, 16, 32), InvalidFreeError);
    }
  });
});
