// The four common mistakes of the arena pattern, each made visible by the library. Run it with
// `npx tsx examples/common-mistakes.ts`; test/examples-lesson.test.ts checks what each returns.

import { ArenaAllocator, GeneralPurposeAllocator, Heap, type LeakReport } from "wasm-arena";

/**
 * 1. Returning arena memory: the view outlives the arena. Over a GPA with safety, deinit() gives
 * the chunk back and the GPA fills it with 0xAA, so the "result" reads garbage, not the answer.
 */
export function returningArenaMemory(heap: Heap): { wrote: number; readsAfterDeinit: number } {
  const gpa = new GeneralPurposeAllocator({ heap });
  const arena = new ArenaAllocator(gpa.allocator());
  const result = arena.allocator().alloc("u8", 16);
  result.fill(42);
  arena.deinit(); // the mistake: `result` still points into the chunk that just went back
  const readsAfterDeinit = result[0];
  gpa.deinit();
  return { wrote: 42, readsAfterDeinit };
}

/**
 * 2. free() on arena memory: a no-op unless it is the last allocation. The offsets show it: after
 * freeing `a` (not the last), the next allocation still lands after `b`; after freeing `b` (the
 * last), it lands where `b` was.
 */
export function freeOnArenaMemory(heap: Heap): { a: number; b: number; afterFreeingA: number; afterFreeingB: number } {
  const arena = new ArenaAllocator(heap.pageAllocator);
  const scratch = arena.allocator();
  const a = scratch.rawAlloc(64);
  const b = scratch.rawAlloc(64);
  scratch.rawFree(a, 64); // not the last allocation: nothing happens
  const afterFreeingA = scratch.rawAlloc(64);
  scratch.rawFree(afterFreeingA, 64);
  scratch.rawFree(b, 64); // the last one: the bump pointer rolls back
  const afterFreeingB = scratch.rawAlloc(64);
  arena.deinit();
  return { a, b, afterFreeingA, afterFreeingB };
}

/**
 * 3. Forgetting deinit(): the arena's chunk stays a live allocation of the GPA, which reports it
 * as a leak, with the stack of the allocation that made it (stackTraces: true).
 */
export function forgettingDeinit(heap: Heap): { outcome: "ok" | "leak"; leaks: LeakReport[] } {
  const leaks: LeakReport[] = [];
  const gpa = new GeneralPurposeAllocator({ heap, stackTraces: true, onLeak: (leak) => leaks.push(leak) });
  const arena = new ArenaAllocator(gpa.allocator());
  arena.allocator().alloc("f64", 1000);
  // the mistake: no arena.deinit()
  return { outcome: gpa.deinit(), leaks };
}

/**
 * 4. One giant arena for the whole program: nothing it hands out comes back until the end, so its
 * memory only grows with the work done; an arena reset between batches stays at one batch's worth.
 */
export function oneGiantArena(batches: number): { giantBytes: number; resetLoopBytes: number } {
  const batch = (allocator: ReturnType<ArenaAllocator["allocator"]>) => {
    for (let i = 0; i < 100; i++) allocator.alloc("f64", 1000).fill(i);
  };
  const pagesInUse = (heap: Heap) => heap.stats().pagesInUseBytes;

  const giantHeap = Heap.create({ maximumBytes: 1 << 30 });
  const giant = new ArenaAllocator(giantHeap.pageAllocator);
  for (let i = 0; i < batches; i++) batch(giant.allocator());
  const giantBytes = pagesInUse(giantHeap);
  giant.deinit();

  const loopHeap = Heap.create({ maximumBytes: 1 << 30 });
  const perBatch = new ArenaAllocator(loopHeap.pageAllocator);
  for (let i = 0; i < batches; i++) {
    batch(perBatch.allocator());
    perBatch.reset("retain_capacity");
  }
  const resetLoopBytes = pagesInUse(loopHeap);
  perBatch.deinit();
  return { giantBytes, resetLoopBytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const heap = Heap.create();
  const returned = returningArenaMemory(heap);
  console.log(`1. returning arena memory: wrote ${returned.wrote}, read ${returned.readsAfterDeinit} (0x${returned.readsAfterDeinit.toString(16)}) after deinit()`);
  const freed = freeOnArenaMemory(heap);
  console.log(`2. free() on arena memory: a=${freed.a} b=${freed.b}; after freeing a the next lands at ${freed.afterFreeingA}, after freeing b at ${freed.afterFreeingB}`);
  const forgot = forgettingDeinit(heap);
  console.log(`3. forgetting deinit(): gpa.deinit() = "${forgot.outcome}", ${forgot.leaks.length} leak(s) of ${forgot.leaks.map((l) => l.len).join(", ")} bytes`);
  const giant = oneGiantArena(50);
  console.log(`4. one giant arena: ${(giant.giantBytes / 2 ** 20).toFixed(1)} MiB after 50 batches, against ${(giant.resetLoopBytes / 2 ** 20).toFixed(1)} MiB with a reset per batch`);
}
