// The soak's interval line: one line of figures, fixed fields so that logs diff and grep well.

export interface LineFigures {
  elapsedS: number;
  batches: number;
  heapBytes: number;
  gpaLiveBytes: number;
  gpaLiveAllocations: number;
  arenaCapacity: number;
  opsPerSecond: number;
  gc: { count: number; ms: number };
  jsHeapUsed: number;
  drift: number;
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function formatLine(f: LineFigures): string {
  return [
    `${f.elapsedS.toFixed(0).padStart(4)} s`,
    `batches ${f.batches}`,
    `heap memory ${mib(f.heapBytes)}`,
    `gpa live ${mib(f.gpaLiveBytes)} in ${f.gpaLiveAllocations}`,
    `arena capacity ${mib(f.arenaCapacity)}`,
    `${(f.opsPerSecond / 1e6).toFixed(2)} M ops/s`,
    `gc ${f.gc.count} (${f.gc.ms.toFixed(1)} ms)`,
    `js heapUsed ${mib(f.jsHeapUsed)}`,
    `drift ${f.drift}`,
  ].join("  |  ");
}
