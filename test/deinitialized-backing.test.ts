// An allocator keeps its backing allocator as a reference that goes stale when the backing is
// deinitialized: every later call that needs the backing is an AllocatorDeinitializedError, even
// once a new allocator reuses the backing's record, and nothing reaches that new allocator.

import { describe, expect, it } from "vitest";
import { AllocatorDeinitializedError, ArenaAllocator, GeneralPurposeAllocator } from "../src/index";
import { smallHeap } from "./support/heaps";

describe("an allocator over a deinitialized backing", () => {
  it("a GPA over an arena: allocating a new slab after arena.deinit() throws, even when a new arena reuses the record", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const gpa = new GeneralPurposeAllocator({ heap, backing: arena.allocator(), safety: false });
    const a = gpa.allocator();
    a.rawAlloc(64);
    const handle = arena.allocator().handle;
    arena.deinit();
    const reuser = new ArenaAllocator(heap.pageAllocator);
    expect(reuser.allocator().handle).toBe(handle);
    expect(() => a.rawAlloc(5000)).toThrow(AllocatorDeinitializedError);
    expect(() => a.alloc("u8", 5000)).toThrow(AllocatorDeinitializedError);
    expect(reuser.queryCapacity()).toBe(0);
    heap.validate();
  });

  it("an arena over a GPA: a new chunk after gpa.deinit() throws, and arena.deinit() frees nothing into the GPA that reuses the record", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: () => {} });
    const arena = new ArenaAllocator(gpa.allocator());
    arena.allocator().rawAlloc(100);
    expect(gpa.deinit()).toBe("leak");
    const next = new GeneralPurposeAllocator({ heap });
    const kept = next.allocator().rawAlloc(100);
    expect(() => arena.allocator().rawAlloc(1 << 20)).toThrow(AllocatorDeinitializedError);
    // Its chunk went with the GPA's memory: not even the room left in it is the arena's now.
    expect(() => arena.allocator().rawAlloc(8)).toThrow(AllocatorDeinitializedError);
    arena.deinit();
    expect(next.totalRequestedBytes).toBe(100);
    next.allocator().rawFree(kept, 100);
    expect(next.deinit()).toBe("ok");
    heap.validate();
  });

  it("an arena over an arena: after the backing arena's deinit(), neither alloc nor rawAlloc hands out the room left in the chunk", () => {
    const heap = smallHeap();
    const outer = new ArenaAllocator(heap.pageAllocator);
    const inner = new ArenaAllocator(outer.allocator());
    const scratch = inner.allocator();
    const first = scratch.rawAlloc(8);
    // The chunk has room: these bump in place.
    expect(scratch.rawAlloc(8)).toBe(first + 8);
    expect(scratch.alloc("f32", 2).byteOffset).toBe(first + 16);
    outer.deinit();
    expect(() => scratch.rawAlloc(8)).toThrow(AllocatorDeinitializedError);
    expect(() => scratch.alloc("f32", 2)).toThrow(AllocatorDeinitializedError);
    expect(() => scratch.rawAlloc(8, 64)).toThrow(AllocatorDeinitializedError);
    // A new arena over the page allocator may take the same pages: the stale arena reaches none of it.
    const reuser = new ArenaAllocator(heap.pageAllocator);
    const fresh = reuser.allocator().rawAlloc(8);
    expect(() => scratch.rawAlloc(8)).toThrow(AllocatorDeinitializedError);
    expect(reuser.allocator().rawAlloc(8)).toBe(fresh + 8);
    inner.deinit();
    reuser.deinit();
    heap.validate();
  });
});
