// A counting allocator written in TypeScript with defineAllocator(): it wraps any allocator and
// counts the calls it passes on and the bytes they hold, live and at the peak. Under a GPA it
// shows what the GPA asks of its backing allocator: a slab per size class and a block per large
// allocation, not one call per allocation. Run it with `npx tsx examples/counting-allocator.ts`;
// test/examples-allocators.test.ts checks what it returns.

import { defineAllocator, GeneralPurposeAllocator, Heap, type Allocator } from "wasm-arena";

export interface Counts {
  allocs: number;
  resizes: number;
  frees: number;
  /** Calls that got nothing: alloc out of memory, resize not in place. */
  refused: number;
  liveBytes: number;
  peakBytes: number;
}

/** An allocator that passes every call to `backing` and counts them in `counts`. */
export function countingAllocator(backing: Allocator): { allocator: Allocator; counts: Counts } {
  const counts: Counts = { allocs: 0, resizes: 0, frees: 0, refused: 0, liveBytes: 0, peakBytes: 0 };
  const holding = (bytes: number) => {
    counts.liveBytes += bytes;
    counts.peakBytes = Math.max(counts.peakBytes, counts.liveBytes);
  };
  const allocator = defineAllocator(backing.heap, {
    alloc(len, align) {
      counts.allocs++;
      const ptr = backing.rawAlloc(len, align);
      if (ptr === 0) counts.refused++;
      else holding(len);
      return ptr;
    },
    resize(ptr, len, newLen, align) {
      counts.resizes++;
      const done = backing.rawResize(ptr, len, newLen, align);
      if (done) holding(newLen - len);
      else counts.refused++;
      return done;
    },
    free(ptr, len, align) {
      counts.frees++;
      backing.rawFree(ptr, len, align);
      holding(-len);
    },
  });
  return { allocator, counts };
}

/**
 * A GPA over a counting allocator over the page allocator: `n` small and a few large allocations,
 * all freed, then deinit(). The counts at the peak and at the end.
 */
export function gpaOverCounting(heap: Heap, n: number): { atPeak: Counts; atEnd: Counts; gpaDeinit: "ok" | "leak" } {
  const { allocator, counts } = countingAllocator(heap.pageAllocator);
  const gpa = new GeneralPurposeAllocator({ backing: allocator });
  const a = gpa.allocator();
  const small = Array.from({ length: n }, (_, i) => a.alloc("f64", 1 + (i % 16)));
  const large = Array.from({ length: 4 }, () => a.alloc("u8", 256 * 1024));
  const atPeak = { ...counts };
  for (const view of [...small, ...large]) a.free(view);
  const gpaDeinit = gpa.deinit();
  return { atPeak, atEnd: { ...counts }, gpaDeinit };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { atPeak, atEnd, gpaDeinit } = gpaOverCounting(Heap.create(), 10_000);
  console.log("a GPA's calls to its backing allocator for 10,000 small and 4 large allocations:");
  console.log(`  at the peak: ${atPeak.allocs} allocs, ${atPeak.liveBytes} bytes held`);
  console.log(`  after freeing all and deinit() ("${gpaDeinit}"): ${atEnd.allocs} allocs, ${atEnd.frees} frees, `
    + `${atEnd.resizes} resizes, ${atEnd.liveBytes} bytes held, peak ${atEnd.peakBytes}`);
}
