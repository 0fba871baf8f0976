// The lesson's four common mistakes (examples/common-mistakes.ts): each one is visible.

import { describe, expect, it } from "vitest";
import { Heap } from "wasm-arena";
import { forgettingDeinit, freeOnArenaMemory, oneGiantArena, returningArenaMemory } from "../examples/common-mistakes";

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
