// The machine and software the figures were taken on.

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { Heap } from "wasm-arena";

export interface Environment {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  mitata: string;
  assemblyscript: string;
  /** The view strategy a default wasm-arena heap chooses on this platform. */
  viewStrategy: string;
  /** The commit the run measured, with "+dirty" if the working tree differed from it. */
  commit: string;
}

const require = createRequire(import.meta.url);

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    v8: process.versions.v8,
    mitata: require("mitata/package.json").version,
    assemblyscript: require("assemblyscript/package.json").version,
    viewStrategy: Heap.create().viewStrategy,
    commit: gitCommit(),
  };
}

function gitCommit(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git("status", "--porcelain", "--", "src", "assembly", "bindings", "bench") !== "";
    return git("rev-parse", "--short", "HEAD") + (dirty ? "+dirty" : "");
  } catch {
    return "unknown";
  }
}
