// onGrow listeners run synchronously, after the allocator call that grew memory has done its
// work and before it returns: the next line sees what the listeners refreshed. A listener may
// allocate; one that throws stops neither the other listeners nor the allocation, and its error
// is reported as an uncaught exception once the others have run.

import { afterEach, describe, expect, it, vi } from "vitest";
import { AllocatorDeinitializedError, ArenaAllocator, type Heap } from "../src/index";
import { MiB, PAGE, availableStrategies, forceGrowth, smallHeap } from "./support/heaps";

/** Takes every free page, so that the next page allocation grows memory. */
function takeFreePages(heap: Heap): void {
  while (heap.stats().pagesFreeBytes > 0) expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(0);
}

/**
 * Runs `body` with Node's uncaught-exception listeners replaced by one that collects the errors
 * (vitest's own would fail the run), and returns them once queued microtasks and timers ran.
 */
async function uncaughtDuring(body: () => void): Promise<unknown[]> {
  const errors: unknown[] = [];
  const saved = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  const collect = (error: unknown) => { errors.push(error); };
  process.on("uncaughtException", collect);
  try {
    body();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off("uncaughtException", collect);
    for (const listener of saved) process.on("uncaughtException", listener);
  }
  return errors;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe.each(availableStrategies())("onGrow under %s", (viewStrategy) => {
  it("runs before the growing call returns, with the old and new sizes", () => {
    const heap = smallHeap({ viewStrategy });
    const events: { previousBytes: number; memoryBytes: number }[] = [];
    heap.onGrow((event) => events.push(event));
    const before = heap.memory.buffer.byteLength;
    forceGrowth(heap);
    expect(events).toEqual([{ previousBytes: before, memoryBytes: heap.memory.buffer.byteLength }]);
  });

  it("a whole-memory view cached and refreshed by a listener covers a new allocation on the next line", () => {
    const heap = smallHeap({ viewStrategy });
    takeFreePages(heap);
    let f64 = heap.f64;
    heap.onGrow(() => { f64 = heap.f64; });
    const xs = heap.pageAllocator.alloc("f64", 4 * PAGE / 8);
    xs[xs.length - 1] = 6.5;
    expect(f64[xs.byteOffset / 8 + xs.length - 1]).toBe(6.5);
    expect(f64.length * 8).toBe(heap.memory.buffer.byteLength);
  });

  it("a listener may allocate, also from the allocator whose call grew memory", () => {
    const heap = smallHeap({ viewStrategy });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    takeFreePages(heap);
    let fromListener: Uint8Array | undefined;
    const unsubscribe = heap.onGrow(() => { fromListener = a.alloc("u8", 10); });
    const xs = a.alloc("u8", 2 * PAGE);
    unsubscribe();
    expect(fromListener?.length).toBe(10);
    // Both views work after the call: neither was detached by the other's growth.
    fromListener!.fill(1);
    xs.fill(2);
    expect(fromListener![9]).toBe(1);
    expect(xs[0]).toBe(2);
    heap.validate();
    arena.deinit();
    heap.validate();
  });

  it("a throwing listener stops neither the others nor the allocation, and its error is reported as uncaught", async () => {
    const heap = smallHeap({ viewStrategy });
    takeFreePages(heap);
    const failure = new Error("listener failed");
    const calls: string[] = [];
    heap.onGrow(() => { calls.push("first"); throw failure; });
    heap.onGrow(() => { calls.push("second"); });
    let xs: Float64Array | undefined;
    const uncaught = await uncaughtDuring(() => { xs = heap.pageAllocator.alloc("f64", PAGE / 8); });
    expect(calls).toEqual(["first", "second"]);
    expect(xs?.length).toBe(PAGE / 8);
    expect(uncaught).toEqual([failure]);
    heap.validate();
  });

  it("where the platform has reportError, a listener's error goes there", () => {
    const heap = smallHeap({ viewStrategy });
    const reportError = vi.fn();
    vi.stubGlobal("reportError", reportError);
    const failure = new Error("listener failed");
    heap.onGrow(() => { throw failure; });
    forceGrowth(heap);
    expect(reportError).toHaveBeenCalledWith(failure);
    heap.validate();
  });

  it("growth inside heap.reserve and an arena's reset runs the listeners before they return", () => {
    const heap = smallHeap({ viewStrategy });
    let events = 0;
    heap.onGrow(() => events++);
    heap.reserve(2 * MiB);
    expect(events, "reserve").toBe(1);
    const arena = new ArenaAllocator(heap.pageAllocator);
    arena.allocator().alloc("u8", 3 * PAGE);
    heap.pageAllocator.rawAlloc(PAGE); // so that the first chunk cannot grow in place
    arena.allocator().alloc("u8", 5 * PAGE);
    takeFreePages(heap);
    const { grows } = heap.stats();
    // Retaining capacity merges the chunks into a new one, which the full heap must grow for.
    arena.reset("retain_capacity");
    expect(heap.stats().grows, "the reset grew memory").toBeGreaterThan(grows);
    expect(events, "arena reset").toBe(2);
    arena.deinit();
    heap.validate();
  });

  it("the function onGrow returns unsubscribes the listener; others keep being called", () => {
    const heap = smallHeap({ viewStrategy });
    let removed = 0;
    let kept = 0;
    const unsubscribe = heap.onGrow(() => removed++);
    heap.onGrow(() => kept++);
    forceGrowth(heap);
    unsubscribe();
    forceGrowth(heap);
    expect([removed, kept]).toEqual([1, 2]);
  });

  it("no growth, no call", () => {
    const heap = smallHeap({ viewStrategy });
    heap.reserve(MiB);
    let calls = 0;
    heap.onGrow(() => calls++);
    heap.pageAllocator.alloc("u8", PAGE);
    expect(calls).toBe(0);
  });
});

describe("onGrow arguments", () => {
  it.each([[undefined], [null], [42], ["listener"], [{}]])("onGrow(%s) is a TypeError", (listener) => {
    const heap = smallHeap();
    expect(() => heap.onGrow(listener as never)).toThrow(TypeError);
    forceGrowth(heap);
    heap.validate();
  });
});

describe("a growth listener that deinit()s the allocator whose call grew memory", () => {
  it("makes that call throw AllocatorDeinitializedError instead of returning memory the arena gave back", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    takeFreePages(heap);
    heap.onGrow(() => arena.deinit());
    expect(() => arena.allocator().alloc("u8", 2 * PAGE)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });
});
