// Allocators written in TypeScript as programs: a logging allocator under an arena, which sees the
// arena's chunks and none of its allocations (examples/logging-allocator.ts), and a counting
// allocator under a GPA (examples/counting-allocator.ts).

import { describe, expect, it } from "vitest";
import { Heap } from "wasm-arena";
import { arenaOverLogging } from "../examples/logging-allocator";
import { gpaOverCounting } from "../examples/counting-allocator";

describe("examples/logging-allocator.ts", () => {
  it("logs the arena's chunk calls only: a few dozen lines for 100,000 allocations, every chunk given back", () => {
    const lines = arenaOverLogging(Heap.create(), 100_000);
    const calls = lines.filter((line) => !line.startsWith("--"));
    const summary = lines.find((line) => line.startsWith("--"));
    const held = Number(/^-- 100000 allocations made; the arena holds (\d+) bytes --$/.exec(summary ?? "")?.[1]);
    expect(held).toBeGreaterThanOrEqual(100_000 * 32);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThan(40);
    for (const line of calls) expect(line).toMatch(/^(alloc|resize|free)\(/);
    // Every chunk the arena took (by its last length) is freed once, at deinit.
    const chunks = new Map<string, string>();
    for (const line of calls) {
      const alloc = /^alloc\((\d+), align 8\) -> offset (\d+)$/.exec(line);
      const grown = /^resize\(offset (\d+), \d+ -> (\d+)\) -> in place$/.exec(line);
      const freed = /^free\(offset (\d+), (\d+)\)$/.exec(line);
      if (alloc) chunks.set(alloc[2], alloc[1]);
      if (grown) chunks.set(grown[1], grown[2]);
      if (freed) {
        expect(chunks.get(freed[1])).toBe(freed[2]);
        chunks.delete(freed[1]);
      }
    }
    expect(chunks.size).toBe(0);
  });
});

describe("examples/counting-allocator.ts", () => {
  it("a GPA asks its backing for slabs and large blocks, not one call per allocation, and gives all back", () => {
    const { atPeak, atEnd, gpaDeinit } = gpaOverCounting(Heap.create(), 10_000);
    expect(gpaDeinit).toBe("ok");
    expect(atPeak.allocs).toBeGreaterThanOrEqual(4);     // the 4 large blocks at least
    expect(atPeak.allocs).toBeLessThan(100);             // for 10,004 allocations
    expect(atPeak.liveBytes).toBeGreaterThanOrEqual(4 * 256 * 1024 + 10_000 * 8);
    expect(atEnd.frees).toBe(atEnd.allocs);
    expect(atEnd.liveBytes).toBe(0);
    expect(atEnd.peakBytes).toBeGreaterThanOrEqual(atPeak.liveBytes);
    expect(atEnd.refused).toBe(0);
  });
});
