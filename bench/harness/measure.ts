// Measures a group. Every cell is warmed up and its checksum checked; then each round measures
// every cell once with mitata, peers interleaved and their order rotated each round, after a full
// collection; last, each cell runs alone for a window in which garbage collections and peak
// memory are counted (gc-window.ts).

import { measure } from "mitata";
import type { Cell, Group } from "./cell";
import { gc, runWindow, GcWatch, type GcWindow } from "./gc-window";
import { spread, type CellResult, type GroupResult } from "./results";
import type { Settings } from "../settings";

interface Tally {
  cell: Cell;
  /** Mean ns per operation, one per round. */
  rounds: number[];
  window?: GcWindow;
  error?: string;
}

/**
 * Calls shorter than this are timed in batches of mitata's batch_samples (4096) per sample, to
 * keep timer overhead out of them; longer ones one call per sample, so a slow cell does not spend
 * seconds on one sample. mitata decides from the first two calls of a measurement, which the full
 * collection before each round can slow (code that embedded a hidden class no live object had is
 * deoptimized then): from the second round on, the cell's previous round decides.
 */
const BATCH_BELOW_NS = 5_000;
/** Enough samples for a stable median; caps the wall time of cells whose calls are microseconds. */
const MAX_SAMPLES = 5_000;

export async function measureGroup(group: Group, settings: Settings, log: (line: string) => void): Promise<GroupResult> {
  const watch = new GcWatch();
  const tallies: Tally[] = group.cells.map((cell) => ({ cell, rounds: [] }));
  const live = () => tallies.filter((tally) => tally.error === undefined);
  // Runs `step` on every live cell; a cell that throws is out of the group from then on.
  const each = (what: string, step: (tally: Tally) => void) => {
    for (const tally of live()) {
      try {
        step(tally);
      } catch (error) {
        tally.error = `threw ${what}: ${String(error)}`;
      }
    }
  };
  const call = ({ cell }: Tally) => {
    cell.beforeEachCall?.();
    return cell.call();
  };
  const check = (tally: Tally) => {
    const checksum = call(tally);
    if (group.checksum !== undefined && checksum !== group.checksum) {
      tally.error = `checksum ${checksum}, expected ${group.checksum}: the peer did not do the same work`;
    }
  };
  try {
    // The first call is set-up (it may grow memory mid-call, so its writes are not checked).
    each("in set-up", call);
    each("in set-up", check);
    for (let round = 0; round < settings.rounds; round++) {
      for (const tally of rotate(live(), round)) {
        gc();
        try {
          const { cell, rounds } = tally;
          const previous = rounds.at(-1);
          const previousCallNs = previous === undefined ? undefined : previous * cell.opsPerCall;
          rounds.push((await timeCall(cell, settings, previousCallNs)) / cell.opsPerCall);
        } catch (error) {
          tally.error = `threw in round ${round + 1}: ${String(error)}`;
        }
      }
      group.afterRound?.();
      log(`    round ${round + 1}/${settings.rounds}`);
    }
    each("while counting collections", (tally) => (tally.window = runWindow(tally.cell, settings.gcWindowMs)));
    // The calls after all that must still be right: state the timed calls left behind counts too.
    each("after the rounds", check);
    await watch.settle();
    const cells = tallies.map((tally) => resultOf(tally, watch));
    for (const cell of cells) log(`  ${describe(cell, group.unit)}`);
    return { variant: group.variant, unit: group.unit, references: group.references, cells, extras: group.extras?.() ?? [] };
  } finally {
    watch.stop();
    group.dispose?.();
    gc();
  }
}

/**
 * Mean nanoseconds per call over one mitata measurement (mitata drops the two fastest and two
 * slowest samples). The mean, not the median: a collection pauses some calls and not others, and
 * a median of calls would leave out exactly the cost that garbage adds.
 */
async function timeCall(cell: Cell, settings: Settings, previousCallNs: number | undefined): Promise<number> {
  // A threshold no call meets, or every call meets, when the previous round decides.
  const batchThreshold = previousCallNs === undefined ? BATCH_BELOW_NS : previousCallNs < BATCH_BELOW_NS ? Infinity : -1;
  const options = { min_cpu_time: settings.cpuTimeMs * 1e6, min_samples: settings.minSamples, gc: false as const,
    batch_threshold: batchThreshold, max_samples: MAX_SAMPLES };
  const { beforeEachCall, call } = cell;
  if (beforeEachCall === undefined) return (await measure(call, options)).avg;
  // mitata runs the [0] parameter function, untimed, before every timed call; batching calls
  // would run many preparations back to back, so it is turned off.
  const prepared = function* () {
    yield { 0: () => { beforeEachCall(); return 0; }, bench: (_prepared: number) => call() };
  };
  return (await measure(prepared as unknown as () => unknown, { ...options, batch_threshold: 0 })).avg;
}

function resultOf({ cell, rounds, window, error }: Tally, watch: GcWatch): CellResult {
  const gcs = window === undefined ? { events: 0, pauseMs: 0 } : watch.within(window);
  const seconds = window === undefined ? 0 : (window.to - window.from) / 1000;
  const failed = error ?? (rounds.length === 0 ? "not measured" : undefined);
  let linearBytes = 0;
  try {
    linearBytes = cell.linearBytes();
  } catch {
    // A cell that failed may have nothing left to measure.
  }
  return {
    id: cell.id, peer: cell.peer, how: cell.how, opsPerCall: cell.opsPerCall,
    ns: failed === undefined ? spread(rounds) : undefined,
    ratios: {},
    gc: { ...gcs, seconds, perSecond: seconds > 0 ? gcs.events / seconds : 0,
      pauseMsPerSecond: seconds > 0 ? gcs.pauseMs / seconds : 0 },
    peakJsBytes: window?.peakJsBytes ?? 0,
    linearBytes,
    error: failed,
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
  const start = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
