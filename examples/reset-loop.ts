// The reset loop: one arena serves batch after batch. reset("retain_capacity") keeps the memory
// of the biggest batch so far, merged into one chunk, so from the second batch on the arena never
// calls its backing allocator.

import { ArenaAllocator, type Heap } from "wasm-arena";

export interface BatchCalls {
  batch: number;
  /** Calls the arena made to the page allocator (alloc, resize, free) during the batch. */
  backingCalls: number;
  capacityBytes: number;
}

function pageCalls(heap: Heap): number {
  const s = heap.stats();
  return s.pageAllocCalls + s.pageResizeCalls + s.pageFreeCalls;
}

/** Runs `batches` batches of `items` items with three temporaries each, resetting in between. */
export function resetLoop(heap: Heap, batches: number, items: number): BatchCalls[] {
  using arena = new ArenaAllocator(heap.pageAllocator);
  const scratch = arena.allocator();
  const calls: BatchCalls[] = [];
  for (let batch = 1; batch <= batches; batch++) {
    const before = pageCalls(heap);
    for (let item = 0; item < items; item++) {
      scratch.alloc("u8", 64)[0] = item;
      scratch.alloc("f64", 100)[99] = item;
      scratch.alloc("i32", 50)[49] = item;
    }
    arena.reset("retain_capacity");
    calls.push({ batch, backingCalls: pageCalls(heap) - before, capacityBytes: arena.queryCapacity() });
  }
  return calls;
}
