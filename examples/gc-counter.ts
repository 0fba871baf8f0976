// Counts garbage collections while a piece of work runs (Node's PerformanceObserver "gc" entries).

import { PerformanceObserver } from "node:perf_hooks";

export async function countCollections(work: () => void): Promise<number> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => { collections += list.getEntries().length; });
  observer.observe({ entryTypes: ["gc"] });
  work();
  // Entries arrive asynchronously: let them in before counting.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return collections;
}
