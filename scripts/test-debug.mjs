#!/usr/bin/env node
// Runs the test suite against the debug build of the core, where every `assert` in assembly/ is
// compiled in, so a broken invariant fails at the line that broke it; then embeds the release
// build again whatever the outcome. The exit code is the suite's.
import { spawnSync } from "node:child_process";

const run = (command, args) => spawnSync(command, args, { stdio: "inherit" }).status ?? 1;

let status = run(process.execPath, ["scripts/build-wasm.mjs", "--debug"]);
if (status === 0) status = run("npx", ["vitest", "run", ...process.argv.slice(2)]);
const restored = run(process.execPath, ["scripts/build-wasm.mjs"]);
process.exit(status || restored);
