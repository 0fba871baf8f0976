// StackFallbackAllocator: Zig's std.heap.StackFallbackAllocator, a fixed buffer taken from the
// fallback allocator first, then the fallback; Zig's test (the generic checks over
// stackFallback(4096, …)) and the routing of every call to the allocator that owns the memory.

import { describe, expect, it } from "vitest";
import {
  AllocatorDeinitializedError, ArenaAllocator, FailingAllocator, GeneralPurposeAllocator, Heap, InvalidFreeError, OutOfMemoryError,
  StackFallbackAllocator, stackFallback, type Allocator,
} from "../src/index";
import { expectRejected, PAGE, smallHeap } from "./support/heaps";
import { freshGpa } from "./support/gpa";
import { defineAllocatorChecks } from "./support/allocator-checks";

/** A stack fallback of `bytes` over a fresh GPA, and where its buffer lies. */
function onGpa(bytes = 256) {
  const { heap, gpa, a: fallback } = freshGpa();
  const sf = stackFallback(bytes, fallback);
  const a = sf.get();
  // The buffer is the GPA's one live allocation.
  const [buffer] = gpa.leaks();
  return { heap, gpa, fallback, sf, a, start: buffer.ptr, end: buffer.ptr + bytes };
}

const inside = (view: ArrayBufferView, start: number, end: number) => view.byteOffset >= start && view.byteOffset + view.byteLength <= end;

describe("StackFallbackAllocator: Zig's test, the generic checks over stackFallback(4096, a GPA)", () => {
  defineAllocatorChecks(() => {
    const { gpa, sf, a } = onGpa(4096);
    return { allocator: a, done: () => { sf.deinit(); expect(gpa.deinit()).toBe("ok"); } };
  });
});

describe("StackFallbackAllocator: the buffer first, then the fallback", () => {
  it("takes its buffer from the fallback once; allocations go there while it has room", () => {
    const { gpa, a, start, end } = onGpa(256);
    expect(gpa.leaks()).toHaveLength(1);
    const x = a.alloc("f64", 16);
    const y = a.alloc("u8", 100);
    expect(x.byteOffset).toBe(start);
    expect(inside(x, start, end) && inside(y, start, end)).toBe(true);
    expect(gpa.leaks()).toHaveLength(1);
  });

  it("an allocation that does not fit comes from the fallback; later small ones still use the buffer", () => {
    const { gpa, a, start, end } = onGpa(256);
    const big = a.alloc("f64", 100);
    expect(inside(big, start, end)).toBe(false);
    expect(gpa.leaks()).toHaveLength(2);
    const small = a.alloc("u8", 8);
    expect(inside(small, start, end)).toBe(true);
    a.free(big);
    expect(gpa.leaks()).toHaveLength(1);
  });

  it("allocator() and get() are the same Allocator, every time", () => {
    const { sf, a } = onGpa();
    expect(sf.allocator()).toBe(a);
    expect(sf.get()).toBe(a);
  });

  it("free and resize of buffer memory act on the buffer's last allocation, as a fixed buffer's do", () => {
    const { a, start } = onGpa(256);
    const x = a.alloc("u8", 16);
    const y = a.alloc("u8", 16);
    expect(a.resize(x, 32)).toBeNull();                // not the last allocation
    const grown = a.resize(y, 64)!;
    expect(grown.byteOffset).toBe(start + 16);
    a.free(grown);
    expect(a.alloc("u8", 1).byteOffset).toBe(start + 16); // the free rolled the buffer back
  });

  it("free, resize and remap of fallback memory go to the fallback", () => {
    const { gpa, a, start, end } = onGpa(64);
    const ptr = a.rawAlloc(40000, 8);               // a large allocation: pages of its own
    expect(ptr >= start && ptr < end).toBe(false);
    expect(a.rawResize(ptr, 40000, 39000, 8)).toBe(true);
    expect(a.rawRemap(ptr, 39000, 38000, 8)).toBe(ptr);
    expect(gpa.totalRequestedBytes).toBe(64 + 38000);
    a.rawFree(ptr, 38000, 8);
    expect(gpa.totalRequestedBytes).toBe(64);
  });

  it("realloc moves buffer memory that outgrows the buffer into the fallback, contents kept", () => {
    const { a, start, end, gpa } = onGpa(64);
    a.alloc("u8", 1);
    const xs = a.dupe("i32", [1, 2, 3, 4]);
    const grown = a.realloc(xs, 100);
    expect(inside(grown, start, end)).toBe(false);
    expect([...grown.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    a.free(grown);
    expect(gpa.leaks()).toHaveLength(1);
  });

  it("a realloc that moves tries the buffer first, as Zig's does: fallback memory may move into the buffer", () => {
    const { a, start, end, gpa } = onGpa(256);
    const xs = a.alloc("u8", 300);                    // too big for the buffer: the GPA's
    xs.fill(7);
    const shrunk = a.realloc(xs, 100);               // another size class: the GPA cannot shrink it in place
    expect(inside(shrunk, start, end)).toBe(true);
    expect(shrunk.every((x) => x === 7)).toBe(true);
    expect(gpa.leaks()).toHaveLength(1);
  });

  it("the raw path and { zero: true } work in the buffer as anywhere", () => {
    const { heap, a, start, end } = onGpa(256);
    const ptr = a.rawAlloc(16, 16);
    expect(ptr >= start && ptr + 16 <= end && ptr % 16 === 0).toBe(true);
    heap.u8.fill(0xff, ptr, ptr + 16);
    a.rawFree(ptr, 16, 16);
    const zeroed = a.alloc("u32", 4, { zero: true });
    expect(zeroed.byteOffset).toBe(ptr);
    expect([...zeroed]).toEqual([0, 0, 0, 0]);
  });
});

describe("StackFallbackAllocator: deinit", () => {
  it("deinit() gives the buffer back to the fallback; later calls are AllocatorDeinitializedError", () => {
    const { gpa, sf, a, heap } = onGpa(256);
    a.alloc("u8", 8);
    sf.deinit();
    expect(gpa.leaks()).toHaveLength(0);
    expectRejected(heap, () => a.alloc("u8", 8), AllocatorDeinitializedError);
    expectRejected(heap, () => a.rawFree(8, 8), AllocatorDeinitializedError);
    expectRejected(heap, () => sf.deinit(), AllocatorDeinitializedError);
    expect(gpa.deinit()).toBe("ok");
  });

  it("`using` ends it at the end of the scope", () => {
    const { gpa, a: fallback } = freshGpa();
    {
      using sf = new StackFallbackAllocator(128, fallback);
      sf.get().alloc("f64", 4);
    }
    expect(gpa.deinit()).toBe("ok");
  });

  it("once the fallback has ended, even the buffer refuses: AllocatorDeinitializedError", () => {
    const { heap, a: fallback } = freshGpa();
    const arena = new ArenaAllocator(fallback);
    const a = stackFallback(256, arena.allocator()).get();
    arena.deinit();
    expectRejected(heap, () => a.alloc("u8", 8), AllocatorDeinitializedError);
    expectRejected(heap, () => a.rawAlloc(8), AllocatorDeinitializedError);
  });
});

describe("StackFallbackAllocator: out of memory", () => {
  it("when neither the buffer nor the fallback has room: OutOfMemoryError (rawAlloc 0), and it stays usable", () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 1 << 20 });
    const sf = stackFallback(256, heap.pageAllocator);
    const a = sf.get();
    const inUse = heap.stats().pagesInUseBytes;     // the buffer's page, and the fixed buffer's record
    expectRejected(heap, () => a.alloc("u8", 2 << 20), OutOfMemoryError);
    expect(a.rawAlloc(2 << 20)).toBe(0);
    a.free(a.alloc("u8", 100));
    a.free(a.alloc("u8", PAGE));
    sf.deinit();
    heap.validate();
    expect(heap.stats().pagesInUseBytes).toBe(inUse - PAGE);
  });

  it("a fallback without room for the buffer: the constructor throws OutOfMemoryError and holds nothing", () => {
    const { heap, gpa, a: fallback } = freshGpa();
    gpa.memoryLimit = 100;
    expectRejected(heap, () => stackFallback(256, fallback), OutOfMemoryError);
    const failing = new FailingAllocator(fallback, { failIndex: 0 });
    expectRejected(heap, () => stackFallback(64, failing.allocator()), OutOfMemoryError);
    expect(gpa.deinit()).toBe("ok");
  });
});

describe("StackFallbackAllocator: bad input and what it cannot be", () => {
  it("a size that is not a whole number of at least 1 byte is a RangeError; a fallback that is no Allocator a TypeError", () => {
    const { heap, gpa, a: fallback } = freshGpa();
    for (const bytes of [0, -1, 1.5, NaN, Infinity, "8", 8n]) {
      expectRejected(heap, () => stackFallback(bytes as number, fallback), RangeError);
    }
    expectRejected(heap, () => stackFallback(64, { heap } as unknown as Allocator), TypeError);
    expectRejected(heap, () => stackFallback(64, undefined as never), TypeError);
    expect(gpa.deinit()).toBe("ok");
  });

  it("bad arguments to its allocator are the library's typed errors and change nothing", () => {
    const { heap, a, gpa } = onGpa(256);
    expectRejected(heap, () => a.alloc("u8", -1), RangeError);
    expectRejected(heap, () => a.alloc("nope" as never, 1), TypeError);
    expectRejected(heap, () => a.alloc("u8", 1, { align: 6 }), RangeError);
    expectRejected(heap, () => a.rawAlloc(8, 3), RangeError);
    expectRejected(heap, () => a.rawFree(-1, 8), RangeError);
    expectRejected(heap, () => a.free({} as never), TypeError);
    expect(gpa.leaks()).toHaveLength(1);
    expect(a.alloc("u8", 1)).toHaveLength(1);
  });

  it("backs an arena and a GPA (through a record of its own, its handle): the buffer first, then the fallback", () => {
    const { heap, a, gpa } = onGpa();
    expect(a.handle).toBeGreaterThan(0);
    const arena = new ArenaAllocator(a);
    const xs = arena.allocator().alloc("u8", 10_000);
    xs.fill(3);
    expect(gpa.leaks().length).toBeGreaterThan(0);                 // the arena's chunk, from the fallback
    arena.deinit();
    const inner = new GeneralPurposeAllocator({ backing: a, safety: false });
    inner.allocator().free(inner.allocator().alloc("u8", 8));
    expect(inner.deinit()).toBe("ok");
    heap.validate();
  });

  it("a view from another heap is neither the buffer's nor the fallback's: InvalidFreeError", () => {
    const { heap, a } = onGpa();
    const other = smallHeap().pageAllocator.alloc("u8", 8);
    expectRejected(heap, () => a.free(other), InvalidFreeError);
    expectRejected(heap, () => a.resize(other, 4), InvalidFreeError);
  });
});
