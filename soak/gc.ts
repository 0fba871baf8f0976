// Garbage collections seen since the last read, from node:perf_hooks 'gc' entries.
import { PerformanceObserver } from "node:perf_hooks";

export class GcCounter {
  count = 0;
  ms = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.count++;
      this.ms += entry.duration;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /** The collections since the previous call. */
  take(): { count: number; ms: number } {
    const out = { count: this.count, ms: this.ms };
    this.count = 0;
    this.ms = 0;
    return out;
  }

  stop(): void {
    this.observer.disconnect();
  }
}
