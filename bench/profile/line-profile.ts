// A line profile of one cell: V8's sampling profiler, through node:inspector, while the cell's
// call runs for a while. Each sample names the source line the optimized code was at, inlined
// callees included (a bump inlined into a loop is charged to the bump's own lines). The lines are
// those of the script V8 ran, so the cell must run from a bundle that keeps its sources' lines
// (batch-profile.ts makes one). A sample in another script (Node's own) is charged to its function
// and script, and one outside any line (the collector, the engine) to its node's name.

import { Session } from "node:inspector/promises";
import type { Cell } from "../harness/cell";

/** Where one cell's time went, per operation. */
export interface CellProfile {
  cellId: string;
  /** Mean nanoseconds per operation while profiled (the profiler's own cost included). */
  nsPerOp: number;
  samples: number;
  /** Each line, or engine activity, with its share of the samples as nanoseconds per operation. */
  spots: ProfileSpot[];
}

export interface ProfileSpot {
  /** The source file and line, "src/arena.ts:12"; another script's URL; "" for engine activity. */
  module: string;
  /** The line's text, trimmed; elsewhere, the function's or the profiler's name: "(garbage collector)". */
  text: string;
  nsPerOp: number;
}

/** Microseconds between samples: as often as V8 samples reliably. */
const SAMPLING_INTERVAL_US = 50;

/**
 * Profiles `cell.call()` for at least `ms` milliseconds, after `warmUpCalls` untimed calls.
 * `bundle` is the URL of the script the cell runs from, and `lineOf(n)` gives its line n (1-based)
 * and the source it came from. Throws if a call returns anything but `checksum`.
 */
export async function profileCell(cell: Cell, ms: number, warmUpCalls: number, checksum: number,
  bundle: string, lineOf: (line: number) => { module: string; text: string }): Promise<CellProfile> {
  const check = (value: number) => {
    if (value !== checksum) throw new Error(`${cell.id} returned ${value}, not ${checksum}`);
  };
  for (let i = 0; i < warmUpCalls; i++) check(cell.call());
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
    await session.post("Profiler.start");
    const started = performance.now();
    let calls = 0;
    do {
      check(cell.call());
      calls++;
    } while (performance.now() - started < ms);
    const elapsed = performance.now() - started;
    const { profile } = await session.post("Profiler.stop");
    const nsPerOp = (elapsed * 1e6) / (calls * cell.opsPerCall);
    const ticks = new Map<string, { module: string; text: string; ticks: number }>();
    const charge = (module: string, text: string, count: number) => {
      const key = `${module}\n${text}`;
      const spot = ticks.get(key) ?? { module, text, ticks: 0 };
      spot.ticks += count;
      ticks.set(key, spot);
    };
    let samples = 0;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      samples += hits;
      const { url, functionName } = node.callFrame;
      let onLines = 0;
      if (url === bundle) {
        for (const { line, ticks: count } of node.positionTicks ?? []) {
          const { module, text } = lineOf(line);
          charge(module, text, count);
          onLines += count;
        }
      }
      if (hits > onLines) charge(url, functionName || "(anonymous)", hits - onLines);
    }
    const spots = [...ticks.values()]
      .map(({ module, text, ticks: count }) => ({ module, text, nsPerOp: (nsPerOp * count) / samples }))
      .sort((a, b) => b.nsPerOp - a.nsPerOp);
    return { cellId: cell.id, nsPerOp, samples, spots };
  } finally {
    session.disconnect();
  }
}
