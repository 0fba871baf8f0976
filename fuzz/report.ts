// What a failure leaves behind: the shrunk sequence printed as pseudo-code, and a JSON file that
// --replay (and test/fuzz-regressions.test.ts) can run again. It goes under node_modules/.cache,
// which git ignores.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Op } from "./ops";
import type { RunConfig } from "./world";
import type { RunFailure } from "./run";

export const FAILURE_DIR = join("node_modules", ".cache", "wasm-arena-fuzz");

export interface FailureFile {
  readonly config: RunConfig;
  readonly failure: RunFailure;
  readonly originalStep: number;
  readonly ops: readonly Op[];
}

export function saveFailure(file: FailureFile): string {
  mkdirSync(FAILURE_DIR, { recursive: true });
  const path = join(FAILURE_DIR, `${file.config.seed}.json`);
  writeFileSync(path, JSON.stringify(file, null, 1));
  return path;
}
