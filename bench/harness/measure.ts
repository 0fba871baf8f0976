// Measures a group. Every cell is warmed up and its checksum checked; then each round measures
// every cell once with mitata, peers interleaved and their order rotated each round, after a full
// collection; last, each cell runs alone for a window in which garbage collections and peak
// memory are counted, free of the harness's own allocations.

import { measure } from "mitata";
import type { Cell, Group } from "./cell";
import { GcWatch } from "./gc-watch";
import { PeakMemory } from "./peak-memory";
import { gc } from "./gc";
import { spread, type CellResult, type GroupResult } from "./results";
import type { Settings } from "../settings";

interface Tally {
  cell: Cell;
  /** Median ns per operation, one per round. */
  rounds: number[];
  window?: { from: number; to: number; peakJsBytes: number };
  error?: string;
}

/** Progress lines for the terminal. */
export type Progress = (line: string) => void;

/** How often the GC window samples memory: sampling allocates, so not after every call. */
const MEMORY_SAMPLE_MS = 5;

export async function measureGroup(group: Group, settings: Settings, progress: Progress): Promise<GroupResult> {
  const watch = new GcWatch();
  const tallies: Tally[] = group.cells.map((cell) => ({ cell, rounds: [] }));
  const live = () => tallies.filter((tally) => tally.error === undefined);
  try {
    // The first call is set-up (it may grow memory mid-call, so its writes are not checked).
    for (const tally of tallies) tally.error = run(tally.cell, undefined) ?? run(tally.cell, group.checksum);
    for (let round = 0; round < settings.rounds; round++) {
      for (const tally of rotate(live(), round)) {
        gc();
        try {
          tally.rounds.push((await timeCall(tally.cell, settings)) / tally.cell.opsPerCall);
        } catch (error) {
          tally.error = `threw in round ${round + 1}: ${messageOf(error)}`;
        }
      }
      group.afterRound?.();
      progress(`    round ${round + 1}/${settings.rounds}`);
    }
    for (const tally of live()) {
      try {
        tally.window = gcWindow(tally.cell, settings.gcWindowMs, watch);
      } catch (error) {
        tally.error = `threw while counting collections: ${messageOf(error)}`;
      }
    }
    // The calls after all that must still be right: state the timed calls left behind counts too.
    for (const tally of live()) tally.error = run(tally.cell, group.checksum);
    await watch.settle();
    const cells = tallies.map((tally) => resultOf(tally, watch));
    for (const cell of cells) progress(`  ${describe(cell, group.unit)}`);
    return { variant: group.variant, unit: group.unit, references: group.references, cells, extras: group.extras?.() ?? [] };
  } finally {
    watch.stop();
    group.dispose?.();
    gc();
  }
}

/**
 * Calls shorter than this are timed in batches of mitata's batch_samples (4096) per sample, to
 * keep timer overhead out of them; longer ones one call per sample, so a slow cell does not spend
 * seconds on one sample.
 */
const BATCH_BELOW_NS = 5_000;
/** Enough samples for a stable median; caps the wall time of cells whose calls are microseconds. */
const MAX_SAMPLES = 5_000;

/**
 * Mean nanoseconds per call over one mitata measurement (mitata drops the two fastest and two
 * slowest samples). The mean, not the median: a collection pauses some calls and not others, and
 * a median of calls would leave out exactly the cost that garbage adds.
 */
async function timeCall(cell: Cell, settings: Settings): Promise<number> {
  const options = { min_cpu_time: settings.cpuTimeMs * 1e6, min_samples: settings.minSamples, gc: false as const,
    batch_threshold: BATCH_BELOW_NS, max_samples: MAX_SAMPLES };
  const { beforeEachCall, call } = cell;
  if (beforeEachCall === undefined) return (await measure(call, options)).avg;
  // mitata runs the [0] parameter function, untimed, before every timed call; batching calls
  // would run many preparations back to back, so it is turned off.
  const prepared = function* () {
    yield { 0: () => { beforeEachCall(); return 0; }, bench: (_prepared: number) => call() };
  };
  return (await measure(prepared as unknown as () => unknown, { ...options, batch_threshold: 0 })).avg;
}

/** Runs the cell for `ms` (at least one call) from a collected heap, sampling peak memory. */
function gcWindow(cell: Cell, ms: number, watch: GcWatch): Tally["window"] {
  const memory = new PeakMemory();
  memory.begin();
  const from = watch.now();
  let sampled = from;
  let now = from;
  do {
    cell.beforeEachCall?.();
    cell.call();
    now = watch.now();
    if (now - sampled >= MEMORY_SAMPLE_MS) {
      memory.sample();
      sampled = now;
    }
  } while (now - from < ms);
  memory.sample();
  return { from, to: now, peakJsBytes: memory.growth() };
}

/** One call; an error message if it throws or returns other than `expected` (when given). */
function run(cell: Cell, expected: number | undefined): string | undefined {
  try {
    cell.beforeEachCall?.();
    const checksum = cell.call();
    if (expected !== undefined && checksum !== expected) {
      return `checksum ${checksum}, expected ${expected}: the peer did not do the same work`;
    }
    return undefined;
  } catch (error) {
    return `threw: ${messageOf(error)}`;
  }
}

function resultOf(tally: Tally, watch: GcWatch): CellResult {
  const { cell, window } = tally;
  const gcs = window === undefined ? { events: 0, pauseMs: 0 } : watch.within(window.from, window.to);
  const seconds = window === undefined ? 0 : (window.to - window.from) / 1000;
  const failed = tally.error !== undefined || tally.rounds.length === 0;
  return {
    id: cell.id,
    peer: cell.peer,
    how: cell.how,
    opsPerCall: cell.opsPerCall,
    ns: failed ? undefined : spread(tally.rounds),
    ratios: {},
    gc: {
      ...gcs, seconds,
      perSecond: seconds > 0 ? gcs.events / seconds : 0,
      pauseMsPerSecond: seconds > 0 ? gcs.pauseMs / seconds : 0,
    },
    peakJsBytes: window?.peakJsBytes ?? 0,
    linearBytes: safely(cell.linearBytes),
    viewStrategy: cell.viewStrategy,
    error: tally.error ?? (tally.rounds.length === 0 ? "not measured" : undefined),
  };
}

function describe(cell: CellResult, unit: string): string {
  const name = `${cell.peer} (${cell.how})`;
  if (cell.ns === undefined) return `✗ ${name}: ${cell.error}`;
  const { median, min, max } = cell.ns;
  return `✓ ${name}: ${median.toFixed(1)} ns/${unit} [${min.toFixed(1)}–${max.toFixed(1)}], `
    + `${cell.gc.perSecond.toFixed(1)} GC/s`;
}

/** The items starting at `by` (mod length), so no cell always runs first or last. */
function rotate<T>(items: T[], by: number): T[] {
  if (items.length === 0) return items;
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function safely(read: () => number): number {
  try {
    return read();
  } catch {
    return 0;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
