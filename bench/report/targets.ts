// The targets, checked against a run's figures. Reported in RESULTS.md, asserted nowhere.

import type { RunResult } from "../harness/results";
import { indexCells, ratioOf } from "../harness/ratios";
import { ratio, significant } from "./format";

export interface TargetResult {
  /** Stable key; notes.ts explains misses by it. */
  id: string;
  target: string;
  measured: string;
  status: "met" | "missed" | "not measured";
  /** For a miss: by how much. */
  shortfall?: string;
}

interface Rule {
  measured: (value: number) => string;
  passes: (value: number) => boolean;
  shortfall: (value: number) => string;
}

function judge(id: string, target: string, value: number | undefined, rule: Rule): TargetResult {
  if (value === undefined || !Number.isFinite(value)) return { id, target, measured: "—", status: "not measured" };
  const measured = rule.measured(value);
  return rule.passes(value) ? { id, target, measured, status: "met" }
    : { id, target, measured, status: "missed", shortfall: rule.shortfall(value) };
}

/** A time ratio that must not exceed `limit`. */
const atMost = (limit: number, what: string): Rule => ({
  measured: (value) => `${what} ${ratio(value)}`,
  passes: (value) => value <= limit,
  shortfall: (value) => (limit === 1 ? `${significant((value - 1) * 100)}% slower`
    : `${significant((value / limit - 1) * 100)}% over the ${ratio(limit)} allowed`),
});

export function checkTargets(run: RunResult): TargetResult[] {
  const index = indexCells(run.sections);
  const over = (id: string, referenceId: string) => ratioOf(index, id, referenceId) ?? undefined;
  const raw = index.get("batch/raw/arena")?.cell;
  const rawGc = raw?.gc;
  const results = [
    judge("batch-view-speedup", "processBatch, view path: ≥ 20× faster than plain typed arrays",
      over("batch/view/plain", "batch/view/arena"), {
        measured: (speedup) => `${significant(speedup)}× faster`,
        passes: (speedup) => speedup >= 20,
        shortfall: (speedup) => `${significant(20 / speedup)}× short of 20×`,
      }),
    judge("batch-view-floor", "processBatch, view path: within 1.3× of the JS bump floor with views",
      over("batch/view/arena", "batch/view/floor"), atMost(1.3, "time ÷ floor")),
    judge("batch-raw-floor", "processBatch, raw path: within 2× of the JS bump floor",
      over("batch/raw/arena", "batch/raw/floor"), atMost(2, "time ÷ floor")),
    judge("batch-raw-thing", "processBatch, raw path: faster than @thi.ng/malloc malloc + freeAll",
      over("batch/raw/arena", "batch/raw/thing"), atMost(1, "time ÷ MemPool")),
    judge("batch-raw-gc", "processBatch, raw path: ≤ 5 garbage collections per 2 s of work",
      raw?.ns === undefined ? undefined : rawGc?.perSecond, {
        measured: (perSecond) => `${significant(perSecond * 2)} per 2 s (${rawGc?.events} in ${significant(rawGc?.seconds ?? 0)} s)`,
        passes: (perSecond) => perSecond * 2 <= 5,
        shortfall: (perSecond) => `${significant(perSecond * 2 - 5)} too many per 2 s`,
      }),
    resetTarget(run),
  ];
  // The live counts the GPA section ran, from its cell ids ("gpa/32000/pair/tlsf").
  const lives = [...index.keys()].map((id) => /^gpa\/(\d+)\/pair\/tlsf$/.exec(id)).filter((m) => m !== null)
    .map((m) => Number(m[1]));
  for (const live of lives) {
    const label = `${live.toLocaleString("en")} live`;
    results.push(
      judge(`gpa-fast-tlsf-${live}`, `GPA safety:false alloc+free pairs, ${label}: at least as fast as TLSF`,
        over(`gpa/${live}/pair/gpa-fast`, `gpa/${live}/pair/tlsf`), atMost(1, "time ÷ TLSF")),
      judge(`gpa-safe-tlsf-${live}`, `GPA safety:true alloc+free pairs, ${label}: within 2× of TLSF`,
        over(`gpa/${live}/pair/gpa-safe`, `gpa/${live}/pair/tlsf`), atMost(2, "time ÷ TLSF")),
    );
  }
  if (lives.length >= 2) {
    const [low, high] = [Math.min(...lives), Math.max(...lives)];
    // The same growth for the memory floor and TLSF tells memory latency from the allocator's work.
    const growth = (key: string) => over(`gpa/${high}/free/${key}`, `gpa/${low}/free/${key}`);
    const context = [["reads", "memory floor"], ["tlsf", "TLSF"]]
      .map(([key, name]) => `${name} ${ratio(growth(key))}`).join(", ");
    for (const [key, name] of [["gpa-fast", "safety:false"], ["gpa-safe", "safety:true"]]) {
      results.push(judge(`gpa-free-flat-${key}`,
        `GPA ${name}: time per free at ${high.toLocaleString("en")} live within 1.5× of ${low.toLocaleString("en")} live`,
        growth(key), { ...atMost(1.5, "ratio"), measured: (value) => `ratio ${ratio(value)} (${context})` }));
    }
  }
  return results;
}

function resetTarget(run: RunResult): TargetResult {
  const table = run.sections.find((s) => s.id === "reset")?.groups[0]?.extras[0];
  const column = table?.columns.indexOf("batches 2+ (max)") ?? -1;
  const row = table?.rows.find((r) => r[0] === `"retain_capacity"`);
  return judge("reset-zero-calls",
    `Reset loop ("retain_capacity"): zero calls to the backing allocator per batch after the first`,
    row === undefined || column < 0 ? undefined : Number(row[column]), {
      measured: (calls) => `at most ${calls} per batch after batch 1 (batch 1: ${row?.[1]})`,
      passes: (calls) => calls === 0,
      shortfall: (calls) => `${calls} calls in some batch`,
    });
}
