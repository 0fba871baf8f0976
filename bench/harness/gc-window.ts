// Garbage collections and peak JavaScript memory, counted apart from the timing: each cell runs
// alone for a window with no harness allocations in it. Peak memory is the V8 heap plus
// ArrayBuffer backing stores (where typed arrays outside WebAssembly keep their elements);
// WebAssembly memories are not counted here, cells report them as linear memory.

import { PerformanceObserver, performance } from "node:perf_hooks";
import type { Cell } from "./cell";

const exposed = (globalThis as { gc?: () => void }).gc;

/** A full collection; the benchmark runs with --expose-gc (npm run bench passes it). */
export function gc(): void {
  if (exposed === undefined) throw new Error("run the benchmarks with node --expose-gc (npm run bench does)");
  exposed();
}

const jsBytes = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

/** How often a window samples memory: sampling allocates, so not after every call. */
const MEMORY_SAMPLE_MS = 5;

export interface GcWindow {
  from: number;
  to: number;
  /** The highest figure in the window, above what was live when it began. */
  peakJsBytes: number;
}

/** Runs the cell for `ms` (at least one call) from a collected heap, sampling peak memory. */
export function runWindow(cell: Cell, ms: number): GcWindow {
  gc();
  const baseline = jsBytes();
  let peak = baseline;
  const from = performance.now();
  let sampled = from;
  let now = from;
  do {
    cell.beforeEachCall?.();
    cell.call();
    now = performance.now();
    if (now - sampled >= MEMORY_SAMPLE_MS) {
      peak = Math.max(peak, jsBytes());
      sampled = now;
    }
  } while (now - from < ms);
  peak = Math.max(peak, jsBytes());
  return { from, to: now, peakJsBytes: Math.max(0, peak - baseline) };
}

/** Collector events from Node's "gc" entries, which arrive asynchronously after the collection. */
export class GcWatch {
  private readonly entries: { start: number; duration: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => this.keep(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /** Waits until the entries of collections that already happened have been delivered. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    this.keep(this.observer.takeRecords());
  }

  /** Collections that started inside the window, after settle(). */
  within({ from, to }: GcWindow): { events: number; pauseMs: number } {
    const inside = this.entries.filter((entry) => entry.start >= from && entry.start < to);
    return { events: inside.length, pauseMs: inside.reduce((sum, entry) => sum + entry.duration, 0) };
  }

  stop(): void {
    this.observer.disconnect();
  }

  private keep(entries: readonly PerformanceEntry[]): void {
    for (const entry of entries) this.entries.push({ start: entry.startTime, duration: entry.duration });
  }
}
