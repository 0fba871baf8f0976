// defineAllocator(): an allocator written in TypeScript, reached by the core through imports. It
// is an Allocator like any other, backs every allocator that takes a backing, is called only on
// their slow paths, and leaves the heap whole when a callback throws or answers garbage.

import { describe, expect, it } from "vitest";
import {
  AllocatorDeinitializedError, ArenaAllocator, defineAllocator, FailingAllocator, FixedBufferAllocator, GeneralPurposeAllocator,
  Heap, InvalidFreeError, MemoryPool, OutOfMemoryError, stackFallback, type AllocatorCallbacks,
} from "../src/index";
import { MiB, PAGE, smallHeap } from "./support/heaps";
import { scripted, throwing, type Scripted } from "./support/scripted-allocator";
import { testAllAllocatorChecks } from "./support/allocator-checks";

/** What `fn` throws (the same object), failing the test if it returns. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

/** Every byte the scripted allocator handed out has been given back to it. */
function expectAllFreed(s: Scripted): void {
  expect([...s.live]).toEqual([]);
}

describe("defineAllocator: an Allocator like any other", () => {
  it("passes the interface's generic checks (Zig's testAllocator and friends) over a GPA", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const s = scripted(heap, gpa.allocator());
    testAllAllocatorChecks(s.a);
    expectAllFreed(s);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("hands each call to its callback in byte offsets, and has a handle", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const xs = s.a.alloc("f64", 10);
    expect(s.calls).toEqual([{ name: "alloc", args: [80, 8] }]);
    expect(s.live.get(xs.byteOffset)).toBe(80);
    const ptr = s.a.rawAlloc(100, 16);
    expect(s.calls[1]).toEqual({ name: "alloc", args: [100, 16] });
    expect(s.a.rawResize(ptr, 100, 50, 16)).toBe(true);
    expect(s.calls[2]).toEqual({ name: "resize", args: [ptr, 100, 50, 16] });
    s.a.rawFree(ptr, 50, 16);
    expect(s.calls[3]).toEqual({ name: "free", args: [ptr, 50, 16] });
    s.a.free(xs);
    // A view does not remember its alignment; the callback gets the allocation's all the same.
    expect(s.calls[4]).toEqual({ name: "free", args: [xs.byteOffset, 80, 8] });
    const aligned = s.a.alloc("u8", 10, { align: 256 });
    expect(s.a.resize(aligned, 5)).toHaveLength(5);
    expect(s.calls.at(-1)).toEqual({ name: "resize", args: [aligned.byteOffset, 10, 5, 256] });
    s.a.free(s.a.resize(aligned, 5)!);
    expect(s.calls.at(-1)).toEqual({ name: "free", args: [aligned.byteOffset, 5, 256] });
    expect(s.a.handle).toBeGreaterThan(0);
    expectAllFreed(s);
    heap.validate();
  });

  it("alloc's 0 is OutOfMemoryError (rawAlloc 0); resize's false is null (rawResize false)", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const xs = s.a.alloc("u8", 16);
    s.always("alloc", () => 0);
    s.always("resize", () => false);
    expect(() => s.a.alloc("u8", 16)).toThrow(OutOfMemoryError);
    expect(s.a.rawAlloc(16)).toBe(0);
    expect(s.a.resize(xs, 32)).toBeNull();
    expect(s.a.rawRemap(xs.byteOffset, 16, 32, 1)).toBe(0);
    heap.validate();
  });

  it("remap: the callback's answer, which may move; without one, resize in place answering ptr or 0", () => {
    const heap = smallHeap();
    const moving = scripted(heap, heap.pageAllocator, true);
    const ptr = moving.a.rawAlloc(64, 8);
    const target = heap.pageAllocator.rawAlloc(128, 8);
    moving.at("remap", 0, () => target);
    expect(moving.a.rawRemap(ptr, 64, 128, 8)).toBe(target);
    expect(moving.calls.at(-1)).toEqual({ name: "remap", args: [ptr, 64, 128, 8] });

    const plain = scripted(heap);
    const p = plain.a.rawAlloc(64, 8);
    expect(plain.a.rawRemap(p, 64, 32, 8)).toBe(p);
    expect(plain.calls.at(-1)).toEqual({ name: "resize", args: [p, 64, 32, 8] });
    plain.always("resize", () => false);
    expect(plain.a.rawRemap(p, 32, 64, 8)).toBe(0);
    heap.validate();
  });

  it("a view it never handed out is an InvalidFreeError before any callback: it knows each allocation's alignment", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const foreign = heap.pageAllocator.alloc("u8", 64);
    expect(() => s.a.free(foreign)).toThrow(InvalidFreeError);
    expect(() => s.a.resize(foreign, 32)).toThrow(InvalidFreeError);
    expect(s.calls).toEqual([]);
    heap.validate();
  });

  it("bad arguments to defineAllocator are a TypeError", () => {
    const heap = smallHeap();
    const ok: AllocatorCallbacks = { alloc: () => 0, resize: () => false, free: () => {} };
    expect(() => defineAllocator({} as Heap, ok)).toThrow(TypeError);
    expect(() => defineAllocator(heap, null as never)).toThrow(TypeError);
    expect(() => defineAllocator(heap, 5 as never)).toThrow(TypeError);
    expect(() => defineAllocator(heap, { ...ok, alloc: undefined } as never)).toThrow(TypeError);
    expect(() => defineAllocator(heap, { ...ok, resize: 1 } as never)).toThrow(/resize must be a function/);
    expect(() => defineAllocator(heap, { ...ok, free: "free" } as never)).toThrow(TypeError);
    expect(() => defineAllocator(heap, { ...ok, remap: {} } as never)).toThrow(/remap/);
    expect(defineAllocator(heap, { ...ok, remap: undefined })).toBeDefined();
    heap.validate();
  });

  it("calls each callback with the callbacks object as `this`", () => {
    const heap = smallHeap();
    const pages = heap.pageAllocator;
    const callbacks = {
      seen: [] as unknown[],
      alloc(len: number, align: number) { this.seen.push(this); return pages.rawAlloc(len, align); },
      resize() { return false; },
      free(ptr: number, len: number, align: number) { this.seen.push(this); pages.rawFree(ptr, len, align); },
    };
    const a = defineAllocator(heap, callbacks);
    a.rawFree(a.rawAlloc(8), 8);
    expect(callbacks.seen).toEqual([callbacks, callbacks]);
  });
});

describe("defineAllocator as a backing allocator", () => {
  it("of an arena: only new chunks and their growth reach it, never a bump; deinit gives every chunk back", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const arena = new ArenaAllocator(s.a);
    const a = arena.allocator();
    for (let i = 0; i < 10_000; i++) a.alloc("f64", 4)[0] = i;
    for (let i = 0; i < 10_000; i++) a.rawAlloc(24, 8);
    expect(s.calls.length).toBeGreaterThan(0);
    expect(s.calls.length).toBeLessThan(40);
    arena.reset("retain_capacity");
    const before = s.calls.length;
    for (let i = 0; i < 10_000; i++) a.alloc("f64", 4);
    expect(s.calls.length).toBe(before);
    arena.deinit();
    expectAllFreed(s);
    heap.validate();
  });

  it("of a MemoryPool, a GPA (with and without safety) and a stack fallback, and of a fixed buffer's buffer", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const pool = new MemoryPool(s.a, "f64", 16);
    pool.preheat(100);
    const items = Array.from({ length: 300 }, () => pool.create());
    items.forEach((item, i) => item.fill(i));
    expect(items[299][15]).toBe(299);
    pool.deinit();
    for (const safety of [true, false]) {
      const gpa = new GeneralPurposeAllocator({ backing: s.a, safety });
      const g = gpa.allocator();
      const small = Array.from({ length: 1000 }, () => g.alloc("u32", 3));
      const large = g.alloc("u8", 3 * PAGE);
      small.forEach((x) => g.free(x));
      g.free(large);
      expect(gpa.deinit()).toBe("ok");
    }
    const sf = stackFallback(64, s.a);
    const big = sf.get().alloc("u8", 1000);
    expect(s.live.get(big.byteOffset)).toBe(1000);
    sf.get().free(big);
    sf.deinit();
    const buffer = s.a.alloc("u8", 4096);
    const fba = new FixedBufferAllocator(buffer);
    expect(fba.ownsSlice(fba.allocator().alloc("f64", 100))).toBe(true);
    s.a.free(buffer);
    expectAllFreed(s);
    heap.validate();
  });

  it("of an arena over an arena over it: each level's chunks come from the one below", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const outer = new ArenaAllocator(s.a);
    const inner = new ArenaAllocator(outer.allocator());
    for (let i = 0; i < 1000; i++) inner.allocator().alloc("u8", 100);
    inner.deinit();
    outer.deinit();
    expectAllFreed(s);
    heap.validate();
  });
});

/** An arena over a scripted allocator whose resizes all fail, so that each overflow opens a chunk; `chunks` chunks open. */
function arenaWithChunks(chunks: number) {
  const heap = smallHeap();
  const s = scripted(heap);
  s.always("resize", () => false);
  const arena = new ArenaAllocator(s.a);
  while (s.calledTimes("alloc") < chunks) arena.allocator().alloc("u8", 1000);
  return { heap, s, arena };
}

/** The arena still works, and deinit gives back everything the scripted allocator handed out. */
function expectUsableThenClean(heap: Heap, s: Scripted, arena: ArenaAllocator): void {
  heap.validate();
  const xs = arena.allocator().alloc("f64", 5000);
  xs.fill(1.5);
  expect(xs[4999]).toBe(1.5);
  heap.validate();
  arena.deinit();
  expectAllFreed(s);
  heap.validate();
}

describe("a callback that throws: the same error reaches the caller, and the core is left whole", () => {
  const boom = new Error("boom");

  it("at an arena's first chunk and at a new chunk", () => {
    const { heap, s, arena } = arenaWithChunks(1);
    s.at("alloc", 0, throwing(boom));
    expect(thrownBy(() => arena.allocator().alloc("u8", 100_000))).toBe(boom);
    expectUsableThenClean(heap, s, arena);

    const fresh = scripted(heap);
    const empty = new ArenaAllocator(fresh.a);
    fresh.at("alloc", 0, throwing(boom));
    expect(thrownBy(() => empty.allocator().rawAlloc(10))).toBe(boom);
    expect(empty.queryCapacity()).toBe(0);
    expectUsableThenClean(heap, fresh, empty);
  });

  it("at an arena's growth in place (resize)", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const arena = new ArenaAllocator(s.a);
    arena.allocator().alloc("u8", 100);
    const capacity = arena.queryCapacity();
    s.at("resize", 0, throwing(boom));
    expect(thrownBy(() => arena.allocator().alloc("u8", capacity))).toBe(boom);
    expect(arena.queryCapacity()).toBe(capacity);
    expectUsableThenClean(heap, s, arena);
  });

  it("at the frees of reset(\"free_all\"), deinit() and restore(), on any chunk", () => {
    for (const failing of [0, 1, 2]) {
      for (const end of ["reset", "deinit", "restore"] as const) {
        const { heap, s, arena } = arenaWithChunks(4);
        const checkpoint = end === "restore" ? arena.checkpoint() : undefined;
        if (checkpoint !== undefined) while (s.calledTimes("alloc") < 7) arena.allocator().alloc("u8", 1000);
        s.at("free", failing, throwing(boom));
        const error = thrownBy(() => {
          if (end === "reset") arena.reset("free_all");
          else if (end === "deinit") arena.deinit();
          else arena.restore(checkpoint!);
        });
        expect(error).toBe(boom);
        expectUsableThenClean(heap, s, arena);
      }
    }
  });

  it("at reset(\"retain_capacity\"): the frees of the newer chunks, the merged chunk's alloc, the oldest's free", () => {
    // Frees 0 and 1 give back the newer chunks; then the merged chunk's alloc; then free 2, the oldest.
    const sites: [string, (s: Scripted) => void][] = [
      ["a newer chunk's free", (s) => s.at("free", 1, throwing(boom))],
      ["the merged chunk's alloc", (s) => s.at("alloc", 0, throwing(boom))],
      ["the oldest chunk's free", (s) => s.at("free", 2, throwing(boom))],
    ];
    for (const [, arm] of sites) {
      const { heap, s, arena } = arenaWithChunks(3);
      arm(s);
      expect(thrownBy(() => arena.reset("retain_capacity"))).toBe(boom);
      expectUsableThenClean(heap, s, arena);
    }
  });

  it("at a MemoryPool's create, preheat, reset and deinit", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    s.always("resize", () => false);
    const pool = new MemoryPool(s.a, "f64", 100);
    s.at("alloc", 0, throwing(boom));
    expect(thrownBy(() => pool.create())).toBe(boom);
    heap.validate();
    const first = pool.create();
    s.at("alloc", 1, throwing(boom));
    expect(thrownBy(() => pool.preheat(200))).toBe(boom);
    heap.validate();
    pool.destroy(first);
    const items = Array.from({ length: 50 }, () => pool.create());
    items.forEach((item, i) => item.fill(i));
    expect(new Set(items.map((item) => item.byteOffset)).size).toBe(50);
    s.at("free", 1, throwing(boom));
    expect(thrownBy(() => pool.reset("free_all"))).toBe(boom);
    heap.validate();
    pool.create().fill(1);
    s.at("free", 0, throwing(boom));
    expect(thrownBy(() => pool.deinit())).toBe(boom);
    heap.validate();
    pool.create().fill(2);
    pool.deinit();
    expectAllFreed(s);
    heap.validate();
  });

  it("at a GPA's slab and large block", () => {
    const heap = smallHeap();
    const s = scripted(heap);
    const gpa = new GeneralPurposeAllocator({ backing: s.a });
    const g = gpa.allocator();
    s.at("alloc", 0, throwing(boom));
    expect(thrownBy(() => g.alloc("u8", 16))).toBe(boom);
    heap.validate();
    s.at("alloc", 0, throwing(boom));
    expect(thrownBy(() => g.alloc("u8", 4 * PAGE))).toBe(boom);
    heap.validate();
    const x = g.alloc("u8", 16);
    const y = g.alloc("u8", 4 * PAGE);
    g.free(x);
    g.free(y);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("at a GPA's frees: the quarantine's ring, a large block, an emptied slab (also when an allocation empties the quarantine)", () => {
    for (const safety of [false, true]) {
      const heap = smallHeap();
      const s = scripted(heap);
      const gpa = new GeneralPurposeAllocator({ backing: s.a, safety });
      const g = gpa.allocator();
      if (safety) {
        // The ring is taken at the first free: when that throws, the free did not happen.
        const x = g.alloc("u8", 16).fill(7);
        s.at("alloc", 0, throwing(boom));
        expect(thrownBy(() => g.free(x))).toBe(boom);
        heap.validate();
        expect([...x]).toEqual(Array(16).fill(7));
        expect(gpa.stats().requestedBytes).toBe(16);
        g.free(x);
      }
      // Past the ring, a throwing free comes after the GPA's bookkeeping: the block is freed to it.
      const big = g.alloc("u8", 4 * PAGE);
      s.at("free", 0, throwing(boom));
      expect(thrownBy(() => g.free(big))).toBe(boom);
      heap.validate();
      expect(gpa.stats().requestedBytes).toBe(0);
      const small = g.alloc("u8", 16);
      const other = g.alloc("u8", 1000);
      g.free(small);                                 // its slab, emptied, becomes the spare
      s.at("free", 0, throwing(boom));
      if (safety) {
        g.free(other);                               // held in the quarantine
        // A large allocation first empties the quarantine: the emptied slab goes back, and throws.
        expect(thrownBy(() => g.alloc("u8", 4 * PAGE))).toBe(boom);
      } else {
        expect(thrownBy(() => g.free(other))).toBe(boom);
      }
      heap.validate();
      expect(gpa.stats().requestedBytes).toBe(0);
      const again = g.alloc("u8", 4 * PAGE).fill(1);
      g.free(again);
      expect(gpa.deinit()).toBe("ok");
      heap.validate();
    }
  });

  it("at a GPA's directory growth, and at its deinit(), which can then be called again", () => {
    for (const safety of [false, true]) {
      const heap = Heap.create({ initialBytes: 16 * MiB });
      const s = scripted(heap);
      const gpa = new GeneralPurposeAllocator({ backing: s.a, safety });
      const g = gpa.allocator();
      // Only the directory frees anything while blocks are allocated: its old table, when it grows.
      s.at("free", 0, throwing(boom));
      const blocks: Uint8Array[] = [];
      let thrown: unknown;
      while (thrown === undefined && blocks.length < 200) {
        try {
          blocks.push(g.alloc("u8", PAGE).fill(blocks.length));
        } catch (error) {
          thrown = error;
        }
      }
      expect(thrown).toBe(boom);
      heap.validate();
      blocks.forEach((block, i) => expect(block[PAGE - 1]).toBe(i));
      for (const block of blocks) g.free(block);
      s.at("free", 0, throwing(boom));
      expect(thrownBy(() => gpa.deinit())).toBe(boom);
      heap.validate();
      expect(gpa.deinit()).toBe("ok");
      heap.validate();
    }
  });

  it("whatever is thrown, an Error or not", () => {
    for (const thrown of ["a string", 42, undefined, new OutOfMemoryError(1), new WebAssembly.CompileError("x"), new WebAssembly.RuntimeError("x")]) {
      const heap = smallHeap();
      const s = scripted(heap);
      const arena = new ArenaAllocator(s.a);
      s.at("alloc", 0, throwing(thrown));
      expect(thrownBy(() => arena.allocator().alloc("u8", 10))).toBe(thrown);
      expectUsableThenClean(heap, s, arena);
    }
  });
});

describe("a callback that answers garbage: a TypeError or RangeError, the heap whole", () => {
  const badOffsets: [string, (heap: Heap) => unknown, typeof TypeError | typeof RangeError][] = [
    ["a fraction", () => 65536.5, TypeError],
    ["NaN", () => NaN, TypeError],
    ["a string", () => "65536", TypeError],
    ["undefined (a missing return)", () => undefined, TypeError],
    ["a negative number", () => -65536, TypeError],
    ["2^32", () => 2 ** 32, TypeError],
    ["a BigInt", () => 65536n, TypeError],
    ["an offset in the library's metadata, below the first page", () => 8, RangeError],
    ["an offset whose bytes pass the end of memory", (heap) => heap.memory.buffer.byteLength - 8, RangeError],
    ["a misaligned offset", (heap) => heap.pageAllocator.rawAlloc(PAGE) + 4, RangeError],
  ];

  it.each(badOffsets)("alloc answering %s", (_name, answer, errorClass) => {
    const heap = smallHeap();
    const s = scripted(heap);
    const arena = new ArenaAllocator(s.a);
    const bad = answer(heap);
    s.at("alloc", 0, () => bad);
    expect(() => arena.allocator().alloc("u8", 100)).toThrow(errorClass);
    expect(() => arena.allocator().alloc("u8", 100)).not.toThrow();
    expectUsableThenClean(heap, s, arena);
  });

  it.each(badOffsets)("remap answering %s", (_name, answer, errorClass) => {
    const heap = smallHeap();
    const s = scripted(heap, heap.pageAllocator, true);
    const ptr = s.a.rawAlloc(64, 8);
    const bad = answer(heap);
    s.at("remap", 0, () => bad);
    expect(() => s.a.rawRemap(ptr, 64, 128, 8)).toThrow(errorClass);
    heap.validate();
    s.a.rawFree(ptr, 64, 8);
    expectAllFreed(s);
  });

  it.each([["undefined", undefined], ["1", 1], ["a string", "true"]])("resize answering %s", (_name, bad) => {
    const heap = smallHeap();
    const s = scripted(heap);
    const arena = new ArenaAllocator(s.a);
    arena.allocator().alloc("u8", 100);
    s.at("resize", 0, () => bad);
    expect(() => arena.allocator().alloc("u8", arena.queryCapacity())).toThrow(TypeError);
    expectUsableThenClean(heap, s, arena);
  });
});

describe("a callback that calls back into the heap", () => {
  it("keeps the caller's status: a failing nested call it catches does not change the caller's error", () => {
    const heap = smallHeap();
    const pages = heap.pageAllocator;
    const arena = new ArenaAllocator(defineAllocator(heap, {
      alloc() {
        expect(() => pages.rawFree(8, 8)).toThrow(/not allocated/);   // the core's last status: INVALID_FREE
        return 0;
      },
      resize: () => false,
      free: () => {},
    }));
    expect(() => arena.allocator().alloc("u8", 10)).toThrow(OutOfMemoryError);
    heap.validate();
  });

  it("over a GPA wrapped by a logging callback, under an arena", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap });
    const s = scripted(heap, gpa.allocator());
    const arena = new ArenaAllocator(s.a);
    for (let i = 0; i < 5000; i++) arena.allocator().alloc("f32", 50);
    arena.deinit();
    expectAllFreed(s);
    expect(gpa.deinit()).toBe("ok");
    heap.validate();
  });

  it("under \"plain\", memory grown by the nested call is announced once, before the arena's alloc returns an attached view", () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 64 * MiB, viewStrategy: "plain" });
    const s = scripted(heap);
    const arena = new ArenaAllocator(s.a);
    const events: { previousBytes: number; memoryBytes: number }[] = [];
    heap.onGrow((event) => events.push(event));
    const before = heap.memory.buffer.byteLength;
    const xs = arena.allocator().alloc("f64", MiB / 8);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ previousBytes: before, memoryBytes: heap.memory.buffer.byteLength });
    expect(xs.buffer).toBe(heap.memory.buffer);
    xs.fill(2);
    expect(heap.f64[xs.byteOffset / 8 + 100]).toBe(2);
    arena.deinit();
    heap.validate();
  });

  it("memory a callback grows past the core (memory.grow) is noticed before the core goes on", () => {
    for (const viewStrategy of ["plain", "shared"] as const) {
      const heap = Heap.create({ initialBytes: 2 * MiB, maximumBytes: 64 * MiB, viewStrategy });
      const pages = heap.pageAllocator;
      const events: number[] = [];
      heap.onGrow(({ memoryBytes }) => events.push(memoryBytes));
      const a = defineAllocator(heap, {
        alloc(len, align) { heap.memory.grow(1); return pages.rawAlloc(len, align); },
        resize: () => false,
        free: (ptr, len, align) => pages.rawFree(ptr, len, align),
      });
      const xs = a.alloc("u8", 100);
      expect(events).toEqual([heap.memory.buffer.byteLength]);
      xs.fill(7);
      expect(heap.u8[xs.byteOffset + 99]).toBe(7);
      a.free(xs);
      heap.validate();
    }
  });
});

describe("the handle of an allocator written over others in TypeScript", () => {
  it("is its record's, the same each time, and AllocatorDeinitializedError once it ended", () => {
    const heap = smallHeap();
    const sf = stackFallback(256, heap.pageAllocator);
    const a = sf.get();
    const handle = a.handle;
    expect(a.handle).toBe(handle);
    const arena = new ArenaAllocator(a);
    arena.allocator().alloc("u8", 1000);
    arena.deinit();
    sf.deinit();
    expect(() => a.handle).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });

  it("a backing ended under it surfaces through the arena as AllocatorDeinitializedError, the arena whole", () => {
    const heap = smallHeap();
    const gpa = new GeneralPurposeAllocator({ heap, onLeak: () => {} });  // the arena's chunk is left
    const failing = new FailingAllocator(gpa.allocator());
    const arena = new ArenaAllocator(failing.allocator());
    arena.allocator().alloc("u8", 100);
    const capacity = arena.queryCapacity();
    gpa.deinit();
    expect(() => arena.allocator().alloc("u8", capacity)).toThrow(AllocatorDeinitializedError);
    heap.validate();
  });
});
