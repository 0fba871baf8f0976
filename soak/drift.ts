// What the soak fails on. Some invariants hold from the first batch (the GPA's live bytes equal
// what the churn holds, within the churn's bound); the rest hold after the warm-up: memory stops
// growing, and the page allocator's pages in use after a reset of one mode come back to the same
// value every time that mode comes round (same workload, same retained memory).
import type { ResetMode } from "../src/index";
import { modeName } from "./batch";
import { LIVE_BYTES_BOUND, MAX_LIVE } from "./churn";

export interface BatchSample {
  elapsedMs: number;
  batch: number;
  mode: ResetMode;
  batchMemoryBytes: number;
  churnMemoryBytes: number;
  pagesInUseAfterReset: number;
  gpaRequested: number;
  gpaLive: number;
  churnRequested: number;
  churnLive: number;
}

const SHOWN = 20;

export class DriftCheck {
  readonly findings: string[] = [];
  private found = 0;
  private memoryBaseline: { batch: number; churn: number } | null = null;
  private readonly pagesByMode = new Map<string, number>();

  constructor(private readonly warmupMs: number) {}

  get count(): number { return this.found; }

  private fail(message: string): void {
    this.found++;
    if (this.findings.length < SHOWN) this.findings.push(message);
  }

  check(s: BatchSample): void {
    const at = `batch ${s.batch} (${(s.elapsedMs / 1000).toFixed(1)} s)`;
    if (s.gpaRequested !== s.churnRequested) this.fail(`${at}: GPA totalRequestedBytes ${s.gpaRequested} but the churn holds ${s.churnRequested}`);
    if (s.gpaLive !== s.churnLive) this.fail(`${at}: GPA live allocations ${s.gpaLive} but the churn holds ${s.churnLive}`);
    if (s.gpaRequested > LIVE_BYTES_BOUND || s.gpaLive > MAX_LIVE) this.fail(`${at}: GPA live set ${s.gpaLive} / ${s.gpaRequested} B beyond the churn's bound`);
    if (s.elapsedMs < this.warmupMs) return;
    if (this.memoryBaseline === null) {
      this.memoryBaseline = { batch: s.batchMemoryBytes, churn: s.churnMemoryBytes };
    } else {
      if (s.batchMemoryBytes > this.memoryBaseline.batch) this.fail(`${at}: the batch heap grew after the warm-up, ${this.memoryBaseline.batch} -> ${s.batchMemoryBytes} B`);
      if (s.churnMemoryBytes > this.memoryBaseline.churn) this.fail(`${at}: the churn heap grew after the warm-up, ${this.memoryBaseline.churn} -> ${s.churnMemoryBytes} B`);
      // Report each growth once: the new size is the bar from now on.
      this.memoryBaseline = { batch: Math.max(this.memoryBaseline.batch, s.batchMemoryBytes), churn: Math.max(this.memoryBaseline.churn, s.churnMemoryBytes) };
    }
    const mode = modeName(s.mode);
    const before = this.pagesByMode.get(mode);
    if (before === undefined) this.pagesByMode.set(mode, s.pagesInUseAfterReset);
    else if (before !== s.pagesInUseAfterReset) this.fail(`${at}: pages in use after reset("${mode}") ${before} -> ${s.pagesInUseAfterReset} B`);
  }
}
