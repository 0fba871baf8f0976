// withArena: a scratch arena for the length of a call, deinitialized in every case.

import { describe, expect, it } from "vitest";
import { AllocatorDeinitializedError, ArenaAllocator, withArena, type Allocator } from "../src/index";
import { PAGE, smallHeap } from "./support/heaps";

describe("withArena", () => {
  it("returns what the body returns and deinitializes the arena afterwards", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    let seen: ArenaAllocator | undefined;
    const result = withArena(heap.pageAllocator, (alloc, arena) => {
      expect(arena).toBeInstanceOf(ArenaAllocator);
      expect(alloc).toBe(arena.allocator());
      seen = arena;
      alloc.alloc("u8", 3 * PAGE).fill(1);
      return 42;
    });
    expect(result).toBe(42);
    expect(() => seen!.queryCapacity()).toThrow(AllocatorDeinitializedError);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });

  it("rethrows what the body throws and deinitializes the arena", () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const boom = new Error("boom");
    let seen: ArenaAllocator | undefined;
    expect(() => withArena(heap.pageAllocator, (alloc, arena) => {
      seen = arena;
      alloc.alloc("f64", 10_000);
      throw boom;
    })).toThrow(boom);
    expect(() => seen!.allocator().alloc("u8", 1)).toThrow(AllocatorDeinitializedError);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });

  it("with an async body, the arena lives until the promise resolves, then is deinitialized", async () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    let seen: ArenaAllocator | undefined;
    const promise = withArena(heap.pageAllocator, async (alloc, arena) => {
      seen = arena;
      const first = alloc.dupe("i32", [1, 2, 3]);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const second = alloc.alloc("i32", 3);
      second.set(first);
      return [...second];
    });
    expect(promise).toBeInstanceOf(Promise);
    expect(seen!.queryCapacity(), "alive while the body runs").toBeGreaterThan(0);
    await expect(promise).resolves.toEqual([1, 2, 3]);
    expect(() => seen!.queryCapacity()).toThrow(AllocatorDeinitializedError);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });

  it("with an async body that rejects, the promise rejects with the same error and the arena is deinitialized", async () => {
    const heap = smallHeap();
    const inUse = heap.stats().pagesInUseBytes;
    const boom = new Error("async boom");
    let seen: ArenaAllocator | undefined;
    const promise = withArena(heap.pageAllocator, async (alloc, arena) => {
      seen = arena;
      alloc.alloc("u8", 2 * PAGE);
      await Promise.resolve();
      throw boom;
    });
    await expect(promise).rejects.toBe(boom);
    expect(() => seen!.queryCapacity()).toThrow(AllocatorDeinitializedError);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  });

  it("accepts any thenable the body returns", async () => {
    const heap = smallHeap();
    let seen: ArenaAllocator | undefined;
    // A promise-like from elsewhere (another promise library), not a native Promise.
    const thenable: PromiseLike<string> = {
      then: (onFulfilled, onRejected) => Promise.resolve("done").then(onFulfilled, onRejected),
    };
    const result = withArena(heap.pageAllocator, (_alloc, arena) => {
      seen = arena;
      return thenable;
    });
    await expect(result).resolves.toBe("done");
    expect(() => seen!.queryCapacity()).toThrow(AllocatorDeinitializedError);
  });

  it("the two-allocator pattern: the result lives in the backing allocator and outlives the arena", () => {
    const heap = smallHeap();
    const backing = new ArenaAllocator(heap.pageAllocator).allocator();
    function computeResult(b: Allocator, input: Int32Array): Int32Array {
      return withArena(b, (scratch) => {
        const temp = scratch.alloc("i32", input.length);
        for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
        const result = b.alloc("i32", input.length);
        result.set(temp);
        return result;
      });
    }
    const input = Int32Array.from({ length: 1000 }, (_, i) => i);
    const result = computeResult(backing, input);
    // Overwrite whatever the scratch arena held; the result must not change.
    backing.alloc("i32", 100_000).fill(-1);
    expect(result[0]).toBe(0);
    expect(result[999]).toBe(1998);
    heap.validate();
  });

  it("nests: an inner withArena over the outer arena's allocator", () => {
    const heap = smallHeap();
    const total = withArena(heap.pageAllocator, (outer) => {
      const xs = outer.dupe("f64", [1, 2, 3]);
      return withArena(outer, (inner) => {
        const ys = inner.dupe("f64", xs);
        return ys.reduce((s, x) => s + x, 0);
      });
    });
    expect(total).toBe(6);
    heap.validate();
  });

  it("over a deinitialized backing allocator it throws AllocatorDeinitializedError without calling the body", () => {
    const heap = smallHeap();
    const dead = new ArenaAllocator(heap.pageAllocator);
    dead.deinit();
    let called = false;
    expect(() => withArena(dead.allocator(), () => { called = true; })).toThrow(AllocatorDeinitializedError);
    expect(called).toBe(false);
  });
});
