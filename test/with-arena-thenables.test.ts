// withArena deinitializes its arena exactly once whatever the body's result does: a `then`
// getter or method that throws, a thenable that settles twice or settles and then throws.

import { describe, expect, it, vi } from "vitest";
import { AllocatorDeinitializedError, ArenaAllocator, withArena } from "../src/index";
import { PAGE, smallHeap } from "./support/heaps";

/** Runs withArena with a body returning `result`, counting the arena's deinit() calls. */
function run(result: (arena: ArenaAllocator) => unknown) {
  const heap = smallHeap();
  const inUse = heap.stats().pagesInUseBytes;
  let arena: ArenaAllocator | undefined;
  let deinits = 0;
  const call = () => withArena(heap.pageAllocator, (alloc, a) => {
    arena = a;
    const deinit = a.deinit.bind(a);
    vi.spyOn(a, "deinit").mockImplementation(() => { deinits++; deinit(); });
    alloc.alloc("u8", 2 * PAGE);
    return result(a);
  });
  /** The arena was deinitialized exactly once and gave its pages back. */
  const expectEndedOnce = () => {
    expect(deinits).toBe(1);
    expect(() => arena!.queryCapacity()).toThrow(AllocatorDeinitializedError);
    expect(heap.stats().pagesInUseBytes).toBe(inUse);
    heap.validate();
  };
  return { call, expectEndedOnce };
}

describe("withArena with a result whose then misbehaves", () => {
  it("a then getter that throws: its error surfaces and the arena is deinitialized once", () => {
    const failure = new Error("then getter");
    const { call, expectEndedOnce } = run(() => ({ get then() { throw failure; } }));
    expect(call).toThrow(failure);
    expectEndedOnce();
  });

  it("a then method that throws: its error surfaces and the arena is deinitialized once", () => {
    const failure = new Error("then method");
    const { call, expectEndedOnce } = run(() => ({ then() { throw failure; } }));
    expect(call).toThrow(failure);
    expectEndedOnce();
  });

  it("a then that fulfils, rejects and fulfils again deinitializes the arena once", () => {
    const { call, expectEndedOnce } = run(() => ({
      then(onFulfilled: (v: unknown) => unknown, onRejected: (e: unknown) => unknown) {
        onFulfilled(1);
        try { onRejected(new Error("late")); } catch { /* the rejection handler rethrows */ }
        onFulfilled(2);
      },
    }));
    call();
    expectEndedOnce();
  });

  it("a then that fulfils and then throws deinitializes the arena once and surfaces the error", () => {
    const failure = new Error("after fulfilling");
    const { call, expectEndedOnce } = run(() => ({
      then(onFulfilled: (v: unknown) => unknown) {
        onFulfilled(1);
        throw failure;
      },
    }));
    expect(call).toThrow(failure);
    expectEndedOnce();
  });

  it("the then getter is read once", () => {
    let reads = 0;
    const { call, expectEndedOnce } = run(() => ({
      get then() {
        reads++;
        return (onFulfilled: (v: unknown) => unknown) => onFulfilled(1);
      },
    }));
    call();
    expect(reads).toBe(1);
    expectEndedOnce();
  });
});
