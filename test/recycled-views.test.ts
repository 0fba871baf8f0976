// Recycled views: after reset, an arena or fixed buffer whose allocations repeat hands out the same
// view objects again (same kind, length and offset at the same position since the reset), and
// never a view that does not cover its allocation.

import { describe, expect, it } from "vitest";
import {
  AllocatorDeinitializedError, ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, withArena,
  type Allocator, type Heap, type ResetMode,
} from "../src/index";
import { PAGE, availableStrategies, forceGrowth, smallHeap } from "./support/heaps";
import { MAX_RECYCLED_VIEWS } from "../src/view-cache";

type AnyView = Float64Array | Int32Array | Uint8Array | Float32Array | BigInt64Array;

/** One scope of a frame: mixed kinds and lengths, with a free of the last allocation. */
function frame(a: Allocator, scale = 1): AnyView[] {
  const views: AnyView[] = [];
  views.push(a.alloc("f64", 3 * scale));
  views.push(a.alloc("i32", 5));
  const gone = a.alloc("u8", 7);
  a.free(gone);                     // rolls back: the next allocation reuses its offset
  views.push(a.alloc("u8", 7));
  views.push(a.create("f32"));
  views.push(a.alloc("i64", 2));
  views.push(a.alloc("f64", 16, { align: 64 }));
  return views;
}

/** Writes a pattern into every view, distinct per scope. */
function fill(views: AnyView[], seed: number): void {
  views.forEach((view, v) => {
    for (let i = 0; i < view.length; i++) {
      if (view instanceof BigInt64Array) view[i] = BigInt(seed * 1000 + v * 10 + i);
      else view[i] = (seed * 100 + v * 10 + i) % 128;
    }
  });
}

/** Expects each view to hold the pattern fill() wrote, both through the view and through memory. */
function expectFilled(heap: Heap, views: AnyView[], seed: number): void {
  views.forEach((view, v) => {
    const Ctor = view.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => AnyView;
    const fromMemory = new Ctor(heap.memory.buffer, view.byteOffset, view.length);
    for (let i = 0; i < view.length; i++) {
      const expected = view instanceof BigInt64Array ? BigInt(seed * 1000 + v * 10 + i) : (seed * 100 + v * 10 + i) % 128;
      expect(view[i]).toBe(expected);
      expect(fromMemory[i]).toBe(expected);
    }
  });
}

/**
 * Whether `a` is `b`: expect(a).not.toBe(b) reads a detached view's elements to explain itself,
 * which throws.
 */
const same = (a: unknown, b: unknown) => a === b;

const places = (views: AnyView[]) => views.map((v) => [v.constructor.name, v.byteOffset, v.length]);

describe.each(availableStrategies())('recycled views under "%s"', (viewStrategy) => {
  const heapOf = () => smallHeap({ viewStrategy, initialBytes: 4 * PAGE });

  it.each<ResetMode>(["retain_capacity", "free_all", { retain_with_limit: 1 << 20 }])(
    "an arena whose scope repeats hands out the same view objects after reset(%j)", (mode) => {
      const heap = heapOf();
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      const first = frame(a);
      fill(first, 1);
      for (let round = 2; round <= 4; round++) {
        arena.reset(mode);
        const again = frame(a);
        expect(places(again)).toEqual(places(first));
        again.forEach((view, i) => expect(view).toBe(first[i]));
        fill(again, round);
        expectFilled(heap, again, round);
      }
      heap.validate();
    });

  it("a scope that diverges gets new views from the first difference on, and those are recycled next", () => {
    const heap = heapOf();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    const first = frame(a);
    arena.reset("retain_capacity");
    const diverged = frame(a, 2);          // position 0 is longer: the later offsets move
    const moved = places(diverged).map((place, i) => JSON.stringify(place) !== JSON.stringify(places(first)[i]));
    expect(moved.slice(0, 5)).toEqual([true, true, true, true, true]);
    diverged.forEach((view, i) => (moved[i] ? expect(view).not.toBe(first[i]) : expect(view).toBe(first[i])));
    fill(diverged, 5);
    expectFilled(heap, diverged, 5);
    arena.reset("retain_capacity");
    const repeated = frame(a, 2);
    repeated.forEach((view, i) => expect(view).toBe(diverged[i]));
    // Back to the first shape: the entries were replaced, so nothing of the first scope returns.
    arena.reset("retain_capacity");
    const back = frame(a);
    expect(places(back)).toEqual(places(first));
    back.forEach((view, i) => (moved[i] ? expect(view).not.toBe(first[i]) : expect(view).toBe(first[i])));
  });

  it("scopes that do not repeat pause recycling; a loop that settles is recycled again within 66 scopes", () => {
    const heap = heapOf();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    // Each lead is 64 bytes longer than the last: every later offset moves, the 64-aligned one too.
    const scope = (lead: number) => [a.alloc("f64", 8 * lead), ...frame(a)];
    let previous = scope(1);
    for (let k = 2; k < 40; k++) {           // every offset moves every scope: nothing to reuse
      arena.reset("retain_capacity");
      const views = scope(k);
      views.forEach((view, i) => expect(view).not.toBe(previous[i]));
      previous = views;
    }
    const steady: boolean[] = [];
    for (let k = 0; k < 140; k++) {
      arena.reset("retain_capacity");
      const views = scope(1);
      steady.push(views.every((view, i) => view === previous[i]));
      previous = views;
    }
    const first = steady.indexOf(true);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(66);
    expect(steady.slice(first).every(Boolean)).toBe(true);
  });

  it("the same offset and length with another kind, or another length, is a new view", () => {
    const arena = new ArenaAllocator(heapOf().pageAllocator);
    const a = arena.allocator();
    const f32 = a.alloc("f32", 4);
    const u8 = a.alloc("u8", 8);
    const tail = a.alloc("u8", 8);
    arena.reset("retain_capacity");
    const i32 = a.alloc("i32", 4);              // same bytes as f32, another kind
    expect(i32).toBeInstanceOf(Int32Array);
    expect(i32.byteOffset).toBe(f32.byteOffset);
    const shorter = a.alloc("u8", 4);           // same offset as u8, another length
    expect(shorter).not.toBe(u8);
    expect(shorter.length).toBe(4);
    const moved = a.alloc("u8", 8);             // same kind and length as tail, another offset
    expect(moved).not.toBe(tail);
    expect(moved.byteOffset).toBe(shorter.byteOffset + 4);
  });

  it("only view allocations take a position: raw allocations in between do not shift it", () => {
    const arena = new ArenaAllocator(heapOf().pageAllocator);
    const a = arena.allocator();
    const x = a.alloc("u8", 8);
    const raw = a.rawAlloc(8, 1);
    a.rawFree(raw, 8, 1);                       // the last allocation: rolled back
    const y = a.alloc("u8", 8);
    arena.reset("retain_capacity");
    expect(a.alloc("u8", 8)).toBe(x);
    expect(a.alloc("u8", 8)).toBe(y);           // position 1, as y was: the raw allocation took none
    arena.reset("retain_capacity");
    expect(a.alloc("u8", 8)).toBe(x);
    expect(a.rawAlloc(16, 8)).toBe(y.byteOffset); // the raw allocation moves the next offset…
    const z = a.alloc("u8", 8);
    expect(z).not.toBe(y);                        // …so position 1 differs and is replaced
    expect(z.byteOffset).toBe(y.byteOffset + 16);
  });

  it("alloc with { zero } recycles the view and zeroes it", () => {
    const arena = new ArenaAllocator(heapOf().pageAllocator);
    const a = arena.allocator();
    const xs = a.alloc("f64", 8, { zero: true });
    xs.fill(7);
    arena.reset("retain_capacity");
    const again = a.alloc("f64", 8, { zero: true });
    expect(again).toBe(xs);
    expect([...again]).toEqual(new Array(8).fill(0));
  });

  it("{ recycleViews: false } makes a new view every time, at the same offsets", () => {
    const heap = heapOf();
    const arena = new ArenaAllocator(heap.pageAllocator, { recycleViews: false });
    const a = arena.allocator();
    const first = frame(a);
    arena.reset("retain_capacity");
    const again = frame(a);
    expect(places(again)).toEqual(places(first));
    again.forEach((view, i) => expect(view).not.toBe(first[i]));
  });

  it("offsets, capacity and heap statistics are the same with and without recycling", () => {
    const run = (recycleViews: boolean) => {
      const heap = heapOf();
      const arena = ArenaAllocator.init(heap.pageAllocator, { recycleViews });
      const a = arena.allocator();
      const trace: unknown[] = [];
      const modes: ResetMode[] = ["retain_capacity", { retain_with_limit: 3000 }, "free_all", "retain_capacity"];
      for (let round = 0; round < 12; round++) {
        const views = frame(a, 1 + (round % 3));
        const big = a.alloc("u8", 1000 * (round % 4) + 1);   // opens new chunks now and then
        const raw = a.rawAlloc(24, 8);
        const grown = a.resize(a.alloc("i32", 4), 9);
        trace.push(places(views), big.byteOffset, raw, grown?.byteOffset, arena.queryCapacity());
        trace.push(arena.reset(modes[round % modes.length]), arena.queryCapacity());
      }
      trace.push(heap.stats());
      arena.deinit();
      trace.push(heap.stats());
      heap.validate();
      return trace;
    };
    expect(run(true)).toEqual(run(false));
  });

  it(`a scope recycles its first ${MAX_RECYCLED_VIEWS} view allocations only`, () => {
    // Room enough that the scope never grows memory (under "plain" that would drop the cache).
    const arena = new ArenaAllocator(smallHeap({ viewStrategy, initialBytes: 8 << 20 }).pageAllocator);
    const a = arena.allocator();
    const scope = () => Array.from({ length: MAX_RECYCLED_VIEWS + 1000 }, () => a.alloc("u8", 1));
    const first = scope();
    arena.reset("retain_capacity");
    const again = scope();
    let reused = 0;
    for (let i = 0; i < again.length; i++) if (again[i] === first[i]) reused++;
    expect(reused).toBe(MAX_RECYCLED_VIEWS);
    expect(again.slice(0, MAX_RECYCLED_VIEWS).every((view, i) => view === first[i])).toBe(true);
    expect(again.every((view, i) => view.byteOffset === first[i].byteOffset)).toBe(true);
  });

  it("freeing the last view gives its position back: an allocator used as a stack reuses one view", () => {
    const heap = heapOf();
    for (const allocator of [new ArenaAllocator(heap.pageAllocator).allocator(),
      new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4096)).allocator()]) {
      const below = allocator.alloc("i32", 3);
      const top = allocator.alloc("f64", 16);
      for (let i = 0; i < 1000; i++) {
        allocator.free(top);
        const again = allocator.alloc("f64", 16);
        expect(again).toBe(top);
        again[15] = i;
        expect(new Float64Array(heap.memory.buffer, top.byteOffset, 16)[15]).toBe(i);
      }
      // Another length at the freed place is a view of its own, and the view below is untouched.
      allocator.free(top);
      const shorter = allocator.alloc("f64", 8);
      expect(same(shorter, top)).toBe(false);
      expect(shorter.byteOffset).toBe(top.byteOffset);
      expect(allocator.alloc("i32", 3) === below).toBe(false);
      heap.validate();
    }
  });

  it("freeing a view that is not the last one gives no position back", () => {
    const heap = heapOf();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    const x = a.alloc("f64", 4);
    const y = a.alloc("f64", 4);
    a.free(x);                        // not the last allocation: a no-op in an arena
    const z = a.alloc("f64", 4);
    expect(same(z, x) || same(z, y)).toBe(false);
    expect(z.byteOffset).toBe(y.byteOffset + y.byteLength);
    arena.reset("retain_capacity");
    expect(a.alloc("f64", 4)).toBe(x); // positions 0, 1 and 2 are recycled as recorded
    expect(a.alloc("f64", 4)).toBe(y);
    expect(a.alloc("f64", 4)).toBe(z);
    heap.validate();
  });

  it("deinit drops the views: a new arena at the same offsets makes its own", () => {
    const heap = heapOf();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const x = arena.allocator().alloc("f64", 4);
    arena.deinit();
    expect(() => arena.allocator().alloc("f64", 4)).toThrow(AllocatorDeinitializedError);
    const next = new ArenaAllocator(heap.pageAllocator);
    const y = next.allocator().alloc("f64", 4);
    expect(y.byteOffset).toBe(x.byteOffset);
    expect(y).not.toBe(x);
  });

  it("a fixed buffer recycles its views after reset(), unless told not to", () => {
    const heap = heapOf();
    for (const recycleViews of [undefined, true, false]) {
      const buffer = heap.pageAllocator.alloc("u8", 4096);
      const fba = new FixedBufferAllocator(buffer, recycleViews === undefined ? undefined : { recycleViews });
      const a = fba.allocator();
      const first = frame(a);
      fill(first, 1);
      fba.reset();
      const again = frame(a);
      expect(places(again)).toEqual(places(first));
      again.forEach((view, i) => (recycleViews === false ? expect(view).not.toBe(first[i]) : expect(view).toBe(first[i])));
      fill(again, 2);
      expectFilled(heap, again, 2);
      expect(fba.ownsSlice(again[0])).toBe(true);
    }
    heap.validate();
  });

  if (viewStrategy === "plain") {
    it("growth between scopes detaches the cached views: none is handed out again, the new ones work", () => {
      const heap = heapOf();
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      const first = frame(a);
      const offsets = places(first);
      forceGrowth(heap);
      first.forEach((view) => expect(view.byteLength).toBe(0));     // detached
      arena.reset("retain_capacity");
      const again = frame(a);
      expect(places(again)).toEqual(offsets);
      again.forEach((view, i) => expect(same(view, first[i])).toBe(false));
      fill(again, 3);
      expectFilled(heap, again, 3);
      // The views made after the growth are recycled from the next scope on.
      arena.reset("retain_capacity");
      frame(a).forEach((view, i) => expect(view).toBe(again[i]));
    });

    it("growth halfway through a scope: the views after it are new and work; the next scope recycles them", () => {
      const heap = heapOf();
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      const x = a.alloc("f64", 4);
      const y = a.alloc("f64", 4);
      arena.reset("retain_capacity");
      expect(a.alloc("f64", 4)).toBe(x);
      const yOffset = y.byteOffset;
      forceGrowth(heap);
      const y2 = a.alloc("f64", 4);
      expect(same(y2, y)).toBe(false);
      expect(y2.byteOffset).toBe(yOffset);
      y2.fill(2.5);
      expect(heap.f64[y2.byteOffset / 8]).toBe(2.5);
      arena.reset("retain_capacity");
      const x3 = a.alloc("f64", 4);
      expect(same(x3, x)).toBe(false);        // detached: dropped at the reset after the growth
      expect(x3.byteLength).toBe(32);
      const y3 = a.alloc("f64", 4);
      expect(y3.byteLength).toBe(32);
      arena.reset("retain_capacity");
      expect(a.alloc("f64", 4)).toBe(x3);
      expect(a.alloc("f64", 4)).toBe(y3);
    });

    it("an arena whose own chunk grows memory hands out working views, never a detached one", () => {
      const heap = smallHeap({ viewStrategy, initialBytes: PAGE });
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      const small = a.alloc("u8", 16);
      arena.reset("retain_capacity");
      expect(a.alloc("u8", 16)).toBe(small);
      const grows = heap.stats().grows;
      const big = a.alloc("f64", PAGE);        // 512 KiB: memory grows, small is detached
      expect(heap.stats().grows).toBeGreaterThan(grows);
      expect(small.byteLength).toBe(0);
      big[PAGE - 1] = 1;
      arena.reset("retain_capacity");
      const again = a.alloc("u8", 16);
      expect(same(again, small)).toBe(false);
      expect(again.byteLength).toBe(16);
      again.fill(9);
      expect(heap.u8[again.byteOffset + 15]).toBe(9);
      heap.validate();
    });
  } else {
    it("a view made before growth is recycled after it and still covers its bytes", () => {
      const heap = heapOf();
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      const first = frame(a);
      forceGrowth(heap);
      forceGrowth(heap);
      arena.reset("retain_capacity");
      const again = frame(a);
      again.forEach((view, i) => expect(view).toBe(first[i]));
      fill(again, 4);
      expectFilled(heap, again, 4);
      // Writes through memory's current buffer are seen through the recycled view, and back.
      const f64 = heap.f64;
      f64[again[0].byteOffset / 8] = 42.5;
      expect(again[0][0]).toBe(42.5);
      heap.validate();
    });
  }
});

describe("recycled views and safety", () => {
  it("are off by default over a GPA with safety, through arenas too; reset poisons with 0xAA", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const middle = new ArenaAllocator(gpa.allocator());
    for (const arena of [new ArenaAllocator(gpa.allocator()), new ArenaAllocator(middle.allocator())]) {
      const a = arena.allocator();
      const xs = a.alloc("u8", 64);
      const ys = a.alloc("f64", 4);
      xs.fill(1);
      ys.fill(1);
      arena.reset("retain_capacity");
      // The old views still cover the retained chunk: they read the poison, not stale data.
      expect([...xs]).toEqual(new Array(64).fill(0xAA));
      expect(new Uint8Array(ys.buffer, ys.byteOffset, 32).every((b) => b === 0xAA)).toBe(true);
      const again = a.alloc("u8", 64);
      expect(again.byteOffset).toBe(xs.byteOffset);
      expect(again).not.toBe(xs);
      arena.deinit();
    }
    middle.deinit();
    expect(gpa.deinit()).toBe("ok");
  });

  it("{ recycleViews: true } turns them on over a GPA with safety; reset still poisons", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const arena = new ArenaAllocator(gpa.allocator(), { recycleViews: true });
    const a = arena.allocator();
    const xs = a.alloc("u8", 16);
    xs.fill(3);
    arena.reset("retain_capacity");
    const again = a.alloc("u8", 16);
    expect(again).toBe(xs);
    expect([...again]).toEqual(new Array(16).fill(0xAA));
    arena.deinit();
    expect(gpa.deinit()).toBe("ok");
  });

  it("are on over a GPA without safety, and reset does not touch the memory", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, safety: false });
    const arena = new ArenaAllocator(gpa.allocator());
    const a = arena.allocator();
    const xs = a.alloc("u8", 16);
    xs.fill(3);
    arena.reset("retain_capacity");
    const again = a.alloc("u8", 16);
    expect(again).toBe(xs);
    expect([...again]).toEqual(new Array(16).fill(3));
    arena.deinit();
    gpa.deinit();
  });

  it("a GPA made with safety at the address of one without is seen as such, and the other way", () => {
    const heap = smallHeap();
    const recycles = (gpa: GeneralPurposeAllocator) => {
      const arena = new ArenaAllocator(gpa.allocator());
      const first = arena.allocator().alloc("u8", 8);
      arena.reset("retain_capacity");
      const same = arena.allocator().alloc("u8", 8) === first;
      arena.deinit();
      gpa.deinit();
      return same;
    };
    const handles: number[] = [];
    const results = [true, false, true].map((safety) => {
      const gpa = new GeneralPurposeAllocator({ heap, safety });
      handles.push(gpa.allocator().handle);
      return recycles(gpa);
    });
    expect(results).toEqual([false, true, false]);
    expect(new Set(handles).size).toBe(1);     // the same record each time
  });

  it("withArena's arena lives for one scope and does not recycle, even when the body resets it", () => {
    const heap = smallHeap();
    const [first, again] = withArena(heap.pageAllocator, (a, arena) => {
      const x = a.alloc("f64", 4);
      arena.reset("retain_capacity");
      return [x, a.alloc("f64", 4)];
    });
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(again).not.toBe(first);
  });

  it("the option is checked", () => {
    const heap = smallHeap();
    expect(() => new ArenaAllocator(heap.pageAllocator, { recycleViews: "no" as never })).toThrow(TypeError);
    expect(() => new ArenaAllocator(heap.pageAllocator, null as never)).toThrow(TypeError);
    expect(() => new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 64), { recycleViews: 0 as never })).toThrow(TypeError);
    heap.validate();
  });
});
