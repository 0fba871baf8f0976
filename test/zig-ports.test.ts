// TypeScript ports of the tests Zig ships for these allocators: lib/std/heap/arena_allocator.zig
// ("reset with preheating", "reset while retaining a buffer") and the generic checks of
// lib/std/heap.zig (see support/allocator-checks.ts) run against the page allocator, the arena
// and the fixed-buffer allocator.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArenaAllocator, FixedBufferAllocator } from "../src/index";
import { defineAllocatorChecks } from "./support/allocator-checks";
import { MiB, smallHeap, arenaOnPages } from "./support/heaps";

describe("arena_allocator.zig", () => {
  it("reset with preheating: 25 rounds of 32-aligned allocations are aligned and of the asked size", () => {
    // Zig seeds the variance from the test seed; fast-check does the same with its own seed and
    // reports it on failure.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ total: fc.integer({ min: 256, max: 16384 }), sizes: fc.array(fc.integer({ min: 16, max: 256 }), { minLength: 200, maxLength: 200 }) }),
          { minLength: 25, maxLength: 25 },
        ),
        (rounds) => {
          const heap = smallHeap();
          const arena = new ArenaAllocator(heap.pageAllocator);
          try {
            for (const { total, sizes } of rounds) {
              arena.reset("retain_capacity");
              let allocated = 0;
              for (let i = 0; allocated < total; i++) {
                const size = sizes[i % sizes.length];
                const slice = arena.allocator().alloc("u8", size, { align: 32 });
                expect(slice.byteOffset % 32).toBe(0);
                expect(slice.length).toBe(size);
                allocated += slice.length;
              }
            }
            heap.validate();
          } finally {
            arena.deinit();
          }
          heap.validate();
        },
      ),
      { numRuns: 20 },
    );
  });

  // Zig's testing allocator cannot grow the first buffer in place, so its second allocation opens
  // a second buffer. Here the allocation right after the arena's first chunk is taken, so the
  // arena cannot grow that chunk in place either.
  it("reset while retaining a buffer: with two chunks (over a FixedBufferAllocator), reset({ retain_with_limit: 1 }) succeeds and keeps 1 byte", () => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 65536));
    const arena = new ArenaAllocator(fba.allocator());
    const a = arena.allocator();
    a.alloc("u8", 1);
    const firstCapacity = arena.queryCapacity();
    const blocker = fba.allocator().alloc("u8", 1);
    const second = a.alloc("u8", 1000);

    // Two buffers: the second allocation lies past the blocker, and the first chunk still counts.
    expect(second.byteOffset).toBeGreaterThan(blocker.byteOffset);
    expect(arena.queryCapacity()).toBeGreaterThanOrEqual(firstCapacity + 1000);

    expect(arena.reset({ retain_with_limit: 1 })).toBe(true);
    expect(arena.queryCapacity()).toBe(1);
    heap.validate();
    arena.deinit();
    heap.validate();
  });

  it("reset while retaining a buffer: with two chunks (over the page allocator), reset({ retain_with_limit: 1 }) succeeds and keeps 1 byte", () => {
    const { heap, arena, a } = arenaOnPages();
    const calls = heap.stats().pageAllocCalls;
    a.alloc("u8", 1);
    const blocker = heap.pageAllocator.rawAlloc(1);
    a.alloc("u8", 100_000); // more than the first chunk's page: it would have to grow past the blocker
    expect(heap.stats().pageAllocCalls - calls, "two chunks and the blocker").toBe(3);

    expect(arena.reset({ retain_with_limit: 1 })).toBe(true);
    expect(arena.queryCapacity()).toBe(1);
    heap.validate();
    arena.deinit();
    heap.pageAllocator.rawFree(blocker, 1);
    heap.validate();
  });
});

describe("heap.zig generic checks: page allocator", () => {
  defineAllocatorChecks(() => ({ allocator: smallHeap().pageAllocator }));
});

describe("heap.zig generic checks: ArenaAllocator over the page allocator", () => {
  defineAllocatorChecks(() => {
    const arena = new ArenaAllocator(smallHeap().pageAllocator);
    return { allocator: arena.allocator(), done: () => arena.deinit() };
  });
});

describe("heap.zig generic checks: ArenaAllocator over another arena", () => {
  defineAllocatorChecks(() => {
    const outer = new ArenaAllocator(smallHeap().pageAllocator);
    const inner = new ArenaAllocator(outer.allocator());
    return { allocator: inner.allocator(), done: () => { inner.deinit(); outer.deinit(); } };
  });
});

describe("heap.zig generic checks: FixedBufferAllocator", () => {
  defineAllocatorChecks(() => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 8 * MiB));
    return { allocator: fba.allocator() };
  });
});

describe("heap.zig generic checks: ArenaAllocator over a FixedBufferAllocator", () => {
  defineAllocatorChecks(() => {
    const heap = smallHeap();
    const fba = new FixedBufferAllocator(heap.pageAllocator.alloc("u8", 8 * MiB));
    const arena = new ArenaAllocator(fba.allocator());
    return { allocator: arena.allocator(), done: () => arena.deinit() };
  });
});
