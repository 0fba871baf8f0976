// Damaged metadata: a walk over it never hangs and never hands out memory another block holds;
// validate() names the damage with HeapCorruptionError. Each test breaks one word the library
// wrote, at the offsets its layouts draw (records.ts, page.ts, arena.ts, gpa/slab.ts).

import { describe, expect, it } from "vitest";
import { BUMP_START, BUMP_CAPACITY, BUMP_END, BUMP_SEAL, ARENA_REGION, FIXED_REGION, CHUNK_HEADER } from "../bindings/abi.generated";
import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, HeapCorruptionError } from "../src/index";
import { arenaOnPages, smallHeap, PAGE } from "./support/heaps";

const RECORD_NEXT = 4;
const RUN_NEXT = 4;

describe("damaged metadata", () => {
  it("a record list that loops on itself: validate() throws instead of hanging", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const handle = arena.allocator().handle;
    heap.u32[(handle + RECORD_NEXT) / 4] = handle;
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
  });

  it("a free page run whose link points at itself: allocation ends with HeapCorruptionError, and so does validate()", () => {
    const heap = smallHeap();
    const p = heap.pageAllocator;
    const runs = [p.rawAlloc(PAGE), p.rawAlloc(2 * PAGE), p.rawAlloc(PAGE)];
    p.rawFree(runs[1], 2 * PAGE); // a two-page run, in the bin a three-page request scans
    heap.u32[(runs[1] + RUN_NEXT) / 4] = runs[1] / PAGE;
    expect(() => p.rawAlloc(3 * PAGE)).toThrow(HeapCorruptionError);
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
  });

  for (const [change, pages] of [["longer", 3], ["shorter", 1]] as const) {
    it(`a free page run made one page ${change}: its pages are not handed out over a used run, nor merged`, () => {
      const heap = smallHeap();
      const p = heap.pageAllocator;
      const [below, run, above] = [p.rawAlloc(PAGE), p.rawAlloc(2 * PAGE), p.rawAlloc(PAGE)];
      p.rawFree(run, 2 * PAGE);
      heap.u32[run / 4] = pages;
      expect(() => p.rawAlloc(pages * PAGE)).toThrow(HeapCorruptionError);
      expect(() => p.rawFree(below, PAGE)).toThrow(HeapCorruptionError);
      expect(() => p.rawFree(above, PAGE)).toThrow(HeapCorruptionError);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }

  it("an arena chunk list that loops: queryCapacity, reset and deinit end with HeapCorruptionError", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    a.rawAlloc(100);
    a.rawAlloc(200_000); // a second chunk
    const chunk = heap.u32[(a.handle + ARENA_REGION + BUMP_START) / 4] - CHUNK_HEADER;
    heap.u32[chunk / 4] = chunk;
    expect(() => arena.queryCapacity()).toThrow(HeapCorruptionError);
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
    expect(() => arena.reset("free_all")).toThrow(HeapCorruptionError);
    expect(() => arena.deinit()).toThrow(HeapCorruptionError);
    expect(() => arena.queryCapacity()).toThrow(/deinit/);
  });

  for (const [word, offset] of [["next", 0], ["len", 4], ["owner", 8]] as const) {
    it(`an older arena chunk whose ${word} was overwritten is neither reused nor freed`, () => {
      const heap = smallHeap();
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      a.rawAlloc(100);
      const blocker = heap.pageAllocator.rawAlloc(PAGE); // the first chunk cannot grow in place
      a.rawAlloc(200_000);
      const newest = heap.u32[(a.handle + ARENA_REGION + BUMP_START) / 4] - CHUNK_HEADER;
      const older = heap.u32[newest / 4];
      heap.u32[(older + offset) / 4] = word === "next" ? blocker : 0x4000_0000;
      for (const mode of ["retain_capacity", "free_all"] as const) {
        expect(() => arena.reset(mode)).toThrow(HeapCorruptionError);
      }
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
      // The blocker's page was never handed to the arena: nothing freed it.
      expect(heap.pageAllocator.rawAlloc(PAGE)).not.toBe(blocker);
    });
  }

  it("a slab free list that leaves its slab: the next allocation does not overlap a live block", () => {
    const heap = smallHeap();
    const a = new GeneralPurposeAllocator({ heap, safety: false }).allocator();
    const live = a.rawAlloc(64);
    const x = a.rawAlloc(64);
    const y = a.rawAlloc(64);
    a.rawFree(y, 64);
    a.rawFree(x, 64);
    // Without safety a free slot holds the link to the next: point x's at a live block elsewhere.
    const elsewhere = heap.pageAllocator.rawAlloc(PAGE);
    heap.u32[x / 4] = elsewhere;
    expect(a.rawAlloc(64)).toBe(x);
    const next = a.rawAlloc(64);
    expect(next).not.toBe(elsewhere);
    expect(next).not.toBe(live);
  });
});

describe("sealed bump regions", () => {
  for (const [word, offset] of [["start", BUMP_START], ["capacity", BUMP_CAPACITY], ["end", BUMP_END]] as const) {
    it(`an arena whose region ${word} was overwritten refuses to allocate instead of handing out memory twice`, () => {
      const { heap, a } = arenaOnPages();
      const live = a.rawAlloc(64);
      heap.u32[(a.handle + ARENA_REGION + offset) / 4] = word === "start" ? live - 64 : 0;
      expect(() => a.rawAlloc(64)).toThrow(HeapCorruptionError);
      expect(() => a.rawFree(live, 64)).toThrow(HeapCorruptionError);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }

  for (const [word, offset] of [["start", BUMP_START], ["capacity", BUMP_CAPACITY], ["end", BUMP_END], ["seal", BUMP_SEAL]] as const) {
    it(`a repeated scope whose region ${word} was overwritten is not replayed from recycled views: the allocation is refused`, () => {
      const heap = smallHeap();
      const arena = new ArenaAllocator(heap.pageAllocator);
      const a = arena.allocator();
      const scope = () => [a.alloc("f64", 4), a.alloc("i32", 3), a.alloc("u8", 5)];
      scope();
      arena.reset("retain_capacity");
      const recycled = scope();
      arena.reset("retain_capacity");
      // The second allocation of the scope is recorded as a bump from these words: damage one.
      expect(a.alloc("f64", 4)).toBe(recycled[0]);
      const at = (a.handle + ARENA_REGION + offset) / 4;
      heap.u32[at] = word === "end" ? 0 : heap.u32[at] ^ 0x100;
      expect(() => a.alloc("i32", 3)).toThrow(HeapCorruptionError);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }

  it("a fixed buffer whose end was overwritten refuses to allocate, free or resize", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 256));
    const a = fba.allocator();
    const first = a.rawAlloc(64);
    heap.u32[(a.handle + FIXED_REGION + BUMP_END) / 4] = 0;
    expect(() => a.rawAlloc(8)).toThrow(HeapCorruptionError);
    expect(() => a.rawResize(first, 64, 32)).toThrow(HeapCorruptionError);
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
  });
});

/** An arena over an arena over the pages of a small heap: the inner one's allocator. */
function nestedArenas() {
  const heap = smallHeap();
  const outer = new ArenaAllocator(heap.pageAllocator);
  return { heap, inner: new ArenaAllocator(outer.allocator()).allocator() };
}

/** The HeapCorruptionError `fn` throws, failing the test if it throws anything else or nothing. */
function corruptionThrownBy(fn: () => unknown): HeapCorruptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HeapCorruptionError);
    return error as HeapCorruptionError;
  }
  throw new Error("expected a HeapCorruptionError");
}

describe("a damaged vtable word or vtable", () => {
  it("a record whose vtable word names no vtable: HeapCorruptionError naming the record, before any call through it", () => {
    const { heap, inner } = nestedArenas();
    heap.u32[inner.handle / 4] = 0x7fff_0000;
    expect(corruptionThrownBy(() => inner.rawAlloc(64)).address).toBe(inner.handle);
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
  });

  for (const shift of [-8, -4, 4, 8]) {
    it(`a fixed buffer whose vtable word is off by ${shift} bytes: resize and free are HeapCorruptionError, never a call through the wrong slots`, () => {
      // A shift of -8 once sent resize to the previous kind's remap, which resizes through the
      // record's vtable: it called itself until the stack ran out.
      const heap = smallHeap();
      const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 4096));
      const a = fba.allocator();
      const first = a.alloc("u8", 100);
      a.alloc("u8", 100);
      heap.u32[a.handle / 4] += shift;
      expect(() => a.resize(first, 50)).toThrow(HeapCorruptionError);
      expect(() => a.free(first)).toThrow(HeapCorruptionError);
      expect(() => heap.validate()).toThrow(HeapCorruptionError);
    });
  }
});

describe("a trap inside the core", () => {
  it("surfaces as HeapCorruptionError naming the record called, with the trap as its cause", () => {
    const { heap, inner } = nestedArenas();
    // The alloc slot of the arenas' vtable (the first word it names), pointing past the function
    // table: the inner arena's call to its backing arena traps.
    const vtable = heap.u32[inner.handle / 4];
    heap.u32[vtable / 4] = 0x7fff_0000;
    const corruption = corruptionThrownBy(() => inner.rawAlloc(64));
    expect(corruption.address).toBe(inner.handle);
    expect(corruption.message).toContain("trapped in alloc()");
    expect(corruption.cause).toBeInstanceOf(WebAssembly.RuntimeError);
  });
});
