// The GPA with other allocators: the canonical main() (a GPA, an arena on top, cleanup in finally,
// the leak check), a forgotten arena.deinit() showing up as a leak, and GPAs backed by an arena,
// a fixed buffer and another GPA.

import { describe, expect, it } from "vitest";
import {
  ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, OutOfMemoryError, withArena,
  type Allocator, type Heap, type LeakReport,
} from "../src/index";
import { MiB, PAGE, smallHeap } from "./support/heaps";
import { SAFETY_MODES, freshGpa } from "./support/gpa";

interface Mistakes {
  /** Common mistake: the arena is never deinit'ed. */
  forgetArenaDeinit?: boolean;
  /** The result, which outlives the arena, is never freed. */
  forgetResultFree?: boolean;
}

/**
 * Zig's canonical main() in TypeScript: a GPA whose deinit() runs last and checks for leaks (Zig's
 * `defer` as try/finally), an arena on top for scratch work, and a result in the GPA.
 */
function main(heap: Heap, mistakes: Mistakes, onLeak: (leak: LeakReport) => void): { sum: number; check: "ok" | "leak" } {
  const gpa = new GeneralPurposeAllocator({ heap, onLeak });
  let sum = 0;
  let check: "ok" | "leak";
  try {
    const allocator = gpa.allocator();
    const arena = new ArenaAllocator(allocator);
    try {
      const scratch = arena.allocator();
      const temp = scratch.alloc("i32", 1000);
      for (let i = 0; i < temp.length; i++) temp[i] = i;
      const result = allocator.alloc("i32", 10);
      try {
        for (let i = 0; i < result.length; i++) result[i] = temp[i * 100] * 2;
        sum = result.reduce((x, y) => x + y, 0);
      } finally {
        if (!mistakes.forgetResultFree) allocator.free(result);
      }
    } finally {
      if (!mistakes.forgetArenaDeinit) arena.deinit();
    }
  } finally {
    // Zig: `defer { if (gpa.deinit() == .leak) @panic("leak"); }`
    check = gpa.deinit();
  }
  return { sum, check };
}

describe("Zig's canonical main()", () => {
  it("with every defer in place, it computes its result and the leak check passes", () => {
    const heap = smallHeap();
    const leaks: LeakReport[] = [];
    expect(main(heap, {}, (leak) => leaks.push(leak))).toEqual({ sum: 9000, check: "ok" });
    expect(leaks).toEqual([]);
    heap.validate();
  });

  it("common mistake 3, a forgotten arena.deinit(), is a leak: the arena's chunk is reported", () => {
    const heap = smallHeap();
    const leaks: LeakReport[] = [];
    expect(main(heap, { forgetArenaDeinit: true }, (leak) => leaks.push(leak))).toEqual({ sum: 9000, check: "leak" });
    expect(leaks).toHaveLength(1);
    expect(leaks[0].len).toBeGreaterThanOrEqual(4000);
    heap.validate();
  });

  it("a result never freed is a leak of exactly its 40 bytes", () => {
    const heap = smallHeap();
    const leaks: LeakReport[] = [];
    expect(main(heap, { forgetResultFree: true }, (leak) => leaks.push(leak)).check).toBe("leak");
    expect(leaks).toEqual([expect.objectContaining({ len: 40, align: 4 })]);
    heap.validate();
  });

  it("the two-allocator pattern: the result outlives the arena, and nothing else is left", () => {
    const { heap, gpa, a } = freshGpa();
    const input = Int32Array.from({ length: 100 }, (_, i) => i);
    const result = withArena(a, (scratch) => {
      const temp = scratch.alloc("i32", input.length);
      for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
      const out = a.alloc("i32", input.length);
      out.set(temp);
      return out;
    });
    expect(result[99]).toBe(198);
    expect(gpa.leaks()).toEqual([{ ptr: result.byteOffset, len: 400, align: 4 }]);
    a.free(result);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });
});

describe.each(SAFETY_MODES)("arenas over a GPA (%s)", (_mode, safety) => {
  it("an arena's chunks come from the GPA and go back to it on deinit", () => {
    const { heap, gpa, a } = freshGpa({ safety });
    const arena = new ArenaAllocator(a);
    const xs = arena.allocator().alloc("f64", 100);
    xs.fill(1.5);
    const big = arena.allocator().alloc("u8", 200_000);
    big.fill(3);
    expect(gpa.stats().liveAllocations).toBe(2);
    heap.validate();
    arena.deinit();
    expect(gpa.stats().liveAllocations).toBe(0);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("a forgotten arena stays intact after the GPA's leak report: its memory is leaked, not reused", () => {
    const { heap, gpa, a } = freshGpa({ safety, onLeak: () => {} });
    const arena = new ArenaAllocator(a);
    const xs = arena.allocator().alloc("u32", 50);
    xs.fill(0xdeadbeef);
    expect(gpa.deinit()).toBe("leak");
    heap.validate();
    const other = new GeneralPurposeAllocator({ heap }).allocator();
    for (let i = 0; i < 100; i++) other.alloc("u32", 50).fill(7);
    expect(xs.every((x) => x === 0xdeadbeef)).toBe(true);
    heap.validate();
  });
});

describe.each(SAFETY_MODES)("a GPA over other backing allocators (%s)", (_mode, safety) => {
  function exercise(a: Allocator): void {
    const views = Array.from({ length: 50 }, (_, i) => a.alloc("u8", 1 + (i % 5) * 97));
    views.forEach((v, i) => v.fill(i));
    const big = a.alloc("u8", 70_000);
    big.fill(0x5a);
    views.forEach((v, i) => expect(v.every((b) => b === i)).toBe(true));
    for (const v of views) a.free(v);
    a.free(big);
  }

  it("over an arena", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const gpa = new GeneralPurposeAllocator({ safety, backing: arena.allocator() });
    exercise(gpa.allocator());
    heap.validate();
    expect(gpa.deinit()).toBe("ok");
    arena.deinit();
    heap.validate();
  });

  it("over a FixedBufferAllocator: everything stays inside the buffer, and past it is OutOfMemoryError", () => {
    const heap = smallHeap();
    const buffer = heap.pageAllocator.alloc("u8", 2 * MiB);
    const fba = new FixedBufferAllocator(buffer);
    const gpa = new GeneralPurposeAllocator({ safety, backing: fba.allocator() });
    const a = gpa.allocator();
    exercise(a);
    const inside = a.alloc("u8", 100);
    expect(fba.ownsSlice(inside)).toBe(true);
    expect(() => a.alloc("u8", 3 * MiB)).toThrow(OutOfMemoryError);
    const live: number[] = [];
    for (let ptr = a.rawAlloc(4000); ptr !== 0; ptr = a.rawAlloc(4000)) live.push(ptr);
    expect(live.length).toBeGreaterThan(50);
    expect(live.every((ptr) => fba.ownsPtr(ptr))).toBe(true);
    heap.validate();
    for (const ptr of live) a.rawFree(ptr, 4000);
    a.free(inside);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("over another GPA: the inner GPA's slabs are the outer one's large allocations", () => {
    const { heap, gpa: outer, a: outerAllocator } = freshGpa({ safety });
    const inner = new GeneralPurposeAllocator({ safety, backing: outerAllocator });
    exercise(inner.allocator());
    const kept = inner.allocator().alloc("u8", 10);
    const { largeAllocations, largeBytes } = outer.stats();
    expect(largeAllocations).toBeGreaterThanOrEqual(1);
    expect(largeBytes).toBe(largeAllocations * PAGE);
    heap.validate();
    inner.allocator().free(kept);
    expect(inner.deinit()).toBe("ok");
    expect(outer.deinit()).toBe("ok");
    heap.validate();
  });
});
