// Property: whatever arena and pool operations run over an allocator from defineAllocator(), and
// whichever of its callbacks throw along the way, each throw reaches the caller as the same
// object, heap.validate() passes after every step, what was written to live allocations stays,
// and deinit() gives back every byte the callbacks handed out.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArenaAllocator, MemoryPool, type ArenaCheckpoint, type ResetMode } from "../src/index";
import { smallHeap } from "./support/heaps";
import { scripted, throwing, type CallName, type Scripted } from "./support/scripted-allocator";

type Step =
  | { op: "alloc"; bytes: number }
  | { op: "reset"; mode: ResetMode }
  | { op: "checkpoint" }
  | { op: "restore" }
  | { op: "throw"; call: CallName; after: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("alloc" as const), bytes: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1000, max: 200_000 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reset" as const), mode: fc.constantFrom<ResetMode>("free_all", "retain_capacity", { retain_with_limit: 10_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: "checkpoint" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "restore" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("throw" as const), call: fc.constantFrom<CallName>("alloc", "resize", "free"), after: fc.integer({ min: 0, max: 3 }) }) },
);

/**
 * Errors armed in `s`'s callbacks: arm() makes the `after`-th next call named `call` throw a new
 * error; attempt() runs an operation and expects whatever it throws to be an armed error.
 */
function armedThrows(s: Scripted) {
  const armed = new Set<unknown>();
  return {
    arm(call: CallName, after: number, label: string): void {
      const error = new Error(label);
      armed.add(error);
      s.at(call, after, throwing(error));
    },
    attempt(operation: () => void): boolean {
      try {
        operation();
        return true;
      } catch (error) {
        expect(armed.has(error)).toBe(true);
        armed.delete(error);
        return false;
      }
    },
  };
}

describe("an arena over a defineAllocator() allocator whose callbacks throw at random", () => {
  it("stays whole: the same error, validate() clean, live bytes kept, everything given back at deinit", () => {
    fc.assert(fc.property(fc.boolean(), fc.array(step, { maxLength: 60 }), (refuseResize, steps) => {
      const heap = smallHeap();
      const s = scripted(heap);
      if (refuseResize) s.always("resize", () => false);
      const arena = new ArenaAllocator(s.a);
      const a = arena.allocator();
      // Live allocations since the last reset or restore, each filled with its own byte.
      let live: { ptr: number; bytes: number; fill: number }[] = [];
      let checkpoint: { at: ArenaCheckpoint; live: number } | undefined;
      const throws = armedThrows(s);
      steps.forEach((next, index) => {
        if (next.op === "throw") {
          throws.arm(next.call, next.after, `step ${index}`);
        } else if (next.op === "alloc") {
          const fill = index % 251;
          throws.attempt(() => {
            const ptr = a.rawAlloc(next.bytes, 8);
            heap.u8.fill(fill, ptr, ptr + next.bytes);
            live.push({ ptr, bytes: next.bytes, fill });
          });
        } else if (next.op === "reset") {
          throws.attempt(() => arena.reset(next.mode));          // one that threw may have freed any of it
          live = [];
          checkpoint = undefined;
        } else if (next.op === "checkpoint") {
          checkpoint = { at: arena.checkpoint(), live: live.length };
        } else if (checkpoint !== undefined) {
          const { at, live: count } = checkpoint;
          throws.attempt(() => arena.restore(at));
          live = live.slice(0, count);
          checkpoint = undefined;
        }
        heap.validate();
        for (const { ptr, bytes, fill } of live) {
          expect(heap.u8[ptr]).toBe(fill);
          expect(heap.u8[ptr + bytes - 1]).toBe(fill);
        }
      });
      // Each throw still armed fires at most once: deinit() is retried until it goes through.
      while (!throws.attempt(() => arena.deinit())) heap.validate();
      expect([...s.live]).toEqual([]);
      heap.validate();
    }), { numRuns: 150 });
  });
});

describe("a MemoryPool over a defineAllocator() allocator whose callbacks throw at random", () => {
  it("stays whole: items keep their contents, validate() clean, everything given back at deinit", () => {
    const poolStep = fc.oneof(
      fc.record({ op: fc.constant("create" as const), count: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ op: fc.constant("destroy" as const), count: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ op: fc.constant("preheat" as const), count: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ op: fc.constant("reset" as const), mode: fc.constantFrom<ResetMode>("free_all", "retain_capacity") }),
      fc.record({ op: fc.constant("throw" as const), call: fc.constantFrom<CallName>("alloc", "resize", "free"), after: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(fc.property(fc.array(poolStep, { maxLength: 40 }), (steps) => {
      const heap = smallHeap();
      const s = scripted(heap);
      const pool = new MemoryPool(s.a, "f64", 40);
      let items: Float64Array[] = [];
      const throws = armedThrows(s);
      steps.forEach((next, index) => {
        if (next.op === "throw") {
          throws.arm(next.call, next.after, `step ${index}`);
        } else if (next.op === "create") {
          for (let i = 0; i < next.count; i++) {
            throws.attempt(() => {
              const item = pool.create();
              item.fill(index * 100 + i);
              items.push(item);
            });
          }
        } else if (next.op === "destroy") {
          for (const item of items.splice(0, next.count)) pool.destroy(item);
        } else if (next.op === "preheat") {
          throws.attempt(() => pool.preheat(next.count));
        } else {
          throws.attempt(() => pool.reset(next.mode));
          items = [];
        }
        heap.validate();
        expect(new Set(items.map((item) => item.byteOffset)).size).toBe(items.length);
        for (const item of items) expect(item[39]).toBe(item[0]);
      });
      while (!throws.attempt(() => pool.deinit())) heap.validate();
      expect([...s.live]).toEqual([]);
      heap.validate();
    }), { numRuns: 150 });
  });
});
