// FailingAllocator: Zig's std.testing.FailingAllocator over any allocator of this library, its
// tests ported, its counts, and what an allocator written in TypeScript can and cannot be.

import { describe, expect, it } from "vitest";
import {
  AllocatorDeinitializedError, ArenaAllocator, DoubleFreeError, FailingAllocator, FixedBufferAllocator, GeneralPurposeAllocator, Heap,
  DetachedViewError, InvalidFreeError, OutOfMemoryError, type Allocator,
} from "../src/index";
import { expectRejected, MiB, PAGE, smallHeap } from "./support/heaps";
import { freshGpa } from "./support/gpa";
import { defineAllocatorChecks } from "./support/allocator-checks";

function failingOnGpa(config?: { failIndex?: number; resizeFailIndex?: number }) {
  const { heap, gpa, a: backing } = freshGpa();
  const failing = new FailingAllocator(backing, config);
  return { heap, gpa, backing, failing, a: failing.allocator() };
}

describe("FailingAllocator: Zig's tests", () => {
  it("fail on allocation: with failIndex 2, two creates succeed and the third is OutOfMemoryError", () => {
    const { heap, gpa, failing, a } = failingOnGpa({ failIndex: 2 });
    const x = a.create("i32");
    const y = a.create("i32");
    expect(() => a.create("i32")).toThrow(OutOfMemoryError);
    a.destroy(y);
    a.destroy(x);
    expect(failing.hasInducedFailure).toBe(true);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("fail on resize: with resizeFailIndex 1, one remap succeeds, then remap and resize fail", () => {
    const { heap, gpa, a } = failingOnGpa({ resizeFailIndex: 1 });
    const ptr = a.rawAlloc(8, 1);
    expect(a.rawRemap(ptr, 8, 6, 1)).toBe(ptr);
    expect(a.rawRemap(ptr, 6, 4, 1)).toBe(0);
    expect(a.rawResize(ptr, 6, 4, 1)).toBe(false);
    a.rawFree(ptr, 6, 1);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });
});

describe("FailingAllocator: failing", () => {
  it("every allocation after failIndex fails too, as Zig's alloc_index stays at fail_index", () => {
    const { a, failing } = failingOnGpa({ failIndex: 1 });
    const x = a.alloc("u8", 4);
    expect(() => a.alloc("u8", 4)).toThrow(OutOfMemoryError);
    expect(() => a.dupe("f64", [1, 2])).toThrow(OutOfMemoryError);
    expect(a.rawAlloc(16)).toBe(0);
    expect(failing.allocations).toBe(1);
    a.free(x);
  });

  it("the raw path reports the induced failure as rawAlloc 0, the view path as OutOfMemoryError", () => {
    const { a, failing, heap } = failingOnGpa({ failIndex: 0 });
    expect(a.rawAlloc(32, 8)).toBe(0);
    expect(failing.hasInducedFailure).toBe(true);
    expect(() => a.alloc("i32", 8)).toThrow(OutOfMemoryError);
    expect(a.rawRealloc(8, 0, 16)).toBe(0);
    heap.validate();
  });

  it("zero-length allocations touch nothing, never fail and count for nothing", () => {
    const { a, failing } = failingOnGpa({ failIndex: 0 });
    expect(a.alloc("f64", 0).length).toBe(0);
    expect(a.rawAlloc(0, 16)).toBe(16);
    a.free(a.alloc("u8", 0));
    expect(failing.hasInducedFailure).toBe(false);
    expect([failing.allocations, failing.deallocations, failing.allocatedBytes, failing.freedBytes]).toEqual([0, 0, 0, 0]);
  });

  it("a realloc that must move allocates through the FailingAllocator: failing it leaves the old view intact", () => {
    const { a, failing, gpa } = failingOnGpa({ failIndex: 1, resizeFailIndex: 0 });
    const xs = a.dupe("i32", [1, 2, 3]);
    expect(() => a.realloc(xs, 1000)).toThrow(OutOfMemoryError);
    expect([...xs]).toEqual([1, 2, 3]);
    a.free(xs);
    expect([failing.allocations, failing.deallocations]).toEqual([1, 1]);
    expect(gpa.deinit()).toBe("ok");
  });

  it("with resizes failing, realloc still succeeds by moving: alloc, copy, free", () => {
    const { a, failing, gpa } = failingOnGpa({ resizeFailIndex: 0 });
    const xs = a.dupe("i32", [1, 2, 3]);
    const grown = a.realloc(xs, 4);
    expect([...grown.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(grown.byteOffset).not.toBe(xs.byteOffset);
    a.free(grown);
    expect([failing.allocations, failing.deallocations, failing.allocatedBytes, failing.freedBytes]).toEqual([2, 2, 28, 28]);
    expect(gpa.deinit()).toBe("ok");
  });

  it("resizes to and from 0 never fail: to 0 is a free, as in Zig", () => {
    const { a, failing } = failingOnGpa({ resizeFailIndex: 0 });
    const xs = a.alloc("u8", 10);
    expect(a.resize(xs, 5)).toBeNull();
    expect(a.resize(xs, 0)!.length).toBe(0);
    expect(a.resize(new Uint8Array(0), 0)!.length).toBe(0);
    expect([failing.deallocations, failing.freedBytes]).toEqual([1, 10]);
    const ptr = a.rawAlloc(10);
    expect(a.rawResize(ptr, 10, 0)).toBe(true);
    expect([failing.allocations, failing.deallocations]).toEqual([2, 2]);
  });
});

describe("FailingAllocator: counts", () => {
  it("counts allocations, frees and their bytes; resizes add to allocated or freed bytes", () => {
    const { a, failing, gpa } = failingOnGpa();
    const x = a.alloc("f64", 4);
    const ptr = a.rawAlloc(100, 16);
    expect([failing.allocations, failing.allocatedBytes]).toEqual([2, 132]);
    const grown = a.rawResize(ptr, 100, 120, 16);
    const shrunk = a.resize(x, 2);
    expect(failing.allocatedBytes).toBe(132 + (grown ? 20 : 0));
    expect(failing.freedBytes).toBe(shrunk === null ? 0 : 16);
    a.free(shrunk ?? x);
    a.rawFree(ptr, grown ? 120 : 100, 16);
    expect(failing.deallocations).toBe(2);
    expect(failing.allocatedBytes).toBe(failing.freedBytes);
    expect(failing.hasInducedFailure).toBe(false);
    expect(gpa.deinit()).toBe("ok");
  });

  it("a failure of the backing allocator itself is passed on and counted as nothing", () => {
    const heap = smallHeap({ maximumBytes: 1 << 20 });
    const failing = new FailingAllocator(heap.pageAllocator);
    const a = failing.allocator();
    expect(() => a.alloc("u8", 2 << 20)).toThrow(OutOfMemoryError);
    expect(a.rawAlloc(2 << 20)).toBe(0);
    expect([failing.allocations, failing.hasInducedFailure]).toEqual([0, false]);
    heap.validate();
  });

  it("a misuse the backing allocator reports surfaces unchanged and is not counted", () => {
    const { a, failing, heap } = failingOnGpa();
    const x = a.alloc("u8", 8);
    a.free(x);
    expectRejected(heap, () => a.free(x), DoubleFreeError);
    expect(failing.deallocations).toBe(1);
    expectRejected(heap, () => a.free(smallHeap().pageAllocator.alloc("u8", 8)), InvalidFreeError);
  });
});

describe("FailingAllocator: bad input", () => {
  it("a backing that is not an Allocator, or a bad config, is a TypeError or RangeError at the constructor", () => {
    const { backing } = failingOnGpa();
    expect(() => new FailingAllocator({} as Allocator)).toThrow(TypeError);
    expect(() => new FailingAllocator(backing, null as never)).toThrow(TypeError);
    for (const failIndex of [-1, 1.5, NaN, "2", 2n]) {
      expect(() => new FailingAllocator(backing, { failIndex: failIndex as number })).toThrow(RangeError);
      expect(() => new FailingAllocator(backing, { resizeFailIndex: failIndex as number })).toThrow(RangeError);
    }
    expect(new FailingAllocator(backing, { failIndex: 0 }).failIndex).toBe(0);
    expect(new FailingAllocator(backing).resizeFailIndex).toBe(Infinity);
  });

  it("bad arguments are the library's typed errors, even at the failing index, and count for nothing", () => {
    const { a, failing, heap } = failingOnGpa({ failIndex: 0, resizeFailIndex: 0 });
    expectRejected(heap, () => a.alloc("nope" as never, 1), TypeError);
    expectRejected(heap, () => a.alloc("u8", -1), RangeError);
    expectRejected(heap, () => a.alloc("u8", 1, { align: 3 }), RangeError);
    expectRejected(heap, () => a.rawAlloc(1.5), RangeError);
    expectRejected(heap, () => a.rawResize(-8, 8, 16), RangeError);
    expectRejected(heap, () => a.rawRemap(8, 8, NaN), RangeError);
    expectRejected(heap, () => a.rawRealloc(8, 8, 16, 6), RangeError);
    expectRejected(heap, () => a.free(new DataView(new ArrayBuffer(8)) as never), TypeError);
    expectRejected(heap, () => a.resize({ length: 1 } as never, 1), TypeError);
    expectRejected(heap, () => a.destroy(new Uint8Array(2)), RangeError);
    expectRejected(heap, () => a.dupe("u8", 5 as never), TypeError);
    expect(failing.hasInducedFailure).toBe(false);
  });
});

describe("FailingAllocator: an allocator written in TypeScript", () => {
  it("has a handle once asked, the same each time: the record through which WebAssembly calls it", () => {
    const { a, heap } = failingOnGpa();
    expect(a.handle).toBeGreaterThan(0);
    expect(a.handle).toBe(a.handle);
    heap.validate();
  });

  it("backs an arena and a GPA: their backing calls go through it, counted and failed as its own", () => {
    const { backing, heap } = failingOnGpa();
    const failing = new FailingAllocator(backing, { failIndex: 1, resizeFailIndex: 0 });
    const arena = new ArenaAllocator(failing.allocator());
    arena.allocator().alloc("u8", 100);
    expect(failing.allocations).toBe(1);
    expect(() => arena.allocator().alloc("u8", arena.queryCapacity())).toThrow(OutOfMemoryError);
    expect(failing.hasInducedFailure).toBe(true);
    arena.deinit();
    expect(failing.deallocations).toBe(1);
    expect(failing.freedBytes).toBe(failing.allocatedBytes);
    const gpa = new GeneralPurposeAllocator({ backing: new FailingAllocator(backing, { failIndex: 0 }).allocator() });
    expectRejected(heap, () => gpa.allocator().alloc("u8", 8), OutOfMemoryError);
    expect(gpa.deinit()).toBe("ok");
    expectRejected(heap, () => new FixedBufferAllocator(failing.allocator() as never), TypeError); // it takes a buffer, not an allocator
  });

  it("can hand a FixedBufferAllocator its buffer", () => {
    const { a, failing, heap } = failingOnGpa();
    const buffer = a.alloc("u8", 64);
    const fba = new FixedBufferAllocator(buffer);
    expect(fba.ownsSlice(fba.allocator().alloc("f64", 8))).toBe(true);
    expect(() => fba.allocator().alloc("u8", 1)).toThrow(OutOfMemoryError);
    a.free(buffer);
    expect(failing.allocatedBytes).toBe(failing.freedBytes);
    heap.validate();
  });

  it("can wrap another FailingAllocator: the outer one fails first", () => {
    const { backing } = failingOnGpa();
    const inner = new FailingAllocator(backing, { failIndex: 3 });
    const outer = new FailingAllocator(inner.allocator(), { failIndex: 1 });
    const x = outer.allocator().alloc("u8", 1);
    expect(() => outer.allocator().alloc("u8", 1)).toThrow(OutOfMemoryError);
    expect([outer.hasInducedFailure, inner.hasInducedFailure]).toEqual([true, false]);
    outer.allocator().free(x);
  });

  it("is ended with its backing: after the backing's deinit() every call is AllocatorDeinitializedError", () => {
    const { a, gpa, heap } = failingOnGpa({ failIndex: 0 });
    gpa.deinit();
    expectRejected(heap, () => a.alloc("u8", 4), AllocatorDeinitializedError);
    expectRejected(heap, () => a.rawAlloc(4), AllocatorDeinitializedError);
  });
});

describe("FailingAllocator under \"plain\", where growth detaches views", () => {
  const plainHeap = () => Heap.create({ initialBytes: PAGE, maximumBytes: 64 * MiB, viewStrategy: "plain" });

  it("a realloc that moves and grows memory copies from the old memory and frees it, though the old view detached", () => {
    const heap = plainHeap();
    const failing = new FailingAllocator(heap.pageAllocator, { resizeFailIndex: 0 });
    const a = failing.allocator();
    const xs = a.dupe("i32", [1, 2, 3]);
    const grown = a.realloc(xs, 4 * PAGE);
    expect(xs.byteLength).toBe(0);                      // detached by the growth
    expect([...grown.subarray(0, 3)]).toEqual([1, 2, 3]);
    a.free(grown);
    expect([failing.allocations, failing.deallocations]).toEqual([2, 2]);
    expect(failing.allocatedBytes).toBe(failing.freedBytes);
    heap.validate();
  });

  it("dupe of a source on the heap that its own allocation detached copies the source's elements", () => {
    const heap = plainHeap();
    const a = new FailingAllocator(heap.pageAllocator).allocator();
    const source = heap.pageAllocator.alloc("f64", PAGE / 2);  // 4 pages
    source.forEach((_, i) => { source[i] = i + 0.5; });
    const copy = a.dupe("f64", source);                  // 4 more pages: memory grows
    expect(source.byteLength).toBe(0);                   // detached by the dupe's own allocation
    expect(copy[0]).toBe(0.5);
    expect(copy[PAGE / 2 - 1]).toBe(PAGE / 2 - 0.5);
    expectRejected(heap, () => a.dupe("f64", source), DetachedViewError);
    a.free(copy);
  });
});

describe("FailingAllocator that fails nothing: Zig's generic allocator checks", () => {
  defineAllocatorChecks(() => {
    const { gpa, a } = failingOnGpa();
    return { allocator: a, done: () => expect(gpa.deinit()).toBe("ok") };
  });
});
