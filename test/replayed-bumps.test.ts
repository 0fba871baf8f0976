// Replayed bumps (src/view-cache.ts, bump-fast-path.ts): a recycling arena or fixed buffer whose
// scope repeats hands out each view by replaying the bump recorded for its position, without
// working the bump out. A replay must be the core's bump exactly. Each test runs twins
// (test/support/bump-twins.ts): the same calls on two identical heaps, one allocator recycling
// views, one whose every call goes to the core.

import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { AllocatorDeinitializedError, ArenaAllocator } from "../src/index";
import { ViewCache } from "../src/view-cache";
import { ResetMode } from "../bindings/abi.generated";
import type { KindName, View } from "../src/kinds";
import { availableStrategies, forceGrowth, KIND_TABLE, smallHeap } from "./support/heaps";
import { makeTwin, outcome, expectSameState, type BumpKind, type Twin } from "./support/bump-twins";

const strategies = availableStrategies();
const kinds: BumpKind[] = ["arena", "fixed"];
const cases = strategies.flatMap((strategy) => kinds.map((kind) => [kind, strategy] as const));

type ScopeOp =
  | { op: "alloc"; kind: KindName; n: number }
  | { op: "allocAligned"; kind: KindName; n: number; align: number }
  | { op: "rawAlloc"; len: number; align: number }
  | { op: "freeLast" };

const kindArb = fc.constantFrom(...KIND_TABLE.map(([name]) => name));
const scopeOpArb: fc.Arbitrary<ScopeOp> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("alloc" as const), kind: kindArb, n: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("allocAligned" as const), kind: kindArb, n: fc.integer({ min: 0, max: 50 }), align: fc.constantFrom(16, 64, 4096) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rawAlloc" as const), len: fc.integer({ min: 1, max: 3000 }), align: fc.constantFrom(1, 4, 8, 64) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("freeLast" as const) }) },
);

/** What happens between two scopes: a changed length (the scope diverges there), growth, a reset mode. */
const roundArb = fc.record({
  change: fc.option(fc.record({ at: fc.nat(), n: fc.integer({ min: 0, max: 300 }) }), { freq: 3 }),
  grow: fc.boolean(),
  mode: fc.constantFrom(0, 1, 2),
  limit: fc.nat({ max: 40_000 }),
});

/** A twin's allocations as its caller holds them, newest last. */
type Held = ({ view: View } | { ptr: number; len: number })[];

function run(twin: Twin, held: Held, op: ScopeOp): unknown {
  const a = twin.allocator;
  switch (op.op) {
    case "alloc":
    case "allocAligned":
      return outcome(() => {
        const view = op.op === "alloc" ? a.alloc(op.kind, op.n) : a.alloc(op.kind, op.n, { align: op.align });
        if (view.byteLength !== 0) held.push({ view });
        return view;
      });
    case "rawAlloc":
      return outcome(() => {
        const ptr = a.rawAlloc(op.len, op.align);
        held.push({ ptr, len: op.len });
        return ptr;
      });
    case "freeLast": {
      const last = held.pop();
      if (last === undefined) return "none";
      return outcome(() => ("view" in last ? a.free(last.view) : a.rawFree(last.ptr, last.len, 1)));
    }
  }
}

/** The reset of an ArenaAllocator or FixedBufferAllocator, on either twin. */
function reset(twin: Twin, kind: BumpKind, mode: number, limit: number): unknown {
  const a = twin.allocator;
  let done: unknown = "reset";
  if (kind === "arena") done = twin.core.arenaReset(a.handle, mode, limit);
  else if (!a.clearRegion()) twin.core.fixedReset(a.handle);
  a.restartViews();
  return done;
}

/** Counts the allocations ViewCache.recycle() replayed. */
function countReplays(): { replays: number } {
  const count = { replays: 0 };
  const recycle = ViewCache.prototype.recycle;
  vi.spyOn(ViewCache.prototype, "recycle").mockImplementation(function (this: ViewCache, ...args) {
    const view = recycle.apply(this, args);
    if (view !== undefined) count.replays++;
    return view;
  });
  return count;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("replayed bumps give the core's offsets", () => {
  it.each(cases)("invariant (%s, %s): scopes repeated with changes, growth and every reset leave the same offsets, errors and region words as the core", (kind, strategy) => {
    fc.assert(
      fc.property(fc.array(scopeOpArb, { minLength: 1, maxLength: 30 }), fc.array(roundArb, { minLength: 2, maxLength: 7 }), (scope, rounds) => {
        const fast = makeTwin(kind, strategy, true);
        fast.allocator.recycleViews();
        const slow = makeTwin(kind, strategy, false);
        for (const round of rounds) {
          if (round.change !== null && scope.length > 0) {
            const at = round.change.at % scope.length;
            const op = scope[at];
            if (op.op === "alloc" || op.op === "allocAligned") scope[at] = { ...op, n: round.change.n };
          }
          if (round.grow) {
            forceGrowth(fast.heap);
            forceGrowth(slow.heap);
          }
          const fastHeld: Held = [];
          const slowHeld: Held = [];
          for (const op of scope) {
            expect(run(fast, fastHeld, op)).toEqual(run(slow, slowHeld, op));
            expectSameState(fast, slow);
          }
          expect(reset(fast, kind, round.mode, round.limit)).toEqual(reset(slow, kind, round.mode, round.limit));
          expectSameState(fast, slow);
        }
      }),
      { numRuns: 40 },
    );
  });

  it.each(cases)("%s (%s): a scope that repeats is replayed whole, reusing every view and calling the core for none", (kind, strategy) => {
    const fast = makeTwin(kind, strategy, true);
    fast.allocator.recycleViews();
    const a = fast.allocator;
    const scope = () => {
      const views: View[] = [a.alloc("f64", 3), a.alloc("u8", 7), a.alloc("i32", 5)];
      const gone = a.alloc("f32", 4);
      a.free(gone);
      views.push(a.alloc("f32", 4), a.alloc("u64", 2));
      a.rawAlloc(24, 8);
      views.push(a.alloc("f64", 1));
      return views;
    };
    // An arena's first scope opens chunks, which its first reset merges into one: from the second
    // scope on, each starts from the same words.
    scope();
    reset(fast, kind, ResetMode.RETAIN_CAPACITY, 0);
    const first = scope();
    reset(fast, kind, ResetMode.RETAIN_CAPACITY, 0);
    const count = countReplays();
    const calls = { ...fast.calls };
    for (let round = 0; round < 4; round++) {
      const again = scope();
      again.forEach((view, i) => expect(view).toBe(first[i]));
      reset(fast, kind, ResetMode.RETAIN_CAPACITY, 0);
    }
    // Seven view allocations a scope, the freed one's included, each replayed.
    expect(count.replays).toBe(4 * 7);
    expect(fast.calls).toEqual(calls);
    fast.heap.validate();
  });

  it.each(cases)("%s (%s): an allocation whose region words differ from those recorded is bumped as usual, at the core's offset", (kind, strategy) => {
    const fast = makeTwin(kind, strategy, true);
    fast.allocator.recycleViews();
    const slow = makeTwin(kind, strategy, false);
    const count = countReplays();
    const scope = (twin: Twin, pad: number) => {
      const a = twin.allocator;
      const x = a.alloc("f64", 2);
      a.rawAlloc(pad, 1);                  // moves the region's end by a different amount each scope
      const y = a.alloc("f64", 2);
      return [x.byteOffset, y.byteOffset];
    };
    for (let round = 1; round <= 6; round++) {
      expect(scope(fast, round)).toEqual(scope(slow, round));
      expectSameState(fast, slow);
      expect(reset(fast, kind, ResetMode.RETAIN_CAPACITY, 0)).toEqual(reset(slow, kind, ResetMode.RETAIN_CAPACITY, 0));
    }
    // Only each scope's first allocation starts from the words recorded for it, from the third
    // scope on for an arena (see above).
    expect(count.replays).toBe(kind === "arena" ? 4 : 5);
  });

  it.each(strategies)("an arena whose backing arena was deinitialized replays nothing: the allocation is refused (%s)", (strategy) => {
    const heap = smallHeap({ viewStrategy: strategy });
    const outer = new ArenaAllocator(heap.pageAllocator);
    const inner = new ArenaAllocator(outer.allocator());
    const a = inner.allocator();
    const scope = () => [a.alloc("f64", 2), a.alloc("i32", 3)];
    scope();
    inner.reset("retain_capacity");
    scope();
    inner.reset("retain_capacity");
    expect(a.alloc("f64", 2)).toBeInstanceOf(Float64Array);   // replayed: the scope repeats
    outer.deinit();
    expect(() => a.alloc("i32", 3)).toThrow(AllocatorDeinitializedError);
    expect(() => inner.reset("retain_capacity")).toThrow(AllocatorDeinitializedError);
    expect(() => a.alloc("f64", 2)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });
});
