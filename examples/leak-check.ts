// A common mistake made visible: an arena on top of a GPA that is never deinit. Its chunks are
// live allocations of the GPA, so gpa.deinit() reports them as leaks, with the stack that made
// each when stackTraces is on.

import { ArenaAllocator, GeneralPurposeAllocator, type Heap } from "wasm-arena";

export function forgottenDeinit(heap: Heap): void {
  const gpa = new GeneralPurposeAllocator({
    heap,
    stackTraces: true,
    onLeak: (leak) => {
      const caller = leak.stack?.split("\n").find((line) => line.includes("leak-check"))?.trim();
      console.log(`  leaked ${leak.len} bytes at byte offset ${leak.ptr}, align ${leak.align}, allocated ${caller ?? "here"}`);
    },
  });
  const arena = new ArenaAllocator(gpa.allocator());
  arena.allocator().alloc("f64", 1000);
  // … and no arena.deinit(): the chunk the arena took from the GPA is still live.
  console.log(`  gpa.deinit(): "${gpa.deinit()}"\n`);
}
