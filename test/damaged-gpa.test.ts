// Damaged GPA metadata: a class head, a slab header or a quarantine entry that no longer says
// what the GPA wrote never makes it hand out, or give back, memory a live block holds. The words
// are found by what they hold (gpa/gpa.ts and gpa/slab.ts draw where they live).

import { describe, expect, it } from "vitest";
import { GeneralPurposeAllocator, HeapCorruptionError, type Heap } from "../src/index";
import { smallHeap, PAGE } from "./support/heaps";

/** The slab header sits in the last 32 bytes of its 64 KiB slab; `used` is its fourth word, `bump` its fifth. */
const SLAB_USED = PAGE - 32 + 12;
const SLAB_BUMP = PAGE - 32 + 16;

/** Byte addresses in [from, to) of the 4-aligned words of `heap` that hold `value`. */
function wordsHolding(heap: Heap, value: number, from = 0, to = heap.u32.byteLength): number[] {
  const found: number[] = [];
  for (let at = from; at < to; at += 4) if (heap.u32[at / 4] === value) found.push(at);
  return found;
}

const slabOf = (ptr: number) => ptr - (ptr % PAGE);

describe("damaged GPA metadata", () => {
  for (const safety of [false, true]) {
    it(`a class head pointing at a live block is refused (safety ${safety})`, () => {
      const heap = smallHeap();
      const a = new GeneralPurposeAllocator({ heap, safety }).allocator();
      const first = a.rawAlloc(64);
      const elsewhere = heap.pageAllocator.rawAlloc(PAGE);
      const [head] = wordsHolding(heap, slabOf(first), a.handle, a.handle + 512);
      expect(head).toBeDefined();
      heap.u32[head / 4] = elsewhere;
      expect(() => a.rawAlloc(64)).toThrow(HeapCorruptionError);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });

    for (const [where, bump] of [["past its slots", PAGE - 64], ["into a live slot", 10], ["back onto a live slot", 64]] as const) {
      it(`a slab bump moved ${where} is refused instead of handing out memory twice (safety ${safety})`, () => {
        const heap = smallHeap();
        const gpa = new GeneralPurposeAllocator({ heap, safety });
        const a = gpa.allocator();
        const first = a.rawAlloc(64);
        a.rawAlloc(64);
        const slab = slabOf(first);
        heap.u32[(slab + SLAB_BUMP) / 4] = slab + bump;
        expect(() => a.rawAlloc(64)).toThrow(HeapCorruptionError);
        expect(() => heap.validate()).toThrow(HeapCorruptionError);
      });
    }

    it(`listing leaks over a slab whose bump is far out of its slab ends (safety ${safety})`, () => {
      const heap = smallHeap();
      const gpa = new GeneralPurposeAllocator({ heap, safety });
      const first = gpa.allocator().rawAlloc(64);
      heap.u32[(slabOf(first) + SLAB_BUMP) / 4] = 0xce51_be0f;
      expect(gpa.leaks().length).toBeLessThanOrEqual(PAGE / 64);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }

  it("a spare slab word moved onto a block of someone else's is neither formatted nor freed", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, safety: false });
    const a = gpa.allocator();
    const slot = a.rawAlloc(64);
    a.rawFree(slot, 64); // the slab empties into the spare
    const [spare] = wordsHolding(heap, slabOf(slot), a.handle, a.handle + 512);
    expect(spare).toBeDefined();
    const foreign = heap.pageAllocator.rawAlloc(PAGE);
    heap.u8.fill(0x5c, foreign, foreign + 256);
    heap.u32[spare / 4] = foreign;
    expect(() => a.rawAlloc(1000)).toThrow(HeapCorruptionError);
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
    gpa.deinit();
    expect(heap.u8.subarray(foreign, foreign + 256).every((byte) => byte === 0x5c)).toBe(true);
    expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(foreign);
  });

  it("a quarantine entry moved onto a live slot of another slab never frees that slot", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap, safety: true }).allocator();
    const blocks = Array.from({ length: 1500 }, () => a.rawAlloc(64));
    const held = blocks[0];
    const live = blocks.find((b) => slabOf(b) !== slabOf(held) && b % PAGE === held % PAGE);
    expect(live).toBeDefined();
    heap.u8.fill(0x5c, live!, live! + 64);
    const before = heap.u32.slice();
    a.rawFree(held, 64);
    const entries = wordsHolding(heap, held).filter((at) => before[at / 4] !== held);
    expect(entries).toHaveLength(1);
    heap.u32[entries[0] / 4] = live!;
    // A large allocation gives the quarantine back to the slabs first.
    a.rawAlloc(2 * PAGE);
    const more = Array.from({ length: 1500 }, () => a.rawAlloc(64));
    expect(more).not.toContain(live);
    expect(heap.u8.subarray(live!, live! + 64).every((byte) => byte === 0x5c)).toBe(true);
  });

  it("a free slot linked to itself (safety off, the link in the slot) is handed out once, not twice", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap, safety: false }).allocator();
    const [x, y] = [a.rawAlloc(64), a.rawAlloc(64)];
    a.rawFree(y, 64);
    a.rawFree(x, 64);
    heap.u32[x / 4] = x;
    expect(a.rawAlloc(64)).toBe(x);
    expect(a.rawAlloc(64)).not.toBe(x);
  });

  // Without safety a slab's count of slots in use is all that says a slot is live; the free list
  // says which are not. A count lowered under a live block reaches 0 while that block lives.
  for (const [fate, spareFirst] of [["become the spare", false], ["go back to the page allocator", true]] as const) {
    it(`a slab whose in-use count was lowered under a live block does not ${fate} when the count reaches 0`, () => {
      const heap = smallHeap();
      const gpa = new GeneralPurposeAllocator({ heap, safety: false });
      const a = gpa.allocator();
      if (spareFirst) a.rawFree(a.rawAlloc(2048), 2048); // a slab of another class empties into the spare
      const live = a.rawAlloc(64);
      const other = a.rawAlloc(64);
      const slab = slabOf(live);
      heap.u8.fill(0x5c, live, live + 64);
      expect(heap.u32[(slab + SLAB_USED) / 4]).toBe(2);
      heap.u32[(slab + SLAB_USED) / 4] = 1;
      a.rawFree(other, 64);
      // A class whose slab would be the reformatted spare, and a page that would be the slab given back.
      const next = a.rawAlloc(200);
      const page = heap.pageAllocator.rawAlloc(PAGE);
      expect(slabOf(next)).not.toBe(slab);
      expect(page).not.toBe(slab);
      expect(heap.u8.subarray(live, live + 64).every((byte) => byte === 0x5c)).toBe(true);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }

  // The quarantine is `table | oldest | count` (gpa/quarantine.ts): the ring's address is two words
  // before the count.
  for (const [what, damage] of [
    ["a count beyond the ring's capacity", (count: number) => [count, 0xffffffc2]],
    ["held slots with no ring", (count: number) => [count - 8, 0]],
  ] as const) {
    it(`a quarantine with ${what} is refused, where releasing slot after slot until none is held would not end`, () => {
      const heap = smallHeap();
      const gpa = new GeneralPurposeAllocator({ heap, safety: true });
      const a = gpa.allocator();
      const blocks = Array.from({ length: 13 }, () => a.rawAlloc(64));
      const before = heap.u32.slice();
      for (const block of blocks) a.rawFree(block, 64);
      const counts = wordsHolding(heap, 13, a.handle, a.handle + 256).filter((at) => before[at / 4] !== 13);
      expect(counts).toHaveLength(1);
      const [at, value] = damage(counts[0]);
      heap.u32[at / 4] = value;
      // A class with no slab yet: the GPA would first give held slots back until one has room.
      expect(() => a.rawAlloc(2048)).toThrow(HeapCorruptionError);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }
});
