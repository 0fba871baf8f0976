// Memory grown by someone else (heap.memory.grow() from JavaScript, a user's module growing the
// memory it imports) is noticed at the heap's next call: views are made on the current buffer
// and the onGrow listeners run. Under "resizable" views never go stale, so nothing reveals such a
// growth to the library until the core announces it (asked of the core: compare memory.size()
// with what it last announced); the listener checks cover the strategies whose buffer goes stale.

import { describe, expect, it } from "vitest";
import { ArenaAllocator } from "../src/index";
import { PAGE, availableStrategies, smallHeap } from "./support/heaps";

describe.each(availableStrategies())("memory grown outside the library, under %s", (viewStrategy) => {
  /** A heap with every free page taken, then grown by hand by two pages. */
  function grownByHand() {
    const heap = smallHeap({ viewStrategy });
    while (heap.stats().pagesFreeBytes > 0) expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(0);
    const events: { previousBytes: number; memoryBytes: number }[] = [];
    heap.onGrow((event) => events.push(event));
    const before = heap.memory.buffer.byteLength;
    heap.memory.grow(2);
    return { heap, events, before };
  }

  it("the next allocation from the new pages returns a working view and (where the buffer went stale) runs the listeners once", () => {
    const { heap, events, before } = grownByHand();
    const xs = heap.pageAllocator.alloc("f64", PAGE / 8);
    xs[xs.length - 1] = 3.5;
    expect(heap.f64[xs.byteOffset / 8 + xs.length - 1]).toBe(3.5);
    if (viewStrategy !== "resizable") expect(events).toEqual([{ previousBytes: before, memoryBytes: before + 2 * PAGE }]);
    heap.pageAllocator.free(xs);
    heap.validate();
  });

  it("a view the user made on the grown memory's buffer is accepted", () => {
    const { heap, events } = grownByHand();
    const ptr = heap.pageAllocator.rawAlloc(PAGE);
    const mine = new Uint8Array(heap.memory.buffer, ptr, PAGE);
    heap.pageAllocator.free(mine);
    if (viewStrategy !== "resizable") expect(events.length).toBe(1);
    heap.validate();
  });

  it("an arena's bump allocation after the growth makes its view on the current buffer", () => {
    const heap = smallHeap({ viewStrategy });
    const arena = new ArenaAllocator(heap.pageAllocator);
    arena.allocator().alloc("u8", 16);
    heap.memory.grow(1);
    const xs = arena.allocator().alloc("u8", 16);
    xs.fill(7);
    expect(heap.u8[xs.byteOffset]).toBe(7);
    arena.deinit();
    heap.validate();
  });

  it("an arena recycling views never hands out one of the old buffer, growth between scopes or inside one", () => {
    const heap = smallHeap({ viewStrategy });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    const first = [a.alloc("f64", 4), a.alloc("f64", 4)];
    const offsets = first.map((view) => view.byteOffset);
    arena.reset("retain_capacity");
    // Each view is used before the next growth: under "plain" a growth detaches the views before it.
    for (const [i, old] of first.entries()) {
      heap.memory.grow(1);
      const view = a.alloc("f64", 4);
      expect(view.byteOffset).toBe(offsets[i]);
      view.fill(i + 0.5);
      expect(heap.f64[view.byteOffset / 8 + 3]).toBe(i + 0.5);
      // Where old views still cover their bytes, they are the ones handed out again.
      if (viewStrategy !== "plain") expect(view).toBe(old);
    }
    arena.deinit();
    heap.validate();
  });
});
