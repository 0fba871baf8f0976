// Compiles the core into a private temporary folder, once per run, so that trials run exactly
// the assembly/ sources of this moment in the build asked for, whatever others embed meanwhile.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

export type Build = "release" | "debug";

/** Compiles the plain (unshared) core of `build`; returns the .wasm file's path. */
export function compileCore(build: Build): string {
  const asc = createRequire(import.meta.url).resolve("assemblyscript/bin/asc.js");
  const out = join(mkdtempSync(join(tmpdir(), "corruption-")), `core.${build}.wasm`);
  // asconfig.json's targets hold the flags (noAssert in release, debug assertions in debug);
  // only the output file is ours.
  const extra = build === "debug" ? ["--textFile", out.replace(/\.wasm$/, ".wat")] : [];
  execFileSync(process.execPath, [asc, "assembly/index.ts", "--config", "asconfig.json", "--target", build,
    "--outFile", out, ...extra], { stdio: "inherit" });
  return out;
}
