// Heap: creation (sync and async), options, whole-memory views, reserve, stats, validate (onGrow
// has its own suite, on-grow.test.ts).

import { describe, expect, it } from "vitest";
import { Heap, defaultHeap, HeapCorruptionError, OutOfMemoryError, ArenaAllocator } from "../src/index";
import { KIND_TABLE, MiB, PAGE, availableStrategies, forceGrowth, nodeMajor, smallHeap } from "./support/heaps";

describe("Heap.create and Heap.instantiate", () => {
  it("Heap.create() is synchronous and returns a heap over a WebAssembly.Memory", () => {
    const heap = Heap.create();
    expect(heap).toBeInstanceOf(Heap);
    expect(heap.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(heap.maximumBytes).toBe(2 ** 31);
    expect(heap.stats().memoryBytes).toBeGreaterThanOrEqual(MiB);
    heap.validate();
  });

  it("Heap.instantiate() resolves to a working heap with the same view strategy as create()", async () => {
    const heap = await Heap.instantiate({ initialBytes: PAGE, maximumBytes: 16 * MiB });
    expect(heap).toBeInstanceOf(Heap);
    expect(heap.viewStrategy).toBe(Heap.create({ maximumBytes: 16 * MiB }).viewStrategy);
    const xs = heap.pageAllocator.alloc("f64", 3);
    xs.set([1, 2, 3]);
    expect([...heap.f64.subarray(xs.byteOffset / 8, xs.byteOffset / 8 + 3)]).toEqual([1, 2, 3]);
    heap.validate();
  });

  it("Heap.instantiate() honours a forced view strategy", async () => {
    const heap = await Heap.instantiate({ initialBytes: PAGE, maximumBytes: 16 * MiB, viewStrategy: "plain" });
    expect(heap.viewStrategy).toBe("plain");
  });

  it("defaultHeap() creates one process-wide heap lazily and returns it every time", () => {
    const heap = defaultHeap();
    expect(heap).toBeInstanceOf(Heap);
    expect(defaultHeap()).toBe(heap);
    heap.validate();
  });

  // Node 26 has WebAssembly.Memory.prototype.toResizableBuffer; Node 20 does not but always has
  // SharedArrayBuffer. Majors in between get whichever their V8 offers.
  const hasResizable = typeof (WebAssembly.Memory.prototype as { toResizableBuffer?: unknown }).toResizableBuffer === "function";
  const bestFirst = nodeMajor >= 26 ? ["resizable", "shared", "plain"] : nodeMajor <= 22 ? ["shared", "plain"]
    : hasResizable ? ["resizable", "shared", "plain"] : ["shared", "plain"];

  it("the default view strategy is \"plain\", the fastest one whose views Node's APIs all accept", () => {
    expect(Heap.create().viewStrategy).toBe("plain");
    expect(defaultHeap().viewStrategy).toBe("plain");
    expect(availableStrategies()).toEqual(bestFirst);
  });

  it("forcing a view strategy the platform lacks, or an unknown one, throws TypeError", () => {
    if (!bestFirst.includes("resizable")) expect(() => Heap.create({ viewStrategy: "resizable" })).toThrow(TypeError);
    expect(() => Heap.create({ viewStrategy: "sparse" as never })).toThrow(TypeError);
  });

  it("by default a heap starts with 32 MiB under \"plain\" (growth there detaches views), 1 MiB under the others, never above its maximum", () => {
    expect(Heap.create().stats().memoryBytes).toBe(32 * MiB);
    expect(Heap.create({ viewStrategy: "shared" }).stats().memoryBytes).toBe(MiB);
    expect(Heap.create({ maximumBytes: 4 * MiB }).stats().memoryBytes).toBe(4 * MiB);
  });

  it("initialBytes and maximumBytes round up to whole pages", () => {
    const heap = Heap.create({ initialBytes: PAGE + 1, maximumBytes: 3 * PAGE + 1 });
    expect(heap.maximumBytes).toBe(4 * PAGE);
    expect(heap.stats().maximumBytes).toBe(4 * PAGE);
    expect(heap.memory.buffer.byteLength % PAGE).toBe(0);
  });

  it("initialBytes: 0 makes a heap that grows on demand", () => {
    const heap = Heap.create({ initialBytes: 0, maximumBytes: 4 * MiB });
    const xs = heap.pageAllocator.alloc("u8", 100_000);
    xs.fill(7);
    expect(xs[99_999]).toBe(7);
    heap.validate();
  });

  it("bad heap options throw RangeError: negative, fractional, beyond 4 GiB - 64 KiB, initial above maximum", () => {
    expect(() => Heap.create({ initialBytes: -1 })).toThrow(RangeError);
    expect(() => Heap.create({ initialBytes: 1.5 })).toThrow(RangeError);
    expect(() => Heap.create({ maximumBytes: NaN })).toThrow(RangeError);
    expect(() => Heap.create({ maximumBytes: 2 ** 32 })).toThrow(RangeError);
    expect(() => Heap.create({ initialBytes: 2 * MiB, maximumBytes: MiB })).toThrow(RangeError);
  });

  it("a maximumBytes too small for the heap's own metadata is an error at create()", () => {
    expect(() => Heap.create({ initialBytes: 0, maximumBytes: 0 })).toThrow(RangeError);
    expect(() => Heap.create({ initialBytes: PAGE, maximumBytes: PAGE })).toThrow(OutOfMemoryError);
  });

  it("the largest maximumBytes, 4 GiB - 64 KiB, is accepted", () => {
    const heap = Heap.create({ initialBytes: PAGE, maximumBytes: 2 ** 32 - PAGE });
    expect(heap.maximumBytes).toBe(2 ** 32 - PAGE);
    heap.validate();
  });
});

describe("whole-memory views", () => {
  it("heap.<kind> is a view of that kind over all of memory, for every element kind", () => {
    const heap = smallHeap();
    for (const [name, ctor] of KIND_TABLE) {
      const view = heap[name];
      expect(view, name).toBeInstanceOf(ctor);
      expect(view.byteOffset).toBe(0);
      expect(view.byteLength).toBe(heap.memory.buffer.byteLength);
    }
  });

  it.each(availableStrategies())("under %s, heap.u8 taken after a growth spans the grown memory", (viewStrategy) => {
    const heap = smallHeap({ viewStrategy });
    const before = heap.u8.length;
    forceGrowth(heap);
    expect(heap.u8.length).toBeGreaterThan(before);
    expect(heap.u8.length).toBe(heap.memory.buffer.byteLength);
    expect(heap.f64.length).toBe(heap.memory.buffer.byteLength / 8);
  });

  it("raw offsets index the whole-memory views: a write through heap.u32 is read back through the allocation's view", () => {
    const heap = smallHeap();
    const ptr = heap.pageAllocator.rawAlloc(16, 4);
    heap.u32[ptr / 4 + 1] = 0xcafebabe;
    expect(new Uint32Array(heap.memory.buffer, ptr, 4)[1]).toBe(0xcafebabe);
  });
});

describe("byte offset 0", () => {
  it("is never an allocation: the page allocator starts above the heap's metadata", () => {
    const heap = smallHeap();
    const { metadataBytes } = heap.stats();
    expect(metadataBytes).toBeGreaterThan(0);
    const arena = new ArenaAllocator(heap.pageAllocator);
    for (let i = 0; i < 100; i++) {
      expect(heap.pageAllocator.rawAlloc(1, 1)).toBeGreaterThanOrEqual(metadataBytes);
      expect(arena.allocator().rawAlloc(1, 1)).toBeGreaterThanOrEqual(metadataBytes);
    }
  });
});

describe("reserve", () => {
  it("after heap.reserve(n), allocating n bytes in pages does not grow memory", () => {
    const heap = smallHeap();
    heap.reserve(8 * MiB);
    const { memoryBytes, grows } = heap.stats();
    const views = [];
    for (let i = 0; i < 128; i++) views.push(heap.pageAllocator.alloc("u8", PAGE));
    expect(heap.stats().memoryBytes).toBe(memoryBytes);
    expect(heap.stats().grows).toBe(grows);
    heap.validate();
  });

  it("reserve(n) holds whatever the fragmentation: free single pages do not count toward a two-page request", () => {
    const heap = smallHeap();
    const p = heap.pageAllocator;
    const pages = Array.from({ length: 16 }, () => p.rawAlloc(PAGE));
    for (let i = 0; i < pages.length; i += 2) p.rawFree(pages[i], PAGE);
    heap.reserve(2 * PAGE);
    const { memoryBytes, grows } = heap.stats();
    expect(p.rawAlloc(2 * PAGE)).not.toBe(0);
    expect(heap.stats()).toMatchObject({ memoryBytes, grows });
    heap.validate();
  });

  it("reserve counts the pages never handed out, so reserving what is free does not grow", () => {
    const heap = smallHeap();
    heap.reserve(4 * MiB);
    const { memoryBytes, pagesFreeBytes } = heap.stats();
    heap.reserve(pagesFreeBytes);
    expect(heap.stats().memoryBytes).toBe(memoryBytes);
  });

  it("reserving past maximumBytes throws OutOfMemoryError and leaves the heap valid", () => {
    const heap = smallHeap({ maximumBytes: 2 * MiB });
    expect(() => heap.reserve(4 * MiB)).toThrow(OutOfMemoryError);
    heap.validate();
    heap.reserve(MiB);
  });

  it("reserve(-1) and reserve(1.5) throw RangeError", () => {
    const heap = smallHeap();
    expect(() => heap.reserve(-1)).toThrow(RangeError);
    expect(() => heap.reserve(1.5)).toThrow(RangeError);
    heap.validate();
  });
});

describe("stats", () => {
  it("reports memory, maximum, strategy, and counts growths", () => {
    const heap = smallHeap();
    const before = heap.stats();
    expect(before.memoryBytes).toBe(heap.memory.buffer.byteLength);
    expect(before.maximumBytes).toBe(64 * MiB);
    expect(before.viewStrategy).toBe(heap.viewStrategy);
    forceGrowth(heap);
    const after = heap.stats();
    expect(after.grows).toBeGreaterThan(before.grows);
    expect(after.memoryBytes).toBe(heap.memory.buffer.byteLength);
  });

  it("counts page allocator calls and pages in use and free", () => {
    const heap = smallHeap();
    heap.reserve(4 * MiB);
    const s0 = heap.stats();
    const ptr = heap.pageAllocator.rawAlloc(3 * PAGE);
    const s1 = heap.stats();
    expect(s1.pageAllocCalls - s0.pageAllocCalls).toBe(1);
    expect(s1.pagesInUseBytes - s0.pagesInUseBytes).toBe(3 * PAGE);
    expect(s0.pagesFreeBytes - s1.pagesFreeBytes).toBe(3 * PAGE);
    expect(heap.pageAllocator.rawResize(ptr, 3 * PAGE, PAGE)).toBe(true);
    const s2 = heap.stats();
    expect(s2.pageResizeCalls - s1.pageResizeCalls).toBe(1);
    expect(s2.pagesInUseBytes - s0.pagesInUseBytes).toBe(PAGE);
    heap.pageAllocator.rawFree(ptr, PAGE);
    const s3 = heap.stats();
    expect(s3.pageFreeCalls - s2.pageFreeCalls).toBe(1);
    expect(s3.pagesInUseBytes).toBe(s0.pagesInUseBytes);
    expect(s3.pagesFreeBytes).toBe(s0.pagesFreeBytes);
    expect(s3.memoryBytes).toBe(s3.metadataBytes + s3.pagesInUseBytes + s3.pagesFreeBytes);
  });
});

describe("validate", () => {
  it("passes on a fresh heap and after ordinary use", () => {
    const heap = smallHeap();
    heap.validate();
    const arena = new ArenaAllocator(heap.pageAllocator);
    arena.allocator().alloc("f64", 10_000);
    heap.validate();
  });

  it("throws HeapCorruptionError (code HEAP_CORRUPTION) when a free run's header is overwritten", () => {
    const heap = smallHeap();
    const a = heap.pageAllocator.rawAlloc(PAGE);
    const b = heap.pageAllocator.rawAlloc(PAGE); // keeps a's page from merging into the wilderness
    heap.pageAllocator.rawFree(a, PAGE);
    heap.validate();
    heap.u32[a / 4] = 12345; // the free run's page count
    let error: unknown;
    try {
      heap.validate();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HeapCorruptionError);
    expect((error as HeapCorruptionError).code).toBe("HEAP_CORRUPTION");
    expect((error as HeapCorruptionError).address).toBe(a);
    heap.u32[a / 4] = 1;
    heap.validate();
    heap.pageAllocator.rawFree(b, PAGE);
  });

  it("throws HeapCorruptionError when an arena's bump pointer is pushed past its chunk", () => {
    const heap = smallHeap();
    const arena = new ArenaAllocator(heap.pageAllocator);
    const first = arena.allocator().alloc("u8", 16);
    heap.validate();
    // Nothing public reaches the arena's record, so find it: the u32 `end` field (16) right after
    // the record's `start` (first chunk + 8) and `capacity`.
    const u32 = heap.u32;
    const start = first.byteOffset;
    let field = -1;
    for (let i = 0; i < u32.length - 2; i++) {
      if (u32[i] === start && u32[i + 2] === 16) { field = i + 2; break; }
    }
    expect(field).toBeGreaterThan(0);
    u32[field] = 0xffff_fff0;
    expect(() => heap.validate()).toThrow(HeapCorruptionError);
    u32[field] = 16;
    heap.validate();
  });
});
