// Arena checkpoints (bumpalo's raw checkpoint): rewind in LIFO order, giving back the chunks
// opened since; a stale checkpoint is InvalidFreeError and changes nothing.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, InvalidFreeError } from "../src/index";
import { arenaOnPages, expectRejected, smallHeap, PAGE } from "./support/heaps";

const pageCalls = (heap: ReturnType<typeof smallHeap>) => heap.stats().pageAllocCalls - heap.stats().pageFreeCalls;

describe("ArenaAllocator checkpoints", () => {
  it("restore() rewinds the bump: the next allocation lands where the first one after the checkpoint did", () => {
    const { heap, arena, a } = arenaOnPages();
    a.rawAlloc(100);
    const cp = arena.checkpoint();
    const first = a.rawAlloc(64);
    a.rawAlloc(500);
    arena.restore(cp);
    expect(a.rawAlloc(64)).toBe(first);
    heap.validate();
  });

  it("restore() gives back the recycled-view positions taken since: a checkpoint loop reuses the same views", () => {
    const { heap, arena, a } = arenaOnPages();
    const before = a.alloc("i32", 4);
    const seen: Float64Array[] = [];
    for (let i = 0; i < 100; i++) {
      const outer = arena.checkpoint();
      const x = a.alloc("f64", 16);
      const inner = arena.checkpoint();
      const y = a.alloc("f64", 2);
      arena.restore(inner);
      expect(a.alloc("f64", 2)).toBe(y);  // the position inner was taken at, and the same bytes
      arena.restore(outer);
      seen.push(x);
      x[15] = i;
      expect(heap.f64[(x.byteOffset >>> 3) + 15]).toBe(i);
    }
    expect(seen.every((x) => x === seen[0])).toBe(true);
    // Positions before the checkpoint are untouched: after a reset the scope recycles from 0.
    arena.reset("retain_capacity");
    expect(a.alloc("i32", 4)).toBe(before);
    expect(a.alloc("f64", 16)).toBe(seen[0]);
    heap.validate();
  });

  it("chunks opened since the checkpoint go back to the backing allocator, and queryCapacity shrinks with them", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const arena = new ArenaAllocator(gpa.allocator());
    const a = arena.allocator();
    a.rawAlloc(1000);
    const capacity = arena.queryCapacity();
    const live = gpa.stats().liveAllocations;
    const cp = arena.checkpoint();
    gpa.allocator().rawAlloc(8); // the chunk cannot grow in place past this block
    for (let i = 0; i < 5; i++) a.rawAlloc(50_000);
    expect(gpa.stats().liveAllocations).toBeGreaterThan(live + 1);
    arena.restore(cp);
    expect(gpa.stats().liveAllocations).toBe(live + 1);
    expect(arena.queryCapacity()).toBe(capacity);
    heap.validate();
  });

  it("nested checkpoints restore in LIFO order; one later than a checkpoint restored since is stale", () => {
    const { heap, arena, a } = arenaOnPages();
    const outer = arena.checkpoint();
    const x = a.rawAlloc(10);
    const inner = arena.checkpoint();
    const y = a.rawAlloc(3 * PAGE);
    arena.restore(inner);
    expect(a.rawAlloc(10)).toBe(y);
    arena.restore(outer);
    expect(a.rawAlloc(10)).toBe(x);
    arena.restore(outer); // the same point again is fine
    expectRejected(heap, () => arena.restore(inner), InvalidFreeError);
  });

  it("a checkpoint taken before a reset is stale, whatever the reset mode", () => {
    for (const mode of ["free_all", "retain_capacity", { retain_with_limit: 100 }] as const) {
      const { heap, arena, a } = arenaOnPages();
      a.rawAlloc(10);
      const cp = arena.checkpoint();
      arena.reset(mode);
      const next = a.rawAlloc(10);
      expectRejected(heap, () => arena.restore(cp), InvalidFreeError);
      expect(a.rawAlloc(10)).toBeGreaterThan(next);
    }
  });

  it("another arena's checkpoint, or anything else, is refused", () => {
    const { heap, arena } = arenaOnPages();
    const other = new ArenaAllocator(heap.pageAllocator);
    expectRejected(heap, () => arena.restore(other.checkpoint()), InvalidFreeError);
    expectRejected(heap, () => arena.restore({} as never), TypeError);
    arena.deinit();
    other.deinit();
  });

  it("a checkpoint of an empty arena rewinds to no chunk at all; over a fixed buffer the memory is reused", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 64 * 1024));
    const arena = new ArenaAllocator(fba.allocator());
    const empty = arena.checkpoint();
    const calls = pageCalls(heap);
    const first = arena.allocator().rawAlloc(1000);
    arena.restore(empty);
    expect(arena.queryCapacity()).toBe(0);
    expect(fba.endIndex).toBe(0);
    expect(arena.allocator().rawAlloc(1000)).toBe(first);
    expect(pageCalls(heap)).toBe(calls);
    heap.validate();
  });
});
