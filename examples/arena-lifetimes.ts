// An arena's lifetime over a GPA: `using` ends it with its block (deinit() on every way out), and
// reset() between batches keeps what each mode says, as queryCapacity() shows. Run it with
// `npx tsx examples/arena-lifetimes.ts`; test/examples-lesson.test.ts checks what each returns.

import { ArenaAllocator, GeneralPurposeAllocator, Heap, type ResetMode } from "wasm-arena";

/** An arena over a GPA, ended by `using`, also when the block throws: the GPA then has no leak. */
export function arenaWithUsing(heap: Heap, fail: boolean): { threw: boolean; gpaDeinit: "ok" | "leak" } {
  const gpa = new GeneralPurposeAllocator({ heap });
  let threw = false;
  try {
    using arena = new ArenaAllocator(gpa.allocator());
    arena.allocator().alloc("f64", 10_000).fill(1);
    if (fail) throw new Error("the batch failed");
  } catch {
    threw = true;
  }
  return { threw, gpaDeinit: gpa.deinit() };
}

/** queryCapacity() after a 100 KiB batch and a reset with each mode. */
export function capacityAfterReset(heap: Heap): { mode: string; before: number; after: number }[] {
  const modes: ResetMode[] = ["free_all", "retain_capacity", { retain_with_limit: 16_384 }];
  return modes.map((mode) => {
    const arena = new ArenaAllocator(heap.pageAllocator);
    for (let i = 0; i < 100; i++) arena.allocator().alloc("u8", 1024);
    const before = arena.queryCapacity();
    arena.reset(mode);
    const after = arena.queryCapacity();
    arena.deinit();
    return { mode: JSON.stringify(mode), before, after };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const heap = Heap.create();
  for (const fail of [false, true]) {
    const { threw, gpaDeinit } = arenaWithUsing(heap, fail);
    console.log(`using, ${threw ? "the block threw" : "the block ended"}: gpa.deinit() = "${gpaDeinit}"`);
  }
  for (const { mode, before, after } of capacityAfterReset(heap)) {
    console.log(`reset(${mode}): queryCapacity() ${before} -> ${after}`);
  }
}
