// MemoryPool: Zig's std.heap.MemoryPool (its tests ported as facts: basic reuse, preheating),
// plus the library's checks when the backing has safety on, and the arena's reset modes.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  AllocatorDeinitializedError, DoubleFreeError, GeneralPurposeAllocator, InvalidFreeError, MemoryPool, OutOfMemoryError,
} from "../src/index";
import { expectRejected, smallHeap, MiB, PAGE } from "./support/heaps";

function poolOnGpa(safety = true) {
  const heap = smallHeap();
  const gpa = new GeneralPurposeAllocator({ heap, safety });
  return { heap, gpa, pool: new MemoryPool(gpa.allocator(), "f64", 16) };
}

describe("MemoryPool", () => {
  it("basic: items are views of the kind and length, distinct, and a destroyed item is the next one created", () => {
    const { heap, pool } = poolOnGpa();
    const [p1, p2, p3] = [pool.create(), pool.create(), pool.create()];
    for (const p of [p1, p2, p3]) {
      expect(p).toBeInstanceOf(Float64Array);
      expect(p.length).toBe(16);
      expect(p.byteOffset % 8).toBe(0);
    }
    expect(new Set([p1.byteOffset, p2.byteOffset, p3.byteOffset]).size).toBe(3);
    expect(Math.abs(p2.byteOffset - p1.byteOffset)).toBeGreaterThanOrEqual(128);
    pool.destroy(p2);
    const p4 = pool.create();
    expect(p4.byteOffset).toBe(p2.byteOffset);
    p4.fill(1.5);
    expect(p1.every((x) => x !== 1.5) && p3.every((x) => x !== 1.5)).toBe(true);
    heap.validate();
  });

  it("preheat(n) makes n items up front: the next n creates ask the backing allocator for nothing", () => {
    const heap = smallHeap();
    const pool = new MemoryPool(heap.pageAllocator, "u32", 1000);
    pool.preheat(4);
    const calls = heap.stats().pageAllocCalls + heap.stats().pageResizeCalls;
    const items = Array.from({ length: 4 }, () => pool.create());
    expect(heap.stats().pageAllocCalls + heap.stats().pageResizeCalls).toBe(calls);
    expect(new Set(items.map((x) => x.byteOffset)).size).toBe(4);
    heap.validate();
  });

  it("preheating past the heap's maximum is OutOfMemoryError, and the pool still works", () => {
    const heap = smallHeap({ maximumBytes: 2 * MiB });
    const pool = new MemoryPool(heap.pageAllocator, "u8", PAGE);
    expect(() => pool.preheat(64)).toThrow(OutOfMemoryError);
    heap.validate();
    expect(pool.reset("free_all")).toBe(true);
    expect(pool.create().length).toBe(PAGE);
    heap.validate();
  });

  it("items smaller than two words still each get their own memory", () => {
    const heap = smallHeap();
    const pool = new MemoryPool(heap.pageAllocator, Float32Array, 1);
    const items = Array.from({ length: 100 }, () => pool.create());
    items.forEach((x, i) => { x[0] = i; });
    expect(items.every((x, i) => x[0] === i)).toBe(true);
    items.forEach((x) => pool.destroy(x));
    expect(new Set(Array.from({ length: 100 }, () => pool.create().byteOffset))).toEqual(new Set(items.map((x) => x.byteOffset)));
    heap.validate();
  });

  it("with a safety GPA behind it: a second destroy is DoubleFreeError, a foreign view InvalidFreeError, nothing changes", () => {
    const { heap, gpa, pool } = poolOnGpa(true);
    const item = pool.create();
    const other = pool.create();
    pool.destroy(item);
    expectRejected(heap, () => pool.destroy(item), DoubleFreeError);
    const foreign = gpa.allocator().alloc("f64", 16);
    expectRejected(heap, () => pool.destroy(foreign), InvalidFreeError);
    expectRejected(heap, () => pool.destroy(other.subarray(1, 17) as Float64Array), InvalidFreeError);
    expectRejected(heap, () => pool.destroy(new Float64Array(heap.memory.buffer, other.byteOffset, 8)), InvalidFreeError);
    expect(pool.create().byteOffset).toBe(item.byteOffset);
    expect(pool.create().byteOffset).not.toBe(other.byteOffset);
  });

  it("with a safety GPA behind it, a destroyed item reads 0xAA and a reset does not make its memory look freed", () => {
    const { pool } = poolOnGpa(true);
    const item = pool.create();
    const bytes = new Uint8Array(item.buffer, item.byteOffset + 8, item.byteLength - 8);
    pool.destroy(item);
    expect(bytes.every((b) => b === 0xaa)).toBe(true);
    pool.reset("retain_capacity");
    const again = pool.create();
    expect(again.byteOffset).toBe(item.byteOffset);
    pool.destroy(again); // not taken for a double free by the mark the first destroy left
  });

  it("reset frees every item at once with the arena's modes; deinit gives the memory back", () => {
    const { heap, gpa, pool } = poolOnGpa();
    Array.from({ length: 1000 }, () => pool.create());
    expect(pool.reset("retain_capacity")).toBe(true);
    const first = pool.create();
    expect(pool.reset("free_all")).toBe(true);
    expect(pool.reset({ retain_with_limit: 4096 })).toBe(true);
    expect(pool.create().byteOffset).not.toBe(0);
    expect(first.byteOffset).not.toBe(0);
    expect(() => pool.reset("sometimes" as never)).toThrow(TypeError);
    pool.deinit();
    expect(() => pool.create()).toThrow(AllocatorDeinitializedError);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("bad arguments: length 0 or fractional, an unknown kind, a bad preheat count", () => {
    const heap = smallHeap();
    expect(() => new MemoryPool(heap.pageAllocator, "f64", 0)).toThrow(RangeError);
    expect(() => new MemoryPool(heap.pageAllocator, "f64", 1.5)).toThrow(RangeError);
    expect(() => new MemoryPool(heap.pageAllocator, "f65" as never, 4)).toThrow(TypeError);
    const pool = new MemoryPool(heap.pageAllocator, "i32", 4);
    expectRejected(heap, () => pool.preheat(-1), RangeError);
    heap.validate();
  });
});

describe("MemoryPool against a model (fast-check)", () => {
  type Step = { op: "create" } | { op: "destroy"; pick: number } | { op: "reset"; mode: 0 | 1 | 2 } | { op: "preheat"; n: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ op: "create" as const }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("destroy" as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("reset" as const), mode: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("preheat" as const), n: fc.nat(40) }) },
  );

  it("every live item keeps what was written to it, none overlap, destroyed items come back first, validate() passes", () => {
    fc.assert(fc.property(fc.boolean(), fc.constantFrom(1, 3, 16, 300), fc.array(step, { maxLength: 300 }), (safety, length, steps) => {
      const heap = smallHeap();
      const gpa = new GeneralPurposeAllocator({ heap, safety });
      const pool = new MemoryPool(gpa.allocator(), "i32", length);
      const live = new Map<Int32Array, number>();
      let stamp = 0;
      let lastDestroyed: number | null = null;
      for (const s of steps) {
        if (s.op === "create") {
          const item = pool.create();
          expect(item.length).toBe(length);
          if (lastDestroyed !== null) expect(item.byteOffset).toBe(lastDestroyed);
          lastDestroyed = null;
          for (const other of live.keys()) {
            const apart = item.byteOffset + item.byteLength <= other.byteOffset || other.byteOffset + other.byteLength <= item.byteOffset;
            expect(apart).toBe(true);
          }
          item.fill(++stamp);
          live.set(item, stamp);
        } else if (s.op === "destroy" && live.size > 0) {
          const item = [...live.keys()][s.pick % live.size];
          live.delete(item);
          pool.destroy(item);
          lastDestroyed = item.byteOffset;
        } else if (s.op === "reset") {
          pool.reset(s.mode === 0 ? "free_all" : s.mode === 1 ? "retain_capacity" : { retain_with_limit: 4096 });
          live.clear();
          lastDestroyed = null;
        } else if (s.op === "preheat") {
          pool.preheat(s.n);
          if (s.n > 0) lastDestroyed = null;
        }
        for (const [item, value] of live) expect(item.every((x) => x === value)).toBe(true);
      }
      heap.validate();
      pool.deinit();
      expect(gpa.deinit()).toBe("ok");
    }), { numRuns: 60 });
  });
});
