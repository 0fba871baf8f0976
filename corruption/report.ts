// The batch's tally and how it is printed: counts per outcome, per broken region, the most common
// failure signatures, and one line per failure with all it takes to replay it.
import { OUTCOMES, FAILURES, masked, type Outcome } from "./classify";
import type { TrialResult } from "./trial";
import { REGIONS } from "./targets";

export class Tally {
  readonly results: TrialResult[] = [];
  readonly byOutcome = new Map<Outcome, number>(OUTCOMES.map((o) => [o, 0]));

  add(r: TrialResult): void {
    this.results.push(r);
    this.byOutcome.set(r.outcome, this.byOutcome.get(r.outcome)! + 1);
  }

  failures(): TrialResult[] {
    return this.results.filter((r) => FAILURES.has(r.outcome)).sort((a, b) => a.trial - b.trial);
  }
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** Region, operation and error: what one regression test would pin down. */
export const signature = (r: TrialResult): string =>
  `${r.damage?.region ?? "?"} | ${masked(r.op)} | ${r.outcome}: ${r.error}`;

export function describeFailure(build: string, seed: number, r: TrialResult): string {
  const d = r.damage;
  const word = d ? `${d.region} @${d.addr} ${hex(d.old)} -> ${hex(d.value)} (${d.how})` : "no damage recorded";
  // A dead child's last words are the only clue to why it died.
  const why = r.outcome === "crashed" ? `\n    ${r.detail.trim().split("\n").slice(-6).join("\n    ")}` : "";
  return `${r.outcome.toUpperCase()} --build ${build} --seed ${seed} --trial ${r.trial} [${r.stack}] ${word}; at "${r.op}": ${r.error}${why}`;
}

export function formatTable(t: Tally): string {
  const cols = OUTCOMES;
  const width = 12;
  const cell = (s: string | number): string => String(s).padStart(width);
  const lines = [`${"region".padEnd(12)}${cols.map(cell).join("")}${cell("total")}`];
  const rows = [...REGIONS, "(none)"] as const;
  for (const region of rows) {
    const mine = t.results.filter((r) => (r.damage?.region ?? "(none)") === region);
    if (mine.length === 0) continue;
    const counts = cols.map((o) => mine.filter((r) => r.outcome === o).length);
    lines.push(`${region.padEnd(12)}${counts.map(cell).join("")}${cell(mine.length)}`);
  }
  lines.push(`${"all".padEnd(12)}${cols.map((o) => cell(t.byOutcome.get(o)!)).join("")}${cell(t.results.length)}`);
  return lines.join("\n");
}

export function topSignatures(t: Tally, n: number): string {
  const counts = new Map<string, { count: number; example: TrialResult }>();
  for (const r of t.failures()) {
    const s = signature(r);
    const entry = counts.get(s);
    if (entry) entry.count++;
    else counts.set(s, { count: 1, example: r });
  }
  return [...counts.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, n)
    .map(([s, { count, example }]) => `${String(count).padStart(6)}  ${s}   (e.g. --trial ${example.trial})`)
    .join("\n");
}
