// Timing for the examples: the median of several runs, after a warm-up, so one noisy run on a
// busy machine does not decide the table.

export interface Timing {
  /** Median milliseconds per run. */
  medianMs: number;
  /** What the last run returned, so the work cannot be optimised away and results can be compared. */
  result: number;
}

export function timeMedian(run: () => number, runs = 9, warmups = 3): Timing {
  let result = 0;
  for (let i = 0; i < warmups; i++) result = run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1], result };
}
