// The line profile of processBatch that RESULTS.md shows: what the arena's time goes to, line by
// line, against the floor's. batch-child.ts is bundled with esbuild, lines kept (the library from
// dist/, as the benchmarks import it), and run in a fresh Node process, so that the profiler's
// line numbers are the sources' and nothing this run measured before shapes its code.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import type { ViewStrategy } from "wasm-arena";
import type { CellProfile } from "./line-profile";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The profiles of processBatch's floor and arena cells, `ms` milliseconds each, with the arena's
 * heap under `strategy` (the platform's default if undefined); throws if the child fails.
 */
export function profileBatch(ms: number, strategy: ViewStrategy | undefined): CellProfile[] {
  const dir = mkdtempSync(join(tmpdir(), "wasm-arena-profile-"));
  try {
    const bundle = join(dir, "batch-child.mjs");
    buildSync({
      entryPoints: [join(root, "bench/profile/batch-child.ts")], bundle: true, platform: "node", format: "esm",
      target: "es2022", outfile: bundle, alias: { "wasm-arena": join(root, "dist/index.js") }, logLevel: "warning",
      packages: "bundle", sourcemap: true,
    });
    const child = spawnSync(process.execPath, [bundle, String(ms), root, strategy ?? ""], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (child.status !== 0) throw new Error(`the line profile failed: ${child.stderr || child.error?.message}`);
    return JSON.parse(child.stdout) as CellProfile[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
