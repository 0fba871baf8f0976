// Pages know their owner: the page allocator frees and resizes a run only for the caller it was
// handed to. The library's records, a GPA's large blocks and slabs, and an arena's chunks are not
// the page allocator's user's to free.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, GeneralPurposeAllocator, InvalidFreeError } from "../src/index";
import { expectRejected, smallHeap, PAGE } from "./support/heaps";

const pageOf = (ptr: number) => ptr - (ptr % PAGE);

describe("the page allocator frees only what it handed to its own caller", () => {
  it("the page holding the allocators' records is refused, and stays intact", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const records = pageOf(arena.allocator().handle);
    expectRejected(heap, () => heap.pageAllocator.rawFree(records, PAGE), InvalidFreeError);
    expectRejected(heap, () => heap.pageAllocator.rawResize(records, PAGE, 2 * PAGE), InvalidFreeError);
    expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(records);
    arena.deinit();
  });

  it.each([true, false])("a GPA's live large block is refused (safety %s)", (safety) => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, safety });
    const block = gpa.allocator().rawAlloc(3 * PAGE);
    expectRejected(heap, () => heap.pageAllocator.rawFree(block, 3 * PAGE), InvalidFreeError);
    const slot = gpa.allocator().rawAlloc(64);
    expectRejected(heap, () => heap.pageAllocator.rawFree(pageOf(slot), PAGE), InvalidFreeError);
    const next = heap.pageAllocator.rawAlloc(3 * PAGE);
    expect(next >= block + 3 * PAGE || next + 3 * PAGE <= block).toBe(true);
    gpa.allocator().rawFree(slot, 64);
    gpa.allocator().rawFree(block, 3 * PAGE);
    expect(gpa.deinit()).toBe("ok");
  });

  it("an arena's live chunk is refused, and the arena keeps allocating from it", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    const first = a.rawAlloc(1000);
    const chunk = pageOf(first);
    expectRejected(heap, () => heap.pageAllocator.rawFree(chunk, PAGE), InvalidFreeError);
    expect(a.rawAlloc(8)).toBe(first + 1000);
    arena.deinit();
    heap.validate();
  });

  it.each(["own", "gpa"] as const)("a length spanning the run after the caller's is refused (that run: %s)", (neighbour) => {
    const heap = smallHeap();
    const p = heap.pageAllocator;
    const gpa = new GeneralPurposeAllocator({ heap, safety: false });
    gpa.allocator().rawAlloc(2 * PAGE); // the GPA's directory exists before the blocks below
    const mine = p.rawAlloc(2 * PAGE);
    const next = neighbour === "own" ? p.rawAlloc(2 * PAGE) : gpa.allocator().rawAlloc(2 * PAGE);
    expect(next).toBe(mine + 2 * PAGE);
    p.rawAlloc(PAGE); // the page after both: not a body page
    expectRejected(heap, () => p.rawFree(mine, 4 * PAGE), InvalidFreeError);
    expectRejected(heap, () => p.rawResize(mine, 4 * PAGE, 5 * PAGE), InvalidFreeError);
    p.rawFree(mine, 2 * PAGE);
  });

  it("pages the page allocator's user took are still theirs to free", () => {
    const heap = smallHeap();
    const ptr = heap.pageAllocator.rawAlloc(2 * PAGE);
    expect(heap.pageAllocator.rawResize(ptr, 2 * PAGE, PAGE)).toBe(true);
    heap.pageAllocator.rawFree(ptr, PAGE);
    heap.validate();
  });
});
