// Where a real-library run writes real.json, REAL.md and its charts: bench/results for a full run,
// bench/.cache/real-quick for a quick one.

import { resolve } from "node:path";

export function realOutDir(quick: boolean): string {
  return resolve(import.meta.dirname, "../..", quick ? "bench/.cache/real-quick" : "bench/results");
}
