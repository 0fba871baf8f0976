// Garbage-collector events during a window of work, from Node's PerformanceObserver "gc" entries.
// Entries arrive asynchronously after the collection, so windows are tallied only after settle().

import { PerformanceObserver, performance } from "node:perf_hooks";

export interface GcTally {
  events: number;
  pauseMs: number;
}

export class GcWatch {
  private readonly entries: { start: number; duration: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => this.keep(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /** The current time on the entries' clock (performance.now(), ms). */
  now(): number {
    return performance.now();
  }

  /** Waits until the entries of collections that already happened have been delivered. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    this.keep(this.observer.takeRecords());
  }

  /** Collections that started inside [from, to) (ms), after settle(). */
  within(from: number, to: number): GcTally {
    let events = 0;
    let pauseMs = 0;
    for (const entry of this.entries) {
      if (entry.start >= from && entry.start < to) {
        events++;
        pauseMs += entry.duration;
      }
    }
    return { events, pauseMs };
  }

  /** Forgets every entry so far. */
  clear(): void {
    this.entries.length = 0;
  }

  stop(): void {
    this.observer.disconnect();
  }

  private keep(entries: readonly PerformanceEntry[]): void {
    for (const entry of entries) this.entries.push({ start: entry.startTime, duration: entry.duration });
  }
}
