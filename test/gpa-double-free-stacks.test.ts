// A GPA with stackTraces and safety: a DoubleFreeError carries the stacks of the allocation, the
// first free and the second free, each starting at the line of this file that made the call, and
// prints them as Zig does. Without stackTraces it carries none.

import { describe, expect, it } from "vitest";
import { DoubleFreeError, GeneralPurposeAllocator } from "../src/index";
import { QUARANTINE_SLOTS } from "../bindings/abi.generated";
import { freshGpa } from "./support/gpa";

/** The line of this file that called lineHere(). */
function lineHere(): number {
  const frame = new Error().stack!.split("\n")[2];
  return Number(/:(\d+):\d+\)?$/.exec(frame)![1]);
}

/** The DoubleFreeError `call` throws. */
function doubleFree(call: () => unknown): DoubleFreeError {
  try {
    call();
  } catch (error) {
    if (error instanceof DoubleFreeError) return error;
    throw error;
  }
  throw new Error("no DoubleFreeError");
}

/** Whether `stack` starts at `line` of this file. */
const startsAt = (stack: string | undefined, line: number): boolean =>
  stack !== undefined && new RegExp(`gpa-double-free-stacks\\.test\\.ts:${line}:`).test(stack.split("\n")[0]);

describe("DoubleFreeError with stackTraces", () => {
  it("names the lines of the allocation, the first free and the second free of a view", () => {
    const { gpa, a } = freshGpa({ stackTraces: true });
    const view = a.alloc("f64", 4); const allocated = lineHere();
    a.free(view); const firstFree = lineHere();
    const error = doubleFree(() => a.free(view)); const secondFree = lineHere();
    expect(startsAt(error.allocationStack, allocated), error.allocationStack).toBe(true);
    expect(startsAt(error.firstFreeStack, firstFree), error.firstFreeStack).toBe(true);
    expect(startsAt(error.secondFreeStack, secondFree), error.secondFreeStack).toBe(true);
    for (const stack of [error.allocationStack, error.firstFreeStack, error.secondFreeStack]) {
      expect(stack).not.toMatch(/^Error|Allocator\.|wasm|captureStack|doubleFreeStacks/);
    }
    expect(error.code).toBe("DOUBLE_FREE");
    expect(error.name).toBe("DoubleFreeError");
    expect(gpa.deinit()).toBe("ok");
  });

  it("prints them as Zig does: Double free detected. Allocation: … First free: … Second free: …", () => {
    const { a } = freshGpa({ stackTraces: true });
    const ptr = a.rawAlloc(24);
    a.rawFree(ptr, 24);
    const error = doubleFree(() => a.rawFree(ptr, 24));
    expect(error.message).toBe(`byte offset ${ptr} (24 bytes) was already freed. Double free detected. Allocation:\n${error.allocationStack}`
      + `\nFirst free:\n${error.firstFreeStack}\nSecond free:\n${error.secondFreeStack}`);
  });

  it("still names them after the size class allocated again (the quarantine keeps the slot from reuse)", () => {
    const { gpa, a } = freshGpa({ stackTraces: true });
    const ptr = a.rawAlloc(48, 8); const allocated = lineHere();
    a.rawFree(ptr, 48, 8); const firstFree = lineHere();
    const again = a.rawAlloc(48, 8);
    expect(again).not.toBe(ptr);
    const error = doubleFree(() => a.rawFree(ptr, 48, 8)); const secondFree = lineHere();
    expect(startsAt(error.allocationStack, allocated), error.allocationStack).toBe(true);
    expect(startsAt(error.firstFreeStack, firstFree), error.firstFreeStack).toBe(true);
    expect(startsAt(error.secondFreeStack, secondFree), error.secondFreeStack).toBe(true);
    a.rawFree(again, 48, 8);
    expect(gpa.deinit()).toBe("ok");
  });

  it("names a realloc that moved the block as its first free, and a resize or rawRealloc as a second", () => {
    const { a } = freshGpa({ stackTraces: true });
    const view = a.alloc("u8", 16); const allocated = lineHere();
    const moved = a.realloc(view, 4000); const firstFree = lineHere();
    expect(moved.byteOffset).not.toBe(view.byteOffset);
    const viaResize = doubleFree(() => a.resize(view, 8)); const resizeLine = lineHere();
    const viaRawRealloc = doubleFree(() => a.rawRealloc(view.byteOffset, 16, 32, 1)); const rawReallocLine = lineHere();
    for (const [error, line] of [[viaResize, resizeLine], [viaRawRealloc, rawReallocLine]] as const) {
      expect(startsAt(error.allocationStack, allocated), error.allocationStack).toBe(true);
      expect(startsAt(error.firstFreeStack, firstFree), error.firstFreeStack).toBe(true);
      expect(startsAt(error.secondFreeStack, line), error.secondFreeStack).toBe(true);
    }
    a.free(moved);
  });

  it(`keeps the stacks of the latest ${QUARANTINE_SLOTS} frees only: an older block's double free is caught without them`, () => {
    const { a } = freshGpa({ stackTraces: true });
    const old = a.rawAlloc(32);
    const others = Array.from({ length: QUARANTINE_SLOTS }, () => a.rawAlloc(32));
    a.rawFree(old, 32);
    for (const ptr of others) a.rawFree(ptr, 32);
    const error = doubleFree(() => a.rawFree(old, 32)); const secondFree = lineHere();
    expect(error.allocationStack).toBeUndefined();
    expect(error.firstFreeStack).toBeUndefined();
    expect(startsAt(error.secondFreeStack, secondFree), error.secondFreeStack).toBe(true);
    expect(error.message).toContain("Allocation:\n    (not recorded)\nFirst free:\n    (not recorded)\nSecond free:\n");
    // The latest free of all still has its stacks.
    const last = others[others.length - 1];
    expect(doubleFree(() => a.rawFree(last, 32)).firstFreeStack).toBeDefined();
  });
});

describe("DoubleFreeError without stackTraces", () => {
  it("carries no stacks and its message is the detail alone", () => {
    const gpa = new GeneralPurposeAllocator({ heap: freshGpa().heap });
    const a = gpa.allocator();
    const view = a.alloc("u32", 3);
    a.free(view);
    const error = doubleFree(() => a.free(view));
    expect(error.allocationStack).toBeUndefined();
    expect(error.firstFreeStack).toBeUndefined();
    expect(error.secondFreeStack).toBeUndefined();
    expect(error.message).toBe(`byte offset ${view.byteOffset} (12 bytes) was already freed`);
  });
});
