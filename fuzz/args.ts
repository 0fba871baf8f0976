// The command line: npm run fuzz -- --ops N --seed S [--seeds K] [--strategy plain|shared|resizable]
//   [--every K] [--known-defects on|off] [--all-bad-calls] [--bad-calls a,b] [--bad-rate F]
//   [--shrink-seconds T] [--replay file.json]

import type { ViewStrategy } from "../src/index";

export interface Args {
  ops: number;
  seed: number;
  seeds: number;
  strategies: ViewStrategy[] | null;
  every: number;
  knownDefects: boolean;
  badCalls: string[] | null;
  badRate: number;
  shrinkSeconds: number;
  replay: string | null;
}

const STRATEGIES = ["plain", "shared", "resizable"];

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { ops: 100_000, seed: 1, seeds: 1, strategies: null, every: 64, knownDefects: false,
    badCalls: null, badRate: 0.04, shrinkSeconds: 60, replay: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} takes a whole number`);
      return v;
    };
    switch (flag) {
      case "--ops": args.ops = count(); break;
      case "--seed": args.seed = count(); break;
      case "--seeds": args.seeds = Math.max(1, count()); break;
      case "--every": args.every = Math.max(1, count()); break;
      case "--strategy": {
        const s = value().split(",");
        if (s.some((x) => !STRATEGIES.includes(x))) throw new Error(`--strategy takes ${STRATEGIES.join("|")}`);
        args.strategies = s as ViewStrategy[];
        break;
      }
      case "--known-defects": args.knownDefects = value() === "on"; break;
      case "--all-bad-calls": args.knownDefects = true; break;
      case "--bad-calls": args.badCalls = value().split(",").filter(Boolean); break;
      case "--bad-rate": args.badRate = Number(value()); break;
      case "--shrink-seconds": args.shrinkSeconds = count(); break;
      case "--replay": args.replay = value(); break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}
