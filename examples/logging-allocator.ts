// A logging allocator written in TypeScript with defineAllocator(): it wraps the heap's page
// allocator and logs every call it gets. As an arena's backing allocator it logs only the arena's
// chunks (a new one, one grown in place, each given back), never the arena's own allocations,
// which bump inside WebAssembly or in JavaScript without calling it. Run it with
// `npx tsx examples/logging-allocator.ts`; test/examples-allocators.test.ts checks what it prints.

import { ArenaAllocator, defineAllocator, Heap, type Allocator } from "wasm-arena";

/** An allocator that passes every call to `heap.pageAllocator` and writes one line per call to `log`. */
export function loggingAllocator(heap: Heap, log: (line: string) => void): Allocator {
  const pages = heap.pageAllocator;
  return defineAllocator(heap, {
    alloc(len, align) {
      const ptr = pages.rawAlloc(len, align);
      log(`alloc(${len}, align ${align}) -> ${ptr === 0 ? "out of memory" : `offset ${ptr}`}`);
      return ptr;
    },
    resize(ptr, len, newLen, align) {
      const done = pages.rawResize(ptr, len, newLen, align);
      log(`resize(offset ${ptr}, ${len} -> ${newLen}) -> ${done ? "in place" : "cannot"}`);
      return done;
    },
    free(ptr, len, align) {
      log(`free(offset ${ptr}, ${len})`);
      pages.rawFree(ptr, len, align);
    },
  });
}

/**
 * `allocations` allocations of four f64 from an arena over a logging allocator, then deinit():
 * the lines logged, all of them the arena's chunk calls.
 */
export function arenaOverLogging(heap: Heap, allocations: number): string[] {
  const lines: string[] = [];
  const arena = new ArenaAllocator(loggingAllocator(heap, (line) => lines.push(line)));
  const a = arena.allocator();
  for (let i = 0; i < allocations; i++) a.alloc("f64", 4)[0] = i;
  lines.push(`-- ${allocations} allocations made; the arena holds ${arena.queryCapacity()} bytes --`);
  arena.deinit();
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of arenaOverLogging(Heap.create(), 100_000)) console.log(line);
}
