// Property tests of the GPA: thousands of random alloc, free, resize and realloc operations over
// small and large lengths and every alignment, with the whole state checked after every step.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, type Heap } from "../src/index";
import { MiB, smallHeap } from "./support/heaps";
import { FILL, MAX_SMALL, SAFETY_MODES, allBytes, freshGpa } from "./support/gpa";

type Op =
  | { op: "alloc"; len: number; align: number }
  | { op: "free"; pick: number }
  | { op: "resize"; pick: number; len: number }
  | { op: "realloc"; pick: number; len: number };

const length = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 512 }) },
  { weight: 3, arbitrary: fc.integer({ min: 513, max: MAX_SMALL }) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_SMALL + 1, max: 150_000 }) },
);
const alignment = fc.oneof(
  { weight: 6, arbitrary: fc.constant(8) },
  { weight: 4, arbitrary: fc.constantFrom(1, 2, 4, 16, 32, 64, 256, 4096, 65536) },
);
const pick = fc.nat();
const ops = fc.array(fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("alloc" as const), len: length, align: alignment }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("free" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("resize" as const), pick, len: length }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("realloc" as const), pick, len: length }) },
), { minLength: 100, maxLength: 400 });

interface Block { ptr: number; len: number; align: number; byte: number }

/** The longest block a step can make: realloc never exceeds the longest length drawn. */
const MAX_LEN = 150_000;
/** Each block is filled with one of these bytes; buffers of each to compare against. */
const PATTERNS = Array.from({ length: 16 }, (_, i) => Buffer.alloc(MAX_LEN, 0x10 + i * 7));

/**
 * Runs `steps` against a fresh GPA, checking after every one: every live block holds its bytes,
 * is aligned, overlaps no other; the GPA counts them and their bytes; heap.validate() passes.
 * With safety, new memory reads 0xAA before the block's bytes are written.
 */
function run(steps: Op[], safety: boolean, backing: Backing = "page allocator"): void {
  const { heap, gpa, a, done } = makeGpa(safety, backing);
  const live: Block[] = [];
  let serial = 0;
  const write = (block: Block, from: number) => heap.u8.fill(PATTERNS[block.byte][0], block.ptr + from, block.ptr + block.len);
  for (const step of steps) {
    if (step.op === "alloc") {
      const ptr = a.rawAlloc(step.len, step.align);
      expect(ptr).not.toBe(0);
      if (safety) expect(allBytes(heap, ptr, step.len, FILL), "new memory is 0xAA").toBe(true);
      const block = { ptr, len: step.len, align: step.align, byte: serial++ % PATTERNS.length };
      write(block, 0);
      live.push(block);
    } else if (live.length > 0) {
      const index = step.pick % live.length;
      const block = live[index];
      if (step.op === "free") {
        a.rawFree(block.ptr, block.len, block.align);
        live.splice(index, 1);
      } else if (step.op === "resize") {
        if (a.rawResize(block.ptr, block.len, step.len, block.align)) {
          const old = block.len;
          block.len = step.len;
          if (safety && step.len > old) expect(allBytes(heap, block.ptr + old, step.len - old, FILL)).toBe(true);
          write(block, Math.min(old, step.len));
        }
      } else {
        const old = block.len;
        const view = a.realloc(heap.u8.subarray(block.ptr, block.ptr + block.len), step.len);
        // A moved block was allocated anew with the view's alignment, one byte.
        if (view.byteOffset !== block.ptr) block.align = 1;
        block.ptr = view.byteOffset;
        block.len = step.len;
        if (safety && step.len > old) expect(allBytes(heap, block.ptr + old, step.len - old, FILL)).toBe(true);
        write(block, Math.min(old, step.len));
      }
    }
    checkState(heap, gpa, live);
  }
  for (const block of live) a.rawFree(block.ptr, block.len, block.align);
  expect(gpa.deinit()).toBe("ok");
  done();
  heap.validate();
}

type Backing = "page allocator" | "arena" | "fixed buffer" | "GPA";

/** A GPA over `backing` on a fresh heap, and what ends the backing afterwards. */
function makeGpa(safety: boolean, backing: Backing) {
  const heap = smallHeap();
  switch (backing) {
    case "page allocator": return { ...freshGpa({ safety }, heap), done: () => {} };
    case "arena": {
      const arena = new ArenaAllocator(heap.pageAllocator);
      const gpa = new GeneralPurposeAllocator({ safety, backing: arena.allocator() });
      return { heap, gpa, a: gpa.allocator(), done: () => arena.deinit() };
    }
    case "fixed buffer": {
      const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 32 * MiB));
      const gpa = new GeneralPurposeAllocator({ safety, backing: fba.allocator() });
      return { heap, gpa, a: gpa.allocator(), done: () => fba.reset() };
    }
    case "GPA": {
      const outer = new GeneralPurposeAllocator({ safety, heap });
      const gpa = new GeneralPurposeAllocator({ safety, backing: outer.allocator() });
      return { heap, gpa, a: gpa.allocator(), done: () => expect(outer.deinit()).toBe("ok") };
    }
  }
}

function checkState(heap: Heap, gpa: GeneralPurposeAllocator, live: Block[]): void {
  const memory = Buffer.from(heap.memory.buffer);
  let requested = 0;
  for (const block of live) {
    expect(block.ptr % block.align, "aligned").toBe(0);
    expect(memory.subarray(block.ptr, block.ptr + block.len).equals(PATTERNS[block.byte].subarray(0, block.len)),
      `the ${block.len} bytes at ${block.ptr} are intact`).toBe(true);
    requested += block.len;
  }
  const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i - 1].ptr + sorted[i - 1].len, "blocks do not overlap").toBeLessThanOrEqual(sorted[i].ptr);
  }
  expect(gpa.totalRequestedBytes).toBe(requested);
  expect(gpa.stats().liveAllocations).toBe(live.length);
  heap.validate();
}

describe.each(SAFETY_MODES)("GPA properties (%s)", (_mode, safety) => {
  it("invariant: under random alloc, free, resize and realloc, every live block keeps its bytes, is aligned and overlaps none; the counts and validate() hold after every step", () => {
    fc.assert(fc.property(ops, (steps) => run(steps, safety)), { numRuns: 20 });
  });

  it.each(["arena", "fixed buffer", "GPA"] as const)("invariant: the same holds over %s as the backing allocator", (backing) => {
    fc.assert(fc.property(ops, (steps) => run(steps, safety, backing)), { numRuns: 5 });
  });

  it("invariant: leaks() lists exactly the live blocks, by address", () => {
    fc.assert(fc.property(fc.array(fc.record({ len: length, align: alignment, keep: fc.boolean() }), { maxLength: 60 }), (requests) => {
      const { gpa, a } = freshGpa({ safety });
      const blocks = requests.map((r) => ({ ...r, ptr: a.rawAlloc(r.len, r.align) }));
      for (const block of blocks) if (!block.keep) a.rawFree(block.ptr, block.len, block.align);
      const kept = blocks.filter((block) => block.keep).sort((x, y) => x.ptr - y.ptr);
      const leaks = gpa.leaks();
      expect(leaks.map((leak) => leak.ptr)).toEqual(kept.map((block) => block.ptr));
      if (safety) expect(leaks.map(({ len, align }) => ({ len, align }))).toEqual(kept.map(({ len, align }) => ({ len, align })));
      else for (const [i, leak] of leaks.entries()) expect(leak.len).toBeGreaterThanOrEqual(kept[i].len);
    }), { numRuns: 50 });
  });
});

describe("GPA properties with views", () => {
  it("invariant: views of every element kind allocated, filled and freed in random order leave the GPA empty", () => {
    const kinds = ["i8", "u8", "i16", "u16", "i32", "u32", "f32", "f64", "i64", "u64"] as const;
    fc.assert(fc.property(
      fc.array(fc.record({ kind: fc.constantFrom(...kinds), n: fc.integer({ min: 0, max: 5000 }) }), { maxLength: 40 }),
      fc.array(fc.nat()),
      (requests, order) => {
        const { heap, gpa, a } = freshGpa();
        const views = requests.map(({ kind, n }) => a.alloc(kind, n));
        for (const view of views) new Uint8Array(view.buffer, view.byteOffset, view.byteLength).fill(0x3c);
        for (const i of order) if (views.length > 0) a.free(views.splice(i % views.length, 1)[0]);
        for (const view of views) a.free(view);
        expect(gpa.stats().liveAllocations).toBe(0);
        expect(gpa.deinit()).toBe("ok");
        heap.validate();
      },
    ), { numRuns: 30 });
  });
});
