// The targets the figures are read against: reported in RESULTS.md and on the terminal, asserted
// nowhere. Where one is missed, bench/README.md says what costs the time.

import type { RunResult } from "../harness/results";
import { indexCells, ratioOf } from "../harness/ratios";
import { ratio, significant } from "./format";

export interface TargetResult {
  target: string;
  measured: string;
  status: "met" | "missed" | "not measured";
}

function judge(target: string, value: number | null | undefined, passes: (value: number) => boolean,
  measured: (value: number) => string): TargetResult {
  if (value === null || value === undefined || !Number.isFinite(value)) return { target, measured: "—", status: "not measured" };
  return { target, measured: measured(value), status: passes(value) ? "met" : "missed" };
}

export function checkTargets(run: RunResult): TargetResult[] {
  const index = indexCells(run.sections);
  const atMost = (target: string, limit: number, cellId: string, referenceId: string, what: string) =>
    judge(target, ratioOf(index, cellId, referenceId), (value) => value <= limit, (value) => `${what} ${ratio(value)}`);
  const raw = index.get("batch/raw/arena")?.cell;
  const floorSpeedup = ratioOf(index, "batch/view/plain", "batch/view/floor");
  const results = [
    judge("processBatch, view path: ≥ 20× faster than plain typed arrays", ratioOf(index, "batch/view/plain", "batch/view/arena"),
      (speedup) => speedup >= 20,
      (speedup) => `${significant(speedup)}× faster (the floor: ${floorSpeedup === null ? "—" : significant(floorSpeedup)}×)`),
    atMost("processBatch, view path: within 1.15× of the JS bump floor with views", 1.15, "batch/view/arena", "batch/view/floor", "time ÷ floor"),
    atMost("processBatch, raw path: within 1.5× of the JS bump floor", 1.5, "batch/raw/arena", "batch/raw/floor", "time ÷ floor"),
    atMost("processBatch, raw path: ≥ 1.3× faster than @thi.ng/malloc malloc + freeAll", 1 / 1.3, "batch/raw/arena", "batch/raw/thing",
      "time ÷ MemPool"),
    judge("processBatch, raw path: ≤ 5 garbage collections per 2 s of work", raw?.ns === undefined ? undefined : raw.gc.perSecond,
      (perSecond) => perSecond * 2 <= 5,
      (perSecond) => `${significant(perSecond * 2)} per 2 s (${raw?.gc.events} in ${significant(raw?.gc.seconds ?? 0)} s)`),
    resetTarget(run),
    ...computeTargets(index),
  ];
  // The live counts the GPA section ran, from its cell ids ("gpa/32000/pair/tlsf").
  const lives = [...index.keys()].flatMap((id) => /^gpa\/(\d+)\/pair\/tlsf$/.exec(id)?.[1] ?? []).map(Number);
  for (const live of lives) {
    const label = `${live.toLocaleString("en")} live`;
    results.push(
      atMost(`GPA safety:false alloc+free pairs, ${label}: at least as fast as TLSF`, 1,
        `gpa/${live}/pair/gpa-fast`, `gpa/${live}/pair/tlsf`, "time ÷ TLSF"),
      atMost(`GPA safety:true alloc+free pairs, ${label}: within 2× of TLSF`, 2,
        `gpa/${live}/pair/gpa-safe`, `gpa/${live}/pair/tlsf`, "time ÷ TLSF"),
    );
  }
  if (lives.length >= 2) {
    const [low, high] = [Math.min(...lives), Math.max(...lives)];
    // The same growth for the memory floor and TLSF tells memory latency from the allocator's work.
    const growth = (key: string) => ratioOf(index, `gpa/${high}/free/${key}`, `gpa/${low}/free/${key}`);
    const context = `memory floor ${ratio(growth("reads"))}, TLSF ${ratio(growth("tlsf"))}`;
    for (const [key, name] of [["gpa-fast", "safety:false"], ["gpa-safe", "safety:true"]]) {
      results.push(judge(`GPA ${name}: time per free at ${high.toLocaleString("en")} live within 1.5× of ${low.toLocaleString("en")} live`,
        growth(key), (value) => value <= 1.5, (value) => `ratio ${ratio(value)} (${context})`));
    }
  }
  return results;
}

/** computeResult over a GPA against plain typed arrays: at least as fast at 1 Ki, twice at 64 Ki. */
function computeTargets(index: ReturnType<typeof indexCells>): TargetResult[] {
  return ([[1024, 1], [65536, 2]] as const).map(([n, least]) => judge(
    `computeResult at ${n.toLocaleString("en")} elements, arena over a GPA: ≥ ${least}× as fast as plain typed arrays`,
    ratioOf(index, `compute/${n}/plain`, `compute/${n}/arena-gpa`), (speedup) => speedup >= least,
    (speedup) => `${significant(speedup)}× as fast`));
}

function resetTarget(run: RunResult): TargetResult {
  const table = run.sections.find((s) => s.id === "reset")?.groups[0]?.extras[0];
  const column = table?.columns.indexOf("batches 2+ (max)") ?? -1;
  const row = table?.rows.find((r) => r[0] === `"retain_capacity"`);
  return judge(`Reset loop ("retain_capacity"): zero calls to the backing allocator per batch after the first`,
    row === undefined || column < 0 ? undefined : Number(row[column]), (calls) => calls === 0,
    (calls) => `at most ${calls} per batch after batch 1 (batch 1: ${row?.[1]})`);
}
