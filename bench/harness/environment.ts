// The machine and software the figures were taken on.

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { benchHeap } from "./strategy";

const require = createRequire(import.meta.url);

export function describeEnvironment() {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  let commit = "unknown";
  try {
    // "+dirty" when the code measured differs from the commit.
    const dirty = git("status", "--porcelain", "--", "src", "assembly", "bindings", "bench") !== "";
    commit = git("rev-parse", "--short", "HEAD") + (dirty ? "+dirty" : "");
  } catch {
    // Not a git checkout: the figures still stand, without a commit.
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    v8: process.versions.v8,
    mitata: require("mitata/package.json").version as string,
    assemblyscript: require("assemblyscript/package.json").version as string,
    /** The view strategy of the run's heaps: the platform's default, or the one `--strategy` forced. */
    viewStrategy: benchHeap().viewStrategy as string,
    commit,
  };
}

export type Environment = ReturnType<typeof describeEnvironment>;
