// Command line: npm run soak -- --minutes M [--seed S] [--interval SECONDS] [--inject-drift]

export interface SoakArgs {
  minutes: number;
  seed: number;
  intervalSeconds: number;
  /** Leak one page per batch after the warm-up: proves the drift checks fire. */
  injectDrift: boolean;
}

function numberArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} wants a positive number, got ${argv[i + 1]}`);
  return n;
}

export function parseSoakArgs(argv: string[]): SoakArgs {
  return {
    minutes: numberArg(argv, "--minutes", 2),
    seed: numberArg(argv, "--seed", 1),
    intervalSeconds: numberArg(argv, "--interval", 10),
    injectDrift: argv.includes("--inject-drift"),
  };
}
