// The real-library examples: each arena version computes exactly what its idiomatic version does.

import { describe, expect, it } from "vitest";
import { ArenaAllocator, FixedBufferAllocator, Heap, withArena } from "wasm-arena";
import { createWorld, ENTITY_SCRATCH_BYTES, frameArena, frameIdiomatic, frameScratch, worldChecksum } from "../examples/gl-matrix-frame";
import { blockScratchBytes, createFilter, createSignal, filterArena, filterIdiomatic, filterScratch, outputChecksum } from "../examples/fft-block-filter";

describe("examples/gl-matrix-frame.ts", () => {
  it("the arena frame gives the idiomatic frame's instances and entity state, frame after frame", () => {
    const heap = Heap.create({ initialBytes: 8 << 20 });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const idiomatic = createWorld(2000, 7);
    const viaArena = createWorld(2000, 7, heap.pageAllocator.alloc("f32", 2000 * 25));
    for (let frame = 0; frame < 5; frame++) {
      const visible = frameIdiomatic(idiomatic);
      expect(frameArena(viaArena, arena.allocator())).toBe(visible);
      arena.reset("retain_capacity");
      expect(visible).toBeGreaterThan(0);
      expect(worldChecksum(viaArena, visible)).toBe(worldChecksum(idiomatic, visible));
      expect(Array.from(viaArena.instances.subarray(0, visible * 25))).toEqual(Array.from(idiomatic.instances.subarray(0, visible * 25)));
    }
    arena.deinit();
  });

  it("a fixed buffer reset per entity gives the same result, with one entity's views for the whole frame", () => {
    const heap = Heap.create({ initialBytes: 8 << 20 });
    const scratch = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", ENTITY_SCRATCH_BYTES));
    const idiomatic = createWorld(500, 5);
    const perEntity = createWorld(500, 5, heap.pageAllocator.alloc("f32", 500 * 25));
    for (let frame = 0; frame < 3; frame++) {
      const visible = frameIdiomatic(idiomatic);
      expect(frameScratch(perEntity, scratch)).toBe(visible);
      expect(worldChecksum(perEntity, visible)).toBe(worldChecksum(idiomatic, visible));
      expect(Array.from(perEntity.instances.subarray(0, visible * 25))).toEqual(Array.from(idiomatic.instances.subarray(0, visible * 25)));
    }
    // Every entity's allocations fall at the same offsets, so the views handed out are 11 objects, frame after frame.
    const views = new Set<object>();
    const a = scratch.allocator();
    const noting = Object.create(a, { alloc: { value: (kind: "f32", n: number) => { const view = a.alloc(kind, n); views.add(view); return view; } } });
    frameArena(perEntity, noting, scratch);
    expect(views.size).toBe(11);
    heap.validate();
  });

  it("withArena around the frame gives the same result", () => {
    const heap = Heap.create({ initialBytes: 8 << 20 });
    const idiomatic = createWorld(500, 3);
    const scoped = createWorld(500, 3);
    for (let frame = 0; frame < 3; frame++) {
      const visible = frameIdiomatic(idiomatic);
      expect(withArena(heap.pageAllocator, (scratch) => frameArena(scoped, scratch))).toBe(visible);
      expect(worldChecksum(scoped, visible)).toBe(worldChecksum(idiomatic, visible));
    }
  });
});

describe("examples/fft-block-filter.ts", () => {
  for (const n of [64, 1024]) {
    it(`at N=${n} the arena filter's output equals the idiomatic filter's, pass after pass`, () => {
      const heap = Heap.create({ initialBytes: 4 << 20 });
      const arena = new ArenaAllocator(heap.pageAllocator);
      const filter = createFilter(n);
      const input = createSignal(4096);
      const expected = new Float64Array(input.length);
      filterIdiomatic(filter, input, expected);
      const actual = new Float64Array(input.length);
      for (let pass = 0; pass < 3; pass++) {
        filterArena(filter, input, actual, arena.allocator());
        arena.reset("retain_capacity");
        expect(Array.from(actual)).toEqual(Array.from(expected));
      }
      expect(outputChecksum(actual)).toBe(outputChecksum(expected));
      const scratch = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", blockScratchBytes(n)));
      const perBlock = new Float64Array(input.length);
      filterScratch(filter, input, perBlock, scratch);
      expect(Array.from(perBlock)).toEqual(Array.from(expected));
      // The filter does filter: the signal's highest tone is attenuated, so the output differs from the input.
      expect(outputChecksum(expected)).not.toBe(outputChecksum(input));
      arena.deinit();
    });
  }
});
