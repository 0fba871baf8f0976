// The lesson as programs: the four common mistakes (examples/common-mistakes.ts), each one
// visible; a batch freed one by one on a GPA against an arena (examples/process-batch.ts); an
// arena's lifetime and reset modes (examples/arena-lifetimes.ts).

import { describe, expect, it } from "vitest";
import { ArenaAllocator, GeneralPurposeAllocator, Heap } from "wasm-arena";
import { forgettingDeinit, freeOnArenaMemory, oneGiantArena, returningArenaMemory } from "../examples/common-mistakes";
import { processBatchArena, processBatchGpa, processBatchPlain } from "../examples/process-batch";
import { arenaWithUsing, capacityAfterReset } from "../examples/arena-lifetimes";

describe("examples/process-batch.ts and examples/arena-lifetimes.ts", () => {
  it("one free per temporary on a GPA and one reset per batch on an arena compute the same; the GPA ends with nothing live", () => {
    const heap = Heap.create();
    const gpa = new GeneralPurposeAllocator({ heap });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const expected = processBatchPlain();
    expect(processBatchGpa(gpa.allocator())).toBe(expected);
    expect(processBatchArena(arena)).toBe(expected);
    expect(gpa.stats().liveAllocations).toBe(0);
    expect(gpa.deinit()).toBe("ok");
  });

  it("`using` ends the arena over the GPA on every way out of its block", () => {
    expect(arenaWithUsing(Heap.create(), false)).toEqual({ threw: false, gpaDeinit: "ok" });
    expect(arenaWithUsing(Heap.create(), true)).toEqual({ threw: true, gpaDeinit: "ok" });
  });

  it("queryCapacity() after each reset mode: 0, all of it, at most the limit", () => {
    const [freeAll, retain, limited] = capacityAfterReset(Heap.create());
    expect(freeAll.after).toBe(0);
    expect(retain.after).toBe(retain.before);
    expect(retain.before).toBeGreaterThanOrEqual(100 * 1024);
    expect(limited.after).toBe(16_384);
  });
});

describe("examples/common-mistakes.ts", () => {
  it("1. arena memory returned past deinit() over a safety GPA reads 0xAA, not what was written", () => {
    const { wrote, readsAfterDeinit } = returningArenaMemory(Heap.create());
    expect(wrote).toBe(42);
    expect(readsAfterDeinit).toBe(0xaa);
  });

  it("2. free() of an arena allocation that is not the last does nothing; of the last, rolls back", () => {
    const { a, b, afterFreeingA, afterFreeingB } = freeOnArenaMemory(Heap.create());
    expect(b).toBeGreaterThan(a);
    expect(afterFreeingA).toBeGreaterThan(b);
    expect(afterFreeingB).toBe(b);
  });

  it("3. a forgotten deinit() is a leak report naming the chunk and the line that allocated it", () => {
    const { outcome, leaks } = forgettingDeinit(Heap.create());
    expect(outcome).toBe("leak");
    expect(leaks).toHaveLength(1);
    expect(leaks[0].len).toBeGreaterThanOrEqual(8000);
    expect(leaks[0].stack).toContain("common-mistakes.ts");
  });

  it("4. one giant arena grows with every batch; an arena reset per batch stays at one batch", () => {
    const { giantBytes, resetLoopBytes } = oneGiantArena(20);
    expect(giantBytes).toBeGreaterThanOrEqual(20 * 100 * 8000);
    expect(resetLoopBytes).toBeLessThan(4 * 100 * 8000);
  });
});
