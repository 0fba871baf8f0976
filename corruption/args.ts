// Command line: npm run fuzz:corruption -- --trials N --seed S [--build release|debug|both]
//   [--report-only] [--timeout MS] [--workers N] [--trial T (replay one trial, verbose)]
import type { Build } from "./build";

export interface Args {
  trials: number;
  seed: number;
  builds: Build[];
  reportOnly: boolean;
  timeoutMs: number;
  workers: number;
  /** Replay this one trial and print everything about it. */
  trial: number | null;
}

function value(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function integer(argv: string[], name: string, fallback: number): number {
  const raw = value(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} wants a non-negative integer, got ${raw}`);
  return n;
}

export function parseArgs(argv: string[]): Args {
  const build = value(argv, "--build") ?? "both";
  if (!["release", "debug", "both"].includes(build)) throw new RangeError(`--build is release, debug or both, got ${build}`);
  const trial = value(argv, "--trial");
  return {
    trials: integer(argv, "--trials", 4000),
    seed: integer(argv, "--seed", 1),
    builds: build === "both" ? ["release", "debug"] : [build as Build],
    reportOnly: argv.includes("--report-only"),
    timeoutMs: integer(argv, "--timeout", 5000),
    workers: Math.max(1, integer(argv, "--workers", 2)),
    trial: trial === undefined ? null : integer(argv, "--trial", 0),
  };
}
