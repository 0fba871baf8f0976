// A full collection on demand; the benchmark runs with --expose-gc (npm run bench passes it).

const exposed = (globalThis as { gc?: () => void }).gc;

export function gc(): void {
  if (exposed === undefined) throw new Error("run the benchmarks with node --expose-gc (npm run bench does)");
  exposed();
}
