// The GPA's safety checks: double free, invalid free, a free or resize whose length or alignment
// differs from the allocation. Each throws its typed error and leaves the allocator exactly as it
// was (stats, live allocations, the bytes of every allocation), and validate() passes after.
// With safety on, new and freed memory reads 0xAA.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, DoubleFreeError, GeneralPurposeAllocator, InvalidFreeError, type GeneralPurposeAllocator as Gpa,
  type Heap,
} from "../src/index";
import { PAGE, smallHeap } from "./support/heaps";
import { FILL, MAX_SMALL, allBytes, freshGpa, snapshot } from "./support/gpa";
import { QUARANTINE_SLOTS } from "../bindings/abi.generated";

/**
 * Expects `call` to throw `errorClass` (matching `message` if given) and to change nothing: the
 * GPA's stats and live allocations, and the bytes of `guarded`, which is filled with 0x5C first.
 */
function expectRejected(
  heap: Heap, gpa: Gpa, call: () => unknown, errorClass: typeof InvalidFreeError | typeof DoubleFreeError,
  guarded: { ptr: number; len: number }[] = [], message?: RegExp,
): void {
  for (const { ptr, len } of guarded) heap.u8.fill(0x5c, ptr, ptr + len);
  const before = snapshot(gpa);
  expect(call).toThrow(errorClass);
  if (message !== undefined) expect(call).toThrow(message);
  expect(snapshot(gpa)).toEqual(before);
  for (const { ptr, len } of guarded) expect(allBytes(heap, ptr, len, 0x5c)).toBe(true);
  heap.validate();
}

describe("double free", () => {
  it("of a slot whose slab holds other live slots", () => {
    const { heap, gpa, a } = freshGpa();
    const x = a.rawAlloc(24);
    const y = a.rawAlloc(24);
    a.rawFree(x, 24);
    expectRejected(heap, gpa, () => a.rawFree(x, 24), DoubleFreeError, [{ ptr: y, len: 24 }]);
    a.rawFree(y, 24);
    expect(gpa.deinit()).toBe("ok");
  });

  it("of a view", () => {
    const { heap, gpa, a } = freshGpa();
    const keep = a.alloc("f64", 4);
    const xs = a.alloc("f64", 4);
    a.free(xs);
    expectRejected(heap, gpa, () => a.free(xs), DoubleFreeError, [{ ptr: keep.byteOffset, len: 32 }]);
  });

  it("of a slot whose slab was emptied and kept as the spare, and of one whose slab went back to the backing allocator", () => {
    const { heap, gpa, a } = freshGpa();
    const x = a.rawAlloc(8);
    const y = a.rawAlloc(500);
    const filler = Array.from({ length: QUARANTINE_SLOTS }, () => a.rawAlloc(64));
    a.rawFree(x, 8);
    a.rawFree(y, 500);
    // A full quarantine lets its oldest slots go: x's slab becomes the spare, y's goes back.
    for (const ptr of filler) a.rawFree(ptr, 64);
    expect(gpa.stats().sparePages).toBe(1);
    expectRejected(heap, gpa, () => a.rawFree(x, 8), DoubleFreeError);
    expectRejected(heap, gpa, () => a.rawFree(y, 500), DoubleFreeError);
  });

  it("of a large allocation, after its pages went back", () => {
    const { heap, gpa, a } = freshGpa();
    const big = a.alloc("u8", 100_000);
    a.free(big);
    expectRejected(heap, gpa, () => a.free(big), DoubleFreeError);
  });

  it("resize and realloc of freed memory are double frees too", () => {
    const { heap, gpa, a } = freshGpa();
    const keep = a.alloc("u8", 30);
    const xs = a.alloc("u8", 30);
    a.free(xs);
    expectRejected(heap, gpa, () => a.resize(xs, 20), DoubleFreeError);
    expectRejected(heap, gpa, () => a.realloc(xs, 2000), DoubleFreeError);
    expectRejected(heap, gpa, () => a.rawRemap(xs.byteOffset, 30, 31), DoubleFreeError);
    a.free(keep);
  });
});

describe("invalid free", () => {
  it("of an offset inside a slab that was never handed out", () => {
    const { heap, gpa, a } = freshGpa();
    const x = a.rawAlloc(24);
    expectRejected(heap, gpa, () => a.rawFree(x + 24 * 5, 24), InvalidFreeError, [{ ptr: x, len: 24 }]);
  });

  it("of interior pointers: inside a slot, inside a large allocation, past its first page", () => {
    const { heap, gpa, a } = freshGpa();
    const x = a.rawAlloc(100);
    const big = a.rawAlloc(3 * PAGE);
    const guarded = [{ ptr: x, len: 100 }, { ptr: big, len: 3 * PAGE }];
    for (const ptr of [x + 1, x + 8, x + 56, big + 16, big + PAGE, big + 2 * PAGE]) {
      expectRejected(heap, gpa, () => a.rawFree(ptr, 100), InvalidFreeError, guarded);
    }
    expectRejected(heap, gpa, () => a.rawResize(x + 8, 100, 90), InvalidFreeError, guarded);
  });

  it("of offsets this GPA never had: 0, the heap's metadata, the page allocator's pages", () => {
    const { heap, gpa, a } = freshGpa();
    const x = a.rawAlloc(64);
    const page = heap.pageAllocator.rawAlloc(PAGE);
    heap.u8.fill(0x11, page, page + PAGE);
    for (const ptr of [0, 8, 1024, page, page + 64]) {
      expectRejected(heap, gpa, () => a.rawFree(ptr, 64), InvalidFreeError, [{ ptr: x, len: 64 }], /not allocated by this GeneralPurposeAllocator/);
    }
    expect(allBytes(heap, page, PAGE, 0x11)).toBe(true);
  });

  it("of a view from another GPA on the same heap, and from an arena over this GPA", () => {
    const { heap, gpa, a } = freshGpa();
    const other = new GeneralPurposeAllocator({ heap }).allocator();
    const theirs = other.alloc("u8", 24);
    expectRejected(heap, gpa, () => a.free(theirs), InvalidFreeError, [{ ptr: theirs.byteOffset, len: 24 }]);
    const arena = new ArenaAllocator(a);
    const scratch = arena.allocator().alloc("u8", 24);
    expectRejected(heap, gpa, () => a.free(scratch), InvalidFreeError, [{ ptr: scratch.byteOffset, len: 24 }]);
    arena.deinit();
  });

  it("of a view from another heap", () => {
    const { heap, gpa, a } = freshGpa();
    const foreign = smallHeap().pageAllocator.alloc("u8", 16);
    expectRejected(heap, gpa, () => a.free(foreign), InvalidFreeError);
  });
});

describe("a free or resize with another length or alignment than the allocation's", () => {
  it("length: longer, shorter, a shortened view, and in resize", () => {
    const { heap, gpa, a } = freshGpa();
    const xs = a.alloc("u8", 50);
    const guarded = [{ ptr: xs.byteOffset, len: 50 }];
    expectRejected(heap, gpa, () => a.rawFree(xs.byteOffset, 51), InvalidFreeError, guarded, /length differs/);
    expectRejected(heap, gpa, () => a.rawFree(xs.byteOffset, 49), InvalidFreeError, guarded, /length differs/);
    expectRejected(heap, gpa, () => a.free(xs.subarray(0, 40)), InvalidFreeError, guarded, /length differs/);
    expectRejected(heap, gpa, () => a.resize(xs.subarray(0, 40), 45), InvalidFreeError, guarded, /length differs/);
    a.free(xs);
    expect(gpa.deinit()).toBe("ok");
  });

  it("length of a large allocation, even within the same page count", () => {
    const { heap, gpa, a } = freshGpa();
    const ptr = a.rawAlloc(MAX_SMALL + 100);
    expectRejected(heap, gpa, () => a.rawFree(ptr, MAX_SMALL + 99), InvalidFreeError, [], /length differs/);
    expectRejected(heap, gpa, () => a.rawResize(ptr, MAX_SMALL + 101, 50_000), InvalidFreeError, [], /length differs/);
    a.rawFree(ptr, MAX_SMALL + 100);
  });

  it("alignment, small and large; a view (whose alignment is not known) frees as allocated", () => {
    const { heap, gpa, a } = freshGpa();
    const small = a.rawAlloc(100, 16);
    const large = a.rawAlloc(100, 65536);
    const guarded = [{ ptr: small, len: 100 }, { ptr: large, len: 100 }];
    expectRejected(heap, gpa, () => a.rawFree(small, 100, 8), InvalidFreeError, guarded, /alignment differs/);
    expectRejected(heap, gpa, () => a.rawFree(small, 100, 32), InvalidFreeError, guarded, /alignment differs/);
    expectRejected(heap, gpa, () => a.rawFree(large, 100), InvalidFreeError, guarded, /alignment differs/);
    expectRejected(heap, gpa, () => a.rawResize(small, 100, 90, 8), InvalidFreeError, guarded, /alignment differs/);
    a.rawFree(small, 100, 16);
    const view = a.alloc("u8", 100, { align: 64 });
    a.free(view);
    a.rawFree(large, 100, 65536);
    expect(gpa.deinit()).toBe("ok");
  });
});

describe("0xAA: new and freed memory", () => {
  it("new slots and large blocks read 0xAA, also where the memory held other bytes before", () => {
    const { heap, a } = freshGpa();
    const first = a.alloc("u8", 300);
    const big = a.alloc("u8", 200_000);
    expect(first.every((b) => b === FILL) && big.every((b) => b === FILL)).toBe(true);
    first.fill(1);
    a.free(first);
    // Another class's first slab empties the quarantine, and first's slab, now empty, is reused.
    const again = a.alloc("u8", 5000);
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(again.every((b) => b === FILL)).toBe(true);
    heap.validate();
  });

  it("a freed slot reads 0xAA, all of it, while its slab lives", () => {
    const { heap, a } = freshGpa();
    const keep = a.rawAlloc(40);
    const gone = a.rawAlloc(40);
    heap.u8.fill(3, gone, gone + 40);
    a.rawFree(gone, 40);
    expect(allBytes(heap, gone, 40, FILL)).toBe(true);
    a.rawFree(keep, 40);
  });

  it("resize fills the tail it gives back and the bytes it adds; realloc's new bytes read 0xAA", () => {
    const { heap, a } = freshGpa();
    const ptr = a.rawAlloc(60); // class 64
    heap.u8.fill(7, ptr, ptr + 60);
    expect(a.rawResize(ptr, 60, 57)).toBe(true);
    expect(allBytes(heap, ptr, 57, 7) && allBytes(heap, ptr + 57, 3, FILL)).toBe(true);
    expect(a.rawResize(ptr, 57, 64)).toBe(true);
    expect(allBytes(heap, ptr + 57, 7, FILL)).toBe(true);
    const view = a.realloc(heap.u8.subarray(ptr, ptr + 64), 1000);
    expect(view.subarray(0, 57).every((b) => b === 7) && view.subarray(64).every((b) => b === FILL)).toBe(true);
    a.free(view);
  });

  it("a large allocation shrunk in place fills the rest of the page it keeps, and gives the other pages back untouched", () => {
    const { heap, a } = freshGpa();
    a.rawFree(a.rawAlloc(PAGE), PAGE); // the GPA's directory, out of the way
    const ptr = a.rawAlloc(3 * PAGE);
    const above = heap.pageAllocator.rawAlloc(PAGE);
    const inUse = heap.stats().pagesInUseBytes;
    heap.u8.fill(9, ptr, ptr + 3 * PAGE);
    expect(a.rawResize(ptr, 3 * PAGE, PAGE + 100)).toBe(true);
    expect(heap.stats().pagesInUseBytes).toBe(inUse - PAGE);
    expect(allBytes(heap, ptr, PAGE + 100, 9) && allBytes(heap, ptr + PAGE + 100, PAGE - 100, FILL)).toBe(true);
    heap.validate();
    a.rawFree(ptr, PAGE + 100);
    heap.pageAllocator.rawFree(above, PAGE);
    heap.validate();
  });

  it("with safety off nothing is filled: a reused slot keeps the old bytes past its free-list link", () => {
    const { heap, a } = freshGpa({ safety: false });
    const keep = a.rawAlloc(40);
    const ptr = a.rawAlloc(40);
    heap.u8.fill(3, ptr, ptr + 40);
    a.rawFree(ptr, 40);
    expect(a.rawAlloc(40)).toBe(ptr);
    expect(allBytes(heap, ptr + 4, 36, 3)).toBe(true);
    a.rawFree(keep, 40);
  });
});
