// Number formatting shared by the table, the chart and the terminal.

/** A duration given in nanoseconds, in the unit that keeps it readable: "3.02 ns", "1.25 ms". */
export function duration(ns: number): string {
  // Thresholds just below each unit, so that 999.7 ns reads "1.00 µs", not "1000 ns".
  if (ns < 999.5) return `${significant(ns)} ns`;
  if (ns < 999.5e3) return `${significant(ns / 1e3)} µs`;
  if (ns < 999.5e6) return `${significant(ns / 1e6)} ms`;
  return `${significant(ns / 1e9)} s`;
}

/** A time ratio: "0.041×", "1.27×". */
export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${significant(value)}×`;
}

/** A time ratio as a speed-up: 0.04 is "25.0× faster", 1.5 is "1.50× slower". */
export function speedup(timeRatio: number): string {
  return timeRatio <= 1 ? `${significant(1 / timeRatio)}× faster` : `${significant(timeRatio)}× slower`;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
}

/** Three significant digits, no exponent: 0.0412, 3.02, 30.2, 302, 3020. */
export function significant(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 4));
}
