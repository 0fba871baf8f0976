// checkAllocationFailures: Zig's std.testing.checkAllAllocationFailures, its documented example and
// its test ported, and each of its findings (a leak, a swallowed OutOfMemoryError, allocations that
// differ between runs) as an AllocationFailureCheckError naming the run.

import { describe, expect, it } from "vitest";
import {
  AllocationFailureCheckError, checkAllocationFailures, OutOfMemoryError, type Allocator,
} from "../src/index";
import { freshGpa } from "./support/gpa";
import { arenaOnPages } from "./support/heaps";

/** What `fn` throws, which must be an AllocationFailureCheckError. */
function finding(fn: () => void): AllocationFailureCheckError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AllocationFailureCheckError);
    return error as AllocationFailureCheckError;
  }
  throw new Error("expected an AllocationFailureCheckError");
}

/** Zig's doc example: foo leaks when the allocation of bar fails. */
function leaksFooWhenBarFails(a: Allocator, length: number): void {
  const foo = a.alloc("u8", length);
  const bar = a.alloc("u8", length);
  a.free(foo);
  a.free(bar);
}

/** The fix Zig's doc gives: each allocation freed on every path (defer). */
function freesOnEveryPath(a: Allocator, lengths: { foo: number; bar: number }): void {
  const foo = a.alloc("u8", lengths.foo);
  try {
    const bar = a.alloc("u8", lengths.bar);
    a.free(bar);
  } finally {
    a.free(foo);
  }
}

describe("checkAllocationFailures: Zig's example and test", () => {
  it("the doc example leaks foo when bar fails: MEMORY_LEAK_DETECTED in the run failing allocation 1", () => {
    const { a, gpa } = freshGpa();
    const error = finding(() => checkAllocationFailures(a, (alloc) => leaksFooWhenBarFails(alloc, 10)));
    expect(error.code).toBe("MEMORY_LEAK_DETECTED");
    expect([error.failIndex, error.allocationCount]).toEqual([1, 2]);
    expect(error.counts).toEqual({ allocations: 1, deallocations: 0, allocatedBytes: 10, freedBytes: 0 });
    expect(error.cause).toBeInstanceOf(OutOfMemoryError);
    expect(error.message).toMatch(/allocation 1 of 2 .*MemoryLeakDetected/);
    expect(gpa.leaks()).toHaveLength(1);               // the leak is real
  });

  it("freed on every path, it passes; the arguments Zig passes as extra_args are closed over", () => {
    const { a, gpa } = freshGpa();
    checkAllocationFailures(a, (alloc) => freesOnEveryPath(alloc, { foo: 3, bar: 5 }));
    expect(gpa.deinit()).toBe("ok");
  });
});

describe("checkAllocationFailures: the runs", () => {
  it("runs the callback once to count allocations, then once per allocation, failing each in turn", () => {
    const { a, gpa } = freshGpa();
    const reached: number[] = [];
    checkAllocationFailures(a, (alloc) => {
      const views = [];
      try {
        for (let i = 0; i < 4; i++) {
          views.push(alloc.alloc("u32", 2));
          reached.push(i);
        }
      } finally {
        for (const view of views) alloc.free(view);
      }
    });
    // First run: 4 allocations; then the runs failing allocation 0, 1, 2 and 3.
    expect(reached).toEqual([0, 1, 2, 3, 0, 0, 1, 0, 1, 2]);
    expect(gpa.deinit()).toBe("ok");
  });

  it("a callback that allocates nothing runs once", () => {
    const { a } = freshGpa();
    let runs = 0;
    checkAllocationFailures(a, () => { runs++; });
    expect(runs).toBe(1);
  });

  it("a raw-path callback that turns rawAlloc's 0 into OutOfMemoryError passes", () => {
    const { a, gpa } = freshGpa();
    checkAllocationFailures(a, (alloc) => {
      const ptr = alloc.rawAlloc(64, 16);
      if (ptr === 0) throw new OutOfMemoryError(64);
      try {
        const moved = alloc.rawRealloc(ptr, 64, 100000, 16);
        if (moved === 0) throw new OutOfMemoryError(100000);
        alloc.rawFree(moved, 100000, 16);
      } catch (error) {
        alloc.rawFree(ptr, 64, 16);
        throw error;
      }
    });
    expect(gpa.deinit()).toBe("ok");
  });
});

describe("checkAllocationFailures: findings", () => {
  it("a callback that catches the OutOfMemoryError and returns: SWALLOWED_OUT_OF_MEMORY", () => {
    const { a } = freshGpa();
    const error = finding(() => checkAllocationFailures(a, (alloc) => {
      try {
        alloc.free(alloc.alloc("f64", 4));
      } catch {
        // swallowed
      }
    }));
    expect(error.code).toBe("SWALLOWED_OUT_OF_MEMORY");
    expect(error.failIndex).toBe(0);
    expect(error.message).toMatch(/SwallowedOutOfMemoryError/);
  });

  it("a raw-path callback that ignores rawAlloc's 0: SWALLOWED_OUT_OF_MEMORY", () => {
    const { a } = freshGpa();
    const error = finding(() => checkAllocationFailures(a, (alloc) => {
      const ptr = alloc.rawAlloc(8);
      if (ptr !== 0) alloc.rawFree(ptr, 8);
    }));
    expect(error.code).toBe("SWALLOWED_OUT_OF_MEMORY");
  });

  it("a callback that allocates less on a later run: NONDETERMINISTIC_MEMORY_USAGE", () => {
    const { a } = freshGpa();
    let run = 0;
    const error = finding(() => checkAllocationFailures(a, (alloc) => {
      if (run++ === 0) alloc.free(alloc.alloc("u8", 1));
    }));
    expect(error.code).toBe("NONDETERMINISTIC_MEMORY_USAGE");
    expect(error.message).toMatch(/NondeterministicMemoryUsage/);
  });

  it("a leak with nothing made to fail is found in the first run (failIndex undefined)", () => {
    const { a } = freshGpa();
    const error = finding(() => checkAllocationFailures(a, (alloc) => { alloc.alloc("u8", 16); }));
    expect(error.code).toBe("MEMORY_LEAK_DETECTED");
    expect(error.failIndex).toBeUndefined();
  });

  it("bytes a resize added and nothing freed are a leak, though every allocation was freed", () => {
    // An arena does not check the length of a free (of anything but its last allocation, a no-op).
    const { a } = arenaOnPages();
    const error = finding(() => checkAllocationFailures(a, (alloc) => {
      const ptr = alloc.rawAlloc(64);
      if (ptr === 0) throw new OutOfMemoryError(64);
      expect(alloc.rawResize(ptr, 64, 100)).toBe(true);  // the last allocation grows in place
      alloc.rawFree(ptr, 64);
    }));
    expect(error.code).toBe("MEMORY_LEAK_DETECTED");
    expect(error.counts).toEqual({ allocations: 1, deallocations: 1, allocatedBytes: 100, freedBytes: 64 });
  });

  it("any other error of the callback surfaces unchanged", () => {
    const { a } = freshGpa();
    const own = new Error("the code under test failed");
    expect(() => checkAllocationFailures(a, () => { throw own; })).toThrow(own);
    let run = 0;
    expect(() => checkAllocationFailures(a, (alloc) => {
      try {
        alloc.free(alloc.alloc("u8", 1));
      } catch {
        throw new SyntaxError(`run ${run}`);
      } finally {
        run++;
      }
    })).toThrow(SyntaxError);
  });
});

describe("checkAllocationFailures: bad input", () => {
  it("a backing that is no Allocator, or a callback that is no function, is a TypeError", () => {
    const { a } = freshGpa();
    expect(() => checkAllocationFailures({} as Allocator, () => {})).toThrow(TypeError);
    expect(() => checkAllocationFailures(a, 5 as never)).toThrow(TypeError);
  });

  it("a callback that returns a promise is a TypeError: no run could await it", () => {
    const { a } = freshGpa();
    expect(() => checkAllocationFailures(a, (async () => {}) as never)).toThrow(TypeError);
  });
});
