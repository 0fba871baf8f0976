// What a benchmark is made of. A cell is one peer doing one workload; a group is the set of cells
// measured side by side, round after round, so that a noisy moment hits every peer alike; a
// section is one workload's groups, reported as one table and one chart.

/** The peers; the name is also the legend label, and report/svg.ts gives each its colour. */
export type Peer = "plain typed arrays" | "JS bump (floor)" | "JS reads (memory floor)" | "wasm-arena ArenaAllocator"
  | "wasm-arena GPA safety:false" | "wasm-arena GPA safety:true" | "AssemblyScript TLSF" | "@thi.ng/malloc MemPool";

export interface Cell {
  /** Unique in the run, stable across runs: "batch/view/arena". */
  id: string;
  peer: Peer;
  /** How this peer does the workload, when the peer name alone does not say: "mallocAs + free". */
  how: string;
  /** Operations one call performs; figures are per operation. */
  opsPerCall: number;
  /**
   * One call of the workload. Returns a checksum, which keeps the work observable and, when the
   * group gives `checksum`, proves the peer did the same writes as the others.
   */
  call: () => number;
  /** Untimed work before every call (restoring state a call consumed); turns off call batching. */
  beforeEachCall?: () => void;
  /** Bytes of WebAssembly memory, or of the ArrayBuffer the peer manages, right now. */
  linearBytes: () => number;
}

/** A reference a group's ratios are computed against: a cell id in this group or an earlier one. */
export interface Reference {
  label: string;
  cellId: string;
}

/** A small table a group adds to the report (backing calls per batch, bytes held, …). */
export interface Extra {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface Group {
  /** The workload variant these cells share: "view path", "64 Ki elements", "1,000 live · free". */
  variant: string;
  /** What one operation is, for the table header: "temporary", "call", "free". */
  unit: string;
  cells: Cell[];
  /** What every call of every cell must return, when the workload makes that knowable. */
  checksum?: number;
  references: Reference[];
  /** Runs after each round of measurements (sampling memory figures, …). */
  afterRound?: () => void;
  /** Extra tables, read once after the last round. */
  extras?: () => Extra[];
  /** Releases what the group holds (heaps, buffers), once its figures are taken. */
  dispose?: () => void;
}

/** One workload: its groups are built lazily, one at a time, so that only one holds memory. */
export interface Section {
  id: string;
  title: string;
  /** What the workload does, for the report. */
  description: string;
  groups: (() => Group)[];
}
