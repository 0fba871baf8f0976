// Under "plain", growing memory detaches every view taken before: a frame that grows the heap
// halfway silently loses its earlier views. A GPA with safety on (the library's debug mode)
// watches its heap's growth and prints one warning per heap when memory grows while it holds
// live allocations besides the one that grew it, naming heap.reserve() and the call that grew,
// and the cost to the whole process (bench/results/GROWTH.md).

import type { Heap } from "./heap";

const warned = new WeakSet<Heap>();

/**
 * Warns (console.warn, once per heap) when `heap`, under "plain", grows while `liveCount()` is
 * above one. Returns the function that stops watching; a no-op on other strategies.
 */
export function warnOnDetachingGrowth(heap: Heap, liveCount: () => number): () => void {
  if (heap.viewStrategy !== "plain") return () => {};
  return heap.onGrow(({ previousBytes, memoryBytes }) => {
    if (warned.has(heap)) return;
    const live = liveCount();
    if (live < 2) return;
    warned.add(heap);
    const grewAt = new Error("memory grew here").stack?.split("\n").slice(1).join("\n") ?? "";
    console.warn(`wasm-arena: memory grew from ${previousBytes} to ${memoryBytes} bytes under viewStrategy "plain" `
      + `while a GeneralPurposeAllocator held ${live} live allocations: every view taken before is detached now, `
      + "and once a buffer has been detached V8 checks every optimized typed-array access in the process for it "
      + "(in Node, tight loops measured up to 1.9x slower, code that never touches the heap included). "
      + "Grow once up front instead: heap.reserve(bytes), sized from a first scope with "
      + `heap.reserve(arena.queryCapacity()). The allocation that grew memory:\n${grewAt}`);
  });
}
