// The bump fast path (src/bump-fast-path.ts): an arena's and a fixed buffer's bump, made in
// JavaScript over the region in linear memory, must be the core's bump exactly. Each test runs
// twins (test/support/bump-twins.ts): the same calls on two identical heaps, one allocator bumping
// in JavaScript and one sent wholly through the core.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AllocatorDeinitializedError, ArenaAllocator, FixedBufferAllocator, HeapCorruptionError, InvalidFreeError } from "../src/index";
import { ResetMode } from "../bindings/abi.generated";
import { availableStrategies, forceGrowth, KIND_TABLE, PAGE, smallHeap, expectRejected } from "./support/heaps";
import { makeTwin, regionWords, outcome, expectSameState, type BumpKind, type Twin } from "./support/bump-twins";

const strategies = availableStrategies();
const kinds: BumpKind[] = ["arena", "fixed"];
const cases = strategies.flatMap((strategy) => kinds.map((kind) => [kind, strategy] as const));

const alignArb = fc.constantFrom(1, 2, 4, 8, 16, 32, 64, 128, 4096, 65536);
const lenArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 90_000 }) },
);
const kindArb = fc.constantFrom(...KIND_TABLE.map(([name]) => name));

type Op =
  | { op: "rawAlloc"; len: number; align: number }
  | { op: "alloc"; kind: (typeof KIND_TABLE)[number][0]; n: number; align: number }
  | { op: "freeLast" }
  | { op: "free"; which: number }
  | { op: "resizeLast"; newLen: number }
  | { op: "resize"; which: number; newLen: number }
  | { op: "realloc"; which: number; newLen: number }
  | { op: "reset"; mode: number; limit: number }
  | { op: "grow" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("rawAlloc" as const), len: lenArb, align: alignArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("alloc" as const), kind: kindArb, n: fc.integer({ min: 0, max: 200 }), align: alignArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("freeLast" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("free" as const), which: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("resizeLast" as const), newLen: lenArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("resize" as const), which: fc.nat(), newLen: lenArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("realloc" as const), which: fc.nat(), newLen: lenArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reset" as const), mode: fc.constantFrom(0, 1, 2), limit: fc.nat({ max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("grow" as const) }) },
);

/** A twin's allocations as its caller sees them, newest last. */
type Live = { ptr: number; len: number }[];

/** Runs `op` on `twin`, whose caller holds `live`; what it returned or threw. */
function apply(twin: Twin, kind: BumpKind, live: Live, op: Op): unknown {
  const a = twin.allocator;
  const pick = (which: number) => live.length === 0 ? undefined : live.splice(which % live.length, 1)[0];
  switch (op.op) {
    case "rawAlloc": return outcome(() => {
      const ptr = a.rawAlloc(op.len, op.align);
      if (ptr !== 0 && op.len !== 0) live.push({ ptr, len: op.len });
      return ptr;
    });
    case "alloc": return outcome(() => {
      const view = a.alloc(op.kind, op.n, { align: op.align });
      if (view.byteLength !== 0) live.push({ ptr: view.byteOffset, len: view.byteLength });
      return view;
    });
    case "freeLast":
    case "free": {
      const block = op.op === "freeLast" ? live.pop() : pick(op.which);
      return block === undefined ? "none" : outcome(() => a.rawFree(block.ptr, block.len, 1));
    }
    case "resizeLast":
    case "resize": {
      const block = op.op === "resizeLast" ? live.pop() : pick(op.which);
      if (block === undefined) return "none";
      return outcome(() => {
        const done = a.rawResize(block.ptr, block.len, op.newLen, 1);
        const len = done ? op.newLen : block.len;
        if (len !== 0) live.push({ ptr: block.ptr, len });
        return done;
      });
    }
    case "realloc": {
      const block = pick(op.which);
      if (block === undefined) return "none";
      return outcome(() => {
        const moved = a.rawRealloc(block.ptr, block.len, op.newLen, 8);
        if (moved === 0) live.push(block);
        else if (op.newLen !== 0) live.push({ ptr: moved, len: op.newLen });
        return moved;
      });
    }
    case "reset":
      live.length = 0;
      if (kind === "arena") return twin.core.arenaReset(a.handle, op.mode, op.limit);
      // FixedBufferAllocator.reset(): the fast twin clears its region in JavaScript.
      if (!a.clearRegion()) twin.core.fixedReset(a.handle);
      return "reset";
    case "grow":
      forceGrowth(twin.heap);
      return twin.heap.memory.buffer.byteLength;
  }
}

describe("the bump fast path gives the core's offsets", () => {
  it.each(cases)("invariant (%s, %s): the same calls give the same offsets, errors and region words in JavaScript as in the core", (kind, strategy) => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), (ops) => {
        const fast = makeTwin(kind, strategy, true);
        const slow = makeTwin(kind, strategy, false);
        const fastLive: Live = [];
        const slowLive: Live = [];
        for (const op of ops) {
          expect(apply(fast, kind, fastLive, op)).toEqual(apply(slow, kind, slowLive, op));
          expectSameState(fast, slow);
        }
        // The fast twin asked the core no more often than the slow one, which asked it every time.
        expect(fast.calls.alloc).toBeLessThanOrEqual(slow.calls.alloc);
        expect(fast.calls.free).toBeLessThanOrEqual(slow.calls.free);
        expect(fast.calls.resize).toBeLessThanOrEqual(slow.calls.resize);
      }),
      { numRuns: 60 },
    );
  });

  it.each(cases)("%s (%s): allocations that fit the region, and frees and resizes of the last one, make no call into the core", (kind, strategy) => {
    const fast = makeTwin(kind, strategy, true);
    const slow = makeTwin(kind, strategy, false);
    const sequence = (twin: Twin) => {
      const a = twin.allocator;
      // The arena's first allocation opens its chunk through the core; this one is large enough
      // that every later one fits in it.
      const first = a.rawAlloc(64 * 1024, 8);
      const ptrs = [first];
      for (let i = 0; i < 500; i++) ptrs.push(a.rawAlloc(1 + (i % 97), 1 << (i % 7)));
      const last = ptrs[ptrs.length - 1];
      const lastLen = 1 + (499 % 97);
      const grew = a.rawResize(last, lastLen, lastLen + 100, 1);
      a.rawFree(last, lastLen + 100, 1);
      const view = a.alloc("f64", 10);
      const resized = a.resize(view, 20);
      a.free(resized!);
      return { ptrs, grew, offset: view.byteOffset, resized: resized?.length };
    };
    expect(sequence(fast)).toEqual(sequence(slow));
    expectSameState(fast, slow);
    expect(fast.calls).toEqual({ alloc: kind === "arena" ? 1 : 0, free: 0, resize: 0 });
    expect(slow.calls).toEqual({ alloc: 502, free: 2, resize: 2 });
  });
});

describe("the bump fast path across growth and beside core calls", () => {
  it.each(cases)("%s (%s): after the page allocator grows memory, bumping continues in JavaScript on the grown memory", (kind, strategy) => {
    const fast = makeTwin(kind, strategy, true);
    const slow = makeTwin(kind, strategy, false);
    for (const twin of [fast, slow]) {
      const a = twin.allocator;
      // Room for everything below in the region: an arena keeps its chunk after the free.
      a.rawFree(a.rawAlloc(60_000, 8), 60_000, 8);
      const before = a.alloc("i32", 1000);
      before.fill(7);
      const end = before.byteOffset + before.byteLength;
      const calls = { ...twin.calls };
      forceGrowth(twin.heap);
      const after = a.alloc("i32", 1000);
      after.fill(9);
      expect(after.byteOffset).toBe(end);
      expect(twin.heap.i32[after.byteOffset / 4 + 999]).toBe(9);
      expect(twin.heap.i32[end / 4 - 1]).toBe(7);
      const longer = a.resize(after, 1500);
      expect(longer?.length).toBe(1500);
      a.free(longer!);
      expect(a.rawAlloc(4, 4)).toBe(end);
      if (twin === fast) expect(twin.calls).toEqual(calls);
    }
    expectSameState(fast, slow);
  });

  it.each(strategies)("arena (%s): a new chunk, in-place chunk growth and every reset mode run in the core between fast bumps", (strategy) => {
    const fast = makeTwin("arena", strategy, true);
    const slow = makeTwin("arena", strategy, false);
    const modes = [ResetMode.FREE_ALL, ResetMode.RETAIN_WITH_LIMIT, ResetMode.RETAIN_CAPACITY];
    const round = (twin: Twin, out: number[]) => {
      const a = twin.allocator;
      for (let i = 0; i < 300; i++) out.push(a.rawAlloc(8 + i * 13, 8));  // outgrows chunk after chunk
      const big = a.rawAlloc(200_000, 65536);                              // more than the chunk holds
      const grown = a.rawResize(big, 200_000, 300_000, 1);                  // the backing may grow it in place
      out.push(big, Number(grown));
      a.rawFree(big, grown ? 300_000 : 200_000, 1);
    };
    const run = (twin: Twin) => {
      const out: number[] = [];
      for (const mode of modes) {
        round(twin, out);
        out.push(twin.core.arenaCapacity(twin.allocator.handle));
        out.push(twin.core.arenaReset(twin.allocator.handle, mode, 50_000));
        const small = twin.allocator.rawAlloc(100, 16);
        out.push(small);
        twin.allocator.rawFree(small, 100, 16);
      }
      // After "retain_capacity" the same round fits the one merged chunk: no core call at all.
      const before = { ...twin.calls };
      round(twin, out);
      return { out, roundCalls: [twin.calls.alloc - before.alloc, twin.calls.resize - before.resize, twin.calls.free - before.free] };
    };
    const fastRun = run(fast);
    const slowRun = run(slow);
    expect(fastRun.out).toEqual(slowRun.out);
    expectSameState(fast, slow);
    // Only growing the big allocation past the merged chunk asks the core (the backing then says no).
    const grewInPlace = fastRun.out[fastRun.out.length - 1];
    expect(fastRun.roundCalls).toEqual([0, 1 - grewInPlace, 0]);
    expect(slowRun.roundCalls).toEqual([301, 1, 1]);
    expect(fast.calls.alloc).toBeGreaterThan(0);
    expect(fast.calls.alloc).toBeLessThan(slow.calls.alloc);
  });

  it.each(strategies)("arena (%s): memory grown from JavaScript, unannounced, leaves allocations correct", (strategy) => {
    const fast = makeTwin("arena", strategy, true);
    const slow = makeTwin("arena", strategy, false);
    const run = (twin: Twin) => {
      const a = twin.allocator;
      const first = a.alloc("f64", 100);
      twin.heap.memory.grow(1);
      const second = a.alloc("f64", 100);
      second.fill(1.5);
      const third = a.rawAlloc(64, 64);
      a.free(second);
      return [first.byteOffset, second.byteOffset, second[99], third];
    };
    expect(run(fast)).toEqual(run(slow));
    expectSameState(fast, slow);
  });
});

describe("the bump fast path defers to the core for everything else", () => {
  it.each(strategies)("a fixed buffer's reset (%s) clears its region in JavaScript exactly as the core does, damaged words included", (strategy) => {
    const fast = makeTwin("fixed", strategy, true);
    const slow = makeTwin("fixed", strategy, false);
    for (const twin of [fast, slow]) twin.allocator.rawAlloc(100, 8);
    expect(fast.allocator.clearRegion()).toBe(true);
    expect(slow.allocator.clearRegion()).toBe(false);
    slow.core.fixedReset(slow.allocator.handle);
    expectSameState(fast, slow);
    expect(regionWords(fast)[2]).toBe(0);
    // The core's clear reseals whatever the words are; so does the fast path's.
    for (const twin of [fast, slow]) twin.heap.u32[(twin.region >>> 2) + 1] -= 64;   // capacity
    expect(fast.allocator.clearRegion()).toBe(true);
    slow.core.fixedReset(slow.allocator.handle);
    expect(regionWords(fast)).toEqual(regionWords(slow));
    expect(fast.allocator.rawAlloc(8, 8)).toBe(slow.allocator.rawAlloc(8, 8));
  });

  it("FixedBufferAllocator.reset() through the public API: the buffer is free again and views are recycled", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 1024));
    const a = fba.allocator();
    const first = a.alloc("f32", 16);
    fba.reset();
    expect(fba.endIndex).toBe(0);
    expect(a.alloc("f32", 16)).toBe(first);
    heap.validate();
  });

  it.each(cases)("%s (%s): a region whose end was overwritten is refused by the core with HeapCorruptionError, unchanged", (kind, strategy) => {
    const twin = makeTwin(kind, strategy, true);
    const a = twin.allocator;
    const ptr = a.rawAlloc(64, 8);
    const u32 = twin.heap.u32;
    u32[(twin.region >>> 2) + 2] += 8;   // `end`, without its seal
    const damaged = regionWords(twin);
    for (const call of [() => a.rawAlloc(8, 8), () => a.rawFree(ptr, 72, 1), () => a.rawResize(ptr, 72, 80, 1), () => a.alloc("u8", 1)]) {
      expect(call).toThrow(HeapCorruptionError);
      expect(regionWords(twin)).toEqual(damaged);
    }
    expect(twin.calls.alloc).toBeGreaterThanOrEqual(2);
    expect(() => twin.heap.validate()).toThrow(HeapCorruptionError);
  });

  it.each(cases)("%s (%s): a free or resize it cannot settle is the core's: no-ops stay no-ops, foreign ranges throw InvalidFreeError", (kind, strategy) => {
    const twin = makeTwin(kind, strategy, true);
    const a = twin.allocator;
    const x = a.rawAlloc(32, 8);
    const y = a.rawAlloc(32, 8);
    const words = regionWords(twin);
    a.rawFree(x, 32, 1);                                   // not the last: a no-op in the core
    expect(a.rawResize(x, 32, 16, 1)).toBe(true);          // shrinking another: succeeds, changes nothing
    expect(a.rawResize(x, 32, 64, 1)).toBe(false);         // growing another: cannot
    expect(regionWords(twin)).toEqual(words);
    expect(twin.calls).toMatchObject({ free: 1, resize: 2 });
    expectRejected(twin.heap, () => a.rawFree(8, 16, 1), InvalidFreeError);          // below the heap
    expectRejected(twin.heap, () => a.rawFree(y + 64, 32, 1), InvalidFreeError);     // past the bump
    a.rawFree(y, 32, 1);
    expect(a.rawAlloc(32, 8)).toBe(y);
  });

  it("a fixed buffer at the very start of memory: addresses the core would refuse go to the core", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.u8.subarray(0, 64));
    const a = fba.allocator();
    // The first allocation would be at address 0, which means "no memory": the core says so too.
    expect(a.rawAlloc(8, 8)).toBe(0);
    const ptr = a.rawAlloc(0, 8);
    expect(ptr).toBe(8);
    heap.validate();
  });

  it.each(strategies)("ArenaAllocator and FixedBufferAllocator (%s) bump in JavaScript through the public API, and stay consistent with their queries", (strategy) => {
    const heap = smallHeap({ viewStrategy: strategy });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    const views = Array.from({ length: 100 }, (_, i) => a.alloc("u16", i + 1));
    for (let i = 1; i < views.length; i++) expect(views[i].byteOffset).toBe(views[i - 1].byteOffset + views[i - 1].byteLength);
    const first = views[0].byteOffset;
    const buffer = a.alloc("u8", 4 * PAGE);
    const fba = new FixedBufferAllocator(buffer);
    const f = fba.allocator();
    const xs = f.alloc("f64", 10);
    expect(fba.endIndex).toBe(xs.byteOffset + xs.byteLength - buffer.byteOffset);
    f.free(xs);
    expect(fba.endIndex).toBe(xs.byteOffset - buffer.byteOffset);
    expect(arena.reset("retain_capacity")).toBe(true);
    expect(a.alloc("u16", 1).byteOffset).toBe(first);
    heap.validate();
    arena.deinit();
    expect(() => a.alloc("u8", 1)).toThrow();
  });
});

describe("the bump fast path keeps every refusal", () => {
  it.each(kinds)("%s: arguments the fast path does not take are refused as before, with nothing changed", (kind) => {
    const twin = makeTwin(kind, strategies[0], true);
    const a = twin.allocator;
    a.rawAlloc(16, 8);
    const words = regionWords(twin);
    const page = twin.heap.pageAllocator;
    const bad: [string, (target: typeof page) => unknown][] = [
      ["rawAlloc(10n)", (t) => t.rawAlloc(10n as never)],
      ["rawAlloc(\"8\")", (t) => t.rawAlloc("8" as never)],
      ["rawAlloc(8, 8n)", (t) => t.rawAlloc(8, 8n as never)],
      ["rawAlloc(8, 0.5)", (t) => t.rawAlloc(8, 0.5)],
      ["rawAlloc(8, 0)", (t) => t.rawAlloc(8, 0)],
      ["rawAlloc(8, 2 ** 31)", (t) => t.rawAlloc(8, 2 ** 31)],
      ["rawAlloc(8, 131072)", (t) => t.rawAlloc(8, 131072)],
      ["rawAlloc(-8)", (t) => t.rawAlloc(-8)],
      ["rawAlloc(1.5)", (t) => t.rawAlloc(1.5)],
      ["rawAlloc(2 ** 32)", (t) => t.rawAlloc(2 ** 32)],
      ["alloc(\"u8\", 10n)", (t) => t.alloc("u8", 10n as never)],
      ["alloc(\"f64\", 2 ** 29)", (t) => t.alloc("f64", 2 ** 29)],
      ["alloc(\"f64\", NaN)", (t) => t.alloc("f64", NaN)],
    ];
    for (const [, call] of bad) {
      const expected = outcome(() => call(page));
      expect(expected).toMatchObject({ threw: "RangeError" });
      expect(outcome(() => call(a))).toEqual(expected);
      expect(regionWords(twin)).toEqual(words);
    }
    twin.heap.validate();
  });

  it("an arena whose backing, or which itself, was deinitialized refuses allocations that would fit its region", () => {
    const heap = smallHeap();
    const outer = new ArenaAllocator(heap.pageAllocator);
    const inner = new ArenaAllocator(outer.allocator());
    const a = inner.allocator();
    const x = a.rawAlloc(8, 8);
    outer.deinit();
    expect(() => a.rawAlloc(8, 8)).toThrow(AllocatorDeinitializedError);
    expect(() => a.alloc("u8", 1)).toThrow(AllocatorDeinitializedError);
    expect(() => a.rawFree(x, 8)).toThrow(AllocatorDeinitializedError);
    expect(() => a.rawResize(x, 8, 4)).toThrow(AllocatorDeinitializedError);
    const own = new ArenaAllocator(heap.pageAllocator);
    const b = own.allocator();
    const y = b.rawAlloc(8, 8);
    own.deinit();
    expect(() => b.rawAlloc(8, 8)).toThrow(AllocatorDeinitializedError);
    expect(() => b.alloc("u8", 1)).toThrow(AllocatorDeinitializedError);
    expect(() => b.rawFree(y, 8)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });
});
