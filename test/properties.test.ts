// Property tests (fast-check). Each names the invariant it checks; on failure fast-check prints
// the seed and the shrunk counterexample.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArenaAllocator, FixedBufferAllocator, type Heap, type KindName } from "../src/index";
import { KIND_TABLE, MiB, PAGE, smallHeap, arenaOnPages, pagesOfSmallHeap } from "./support/heaps";

const SIZES: Record<KindName, number> = Object.fromEntries(KIND_TABLE.map(([name, ctor]) => [name, ctor.BYTES_PER_ELEMENT])) as never;
const kindArb = fc.constantFrom(...KIND_TABLE.map(([name]) => name));
const alignArb = fc.option(fc.constantFrom(1, 2, 4, 8, 16, 32, 64, 128, 1024, 4096, 65536), { nil: undefined });

/** A tag byte for allocation `i`, never 0 so that untouched memory does not pass for it. */
const tagOf = (i: number) => (i * 37) % 255 + 1;

function bytesOf(heap: Heap, ptr: number, len: number): Uint8Array {
  return new Uint8Array(heap.memory.buffer, ptr, len);
}

describe("ArenaAllocator properties", () => {
  it("invariant: allocations of any kinds, lengths and alignments never overlap, are aligned, and keep their contents", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: kindArb, n: fc.integer({ min: 0, max: 3000 }), align: alignArb }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom("page", "arena", "fixed"),
        (requests, backingName) => {
          const heap = smallHeap();
          const backing = backingName === "page" ? heap.pageAllocator
            : backingName === "arena" ? new ArenaAllocator(heap.pageAllocator).allocator()
              : new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 16 * MiB)).allocator();
          const arena = new ArenaAllocator(backing);
          const a = arena.allocator();
          const live: { ptr: number; len: number; tag: number }[] = [];
          requests.forEach(({ kind, n, align }, i) => {
            const view = a.alloc(kind, n, align === undefined ? undefined : { align });
            expect(view.length).toBe(n);
            if (n === 0) return;
            expect(view.byteOffset % Math.max(align ?? 1, SIZES[kind])).toBe(0);
            bytesOf(heap, view.byteOffset, view.byteLength).fill(tagOf(i));
            live.push({ ptr: view.byteOffset, len: view.byteLength, tag: tagOf(i) });
          });
          const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
          for (let i = 1; i < sorted.length; i++) expect(sorted[i].ptr).toBeGreaterThanOrEqual(sorted[i - 1].ptr + sorted[i - 1].len);
          for (const { ptr, len, tag } of live) expect(bytesOf(heap, ptr, len).every((b) => b === tag)).toBe(true);
          heap.validate();
          arena.deinit();
          heap.validate();
        },
      ),
      { numRuns: 100 },
    );
  });

  it("invariant: a mix of alloc, free, resize and realloc keeps every live allocation's contents, and validate() passes", () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant("alloc" as const), n: fc.integer({ min: 1, max: 5000 }), align: alignArb }),
      fc.record({ op: fc.constant("free" as const), which: fc.nat() }),
      fc.record({ op: fc.constant("resize" as const), which: fc.nat(), n: fc.integer({ min: 0, max: 8000 }) }),
      fc.record({ op: fc.constant("realloc" as const), which: fc.nat(), n: fc.integer({ min: 1, max: 8000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), (ops) => {
        const { heap, arena, a } = arenaOnPages();
        let live: { view: Uint8Array; tag: number }[] = [];
        let next = 0;
        const check = () => {
          for (const { view, tag } of live) expect(view.every((b) => b === tag)).toBe(true);
          heap.validate();
        };
        for (const step of ops) {
          if (step.op === "alloc") {
            const view = a.alloc("u8", step.n, step.align === undefined ? undefined : { align: step.align });
            const tag = tagOf(next++);
            view.fill(tag);
            live.push({ view, tag });
          } else if (live.length > 0) {
            const index = step.which % live.length;
            const { view, tag } = live[index];
            if (step.op === "free") {
              a.free(view);
              live = live.filter((_, i) => i !== index);
            } else if (step.op === "resize") {
              const resized = a.resize(view, step.n);
              if (step.n <= view.length) expect(resized, "shrinking always succeeds").not.toBeNull();
              if (resized !== null) {
                if (step.n === 0) {
                  expect(resized.length).toBe(0);
                  live = live.filter((_, i) => i !== index);
                } else {
                  expect(resized.byteOffset).toBe(view.byteOffset);
                  resized.fill(tag);
                  live[index] = { view: resized, tag };
                }
              }
            } else {
              const moved = a.realloc(view, step.n);
              expect(moved.subarray(0, Math.min(view.length, step.n)).every((b) => b === tag)).toBe(true);
              moved.fill(tag);
              live[index] = { view: moved, tag };
            }
          }
          check();
        }
        arena.deinit();
        heap.validate();
      }),
      { numRuns: 100 },
    );
  });

  // The contract: "retain_capacity" keeps the capacity merged into one chunk "so a reset loop stops
  // calling the backing allocator after the first round". When the first round spans several
  // chunks, the merged chunk lays the same allocations out with different alignment padding and
  // can come up a few bytes short once (as in Zig), so the invariant checked is: no calls from the
  // third round on, whatever the first round looked like; and from the second round on when the
  // first round fitted one chunk (nothing else took the pages above it).
  it("invariant: with \"retain_capacity\", repeating a round stops calling the page allocator (after round 1 in one chunk, after round 2 in any case)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: kindArb, n: fc.integer({ min: 1, max: 30_000 }), align: alignArb, block: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (round, fragmentFirstRound) => {
          const { heap, arena, a } = arenaOnPages();
          const calls = () => (({ pageAllocCalls, pageResizeCalls, pageFreeCalls }) => ({ pageAllocCalls, pageResizeCalls, pageFreeCalls }))(heap.stats());
          const run = (fragment: boolean) => {
            for (const { kind, n, align, block } of round) {
              a.alloc(kind, n, align === undefined ? undefined : { align });
              // Another user of the page allocator takes the page above the arena's chunk.
              if (fragment && block) heap.pageAllocator.rawAlloc(1);
            }
            expect(arena.reset("retain_capacity")).toBe(true);
          };
          run(fragmentFirstRound);
          const afterFirst = calls();
          run(false);
          const afterSecond = calls();
          if (!fragmentFirstRound) expect(afterSecond, "one chunk in round 1: no calls in round 2").toEqual(afterFirst);
          for (let i = 0; i < 4; i++) run(false);
          expect(calls()).toEqual(afterSecond);
          heap.validate();
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("page allocator properties", () => {
  it("invariant: random alloc, free, resize and realloc keep validate() passing, contents intact and the page count exact", () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant("alloc" as const), bytes: fc.integer({ min: 1, max: 6 * PAGE }) }),
      fc.record({ op: fc.constant("free" as const), which: fc.nat() }),
      fc.record({ op: fc.constant("resize" as const), which: fc.nat(), bytes: fc.integer({ min: 0, max: 6 * PAGE }) }),
      fc.record({ op: fc.constant("realloc" as const), which: fc.nat(), bytes: fc.integer({ min: 1, max: 6 * PAGE }) }),
      fc.record({ op: fc.constant("rawAlloc" as const), bytes: fc.integer({ min: 1, max: 3 * PAGE }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const { heap, p } = pagesOfSmallHeap();
        const baseline = heap.stats().pagesInUseBytes;
        let live: { ptr: number; len: number; tag: number }[] = [];
        let next = 0;
        const pagesOf = (len: number) => Math.ceil(len / PAGE) * PAGE;
        const check = () => {
          heap.validate();
          for (const { ptr, len, tag } of live) {
            expect(ptr % PAGE).toBe(0);
            expect(bytesOf(heap, ptr, len).every((b) => b === tag)).toBe(true);
          }
          const used = live.reduce((sum, { len }) => sum + pagesOf(len), 0);
          expect(heap.stats().pagesInUseBytes - baseline).toBe(used);
        };
        for (const step of ops) {
          if (step.op === "alloc" || step.op === "rawAlloc") {
            const ptr = step.op === "alloc" ? p.alloc("u8", step.bytes).byteOffset : p.rawAlloc(step.bytes);
            expect(ptr).not.toBe(0);
            const tag = tagOf(next++);
            bytesOf(heap, ptr, step.bytes).fill(tag);
            live.push({ ptr, len: step.bytes, tag });
          } else if (live.length > 0) {
            const index = step.which % live.length;
            const { ptr, len, tag } = live[index];
            const view = bytesOf(heap, ptr, len);
            if (step.op === "free") {
              p.free(view);
              live = live.filter((_, i) => i !== index);
            } else if (step.op === "resize") {
              const resized = p.resize(view, step.bytes);
              if (step.bytes <= len) expect(resized, "shrinking always succeeds").not.toBeNull();
              if (resized !== null) {
                if (step.bytes === 0) {
                  live = live.filter((_, i) => i !== index);
                } else {
                  expect(resized.byteOffset).toBe(ptr);
                  resized.fill(tag);
                  live[index] = { ptr, len: step.bytes, tag };
                }
              }
            } else {
              const moved = p.realloc(view, step.bytes);
              expect(moved.subarray(0, Math.min(len, step.bytes)).every((b) => b === tag)).toBe(true);
              moved.fill(tag);
              live[index] = { ptr: moved.byteOffset, len: step.bytes, tag };
            }
          }
          check();
        }
        for (const { ptr, len } of live) p.rawFree(ptr, len);
        heap.validate();
        expect(heap.stats().pagesInUseBytes).toBe(baseline);
      }),
      { numRuns: 150 },
    );
  });

  it("invariant: after freeing everything, memory does not grow when the same allocations are made again", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 * PAGE }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const { heap, p } = pagesOfSmallHeap();
        const round = () => {
          const ptrs = sizes.map((bytes) => p.rawAlloc(bytes));
          ptrs.forEach((ptr, i) => p.rawFree(ptr, sizes[i]));
        };
        round();
        const { memoryBytes, grows } = heap.stats();
        for (let i = 0; i < 3; i++) round();
        expect(heap.stats().memoryBytes).toBe(memoryBytes);
        expect(heap.stats().grows).toBe(grows);
        heap.validate();
      }),
      { numRuns: 100 },
    );
  });
});

describe("FixedBufferAllocator properties", () => {
  it("invariant: every allocation lies inside the buffer, is aligned, and endIndex only grows until reset", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 500 }), align: alignArb }), { minLength: 1, maxLength: 50 }),
        (requests) => {
          const heap = smallHeap();
          const buffer = heap.pageAllocator.alloc("u8", 8192);
          const fba = new FixedBufferAllocator(buffer);
          const a = fba.allocator();
          let end = 0;
          for (const { n, align } of requests) {
            const ptr = a.rawAlloc(n, align ?? 1);
            if (ptr === 0) {
              expect(fba.endIndex).toBe(end);
              continue;
            }
            if (n > 0) {
              expect(fba.ownsSlice(bytesOf(heap, ptr, n))).toBe(true);
              expect(ptr % (align ?? 1)).toBe(0);
              expect(fba.endIndex).toBe(ptr - buffer.byteOffset + n);
            }
            expect(fba.endIndex).toBeGreaterThanOrEqual(end);
            end = fba.endIndex;
          }
          fba.reset();
          expect(fba.endIndex).toBe(0);
          heap.validate();
        },
      ),
      { numRuns: 100 },
    );
  });
});
