// Which Node APIs accept each view strategy's views (npm run bench:compat; under another Node:
// node scripts/with-node.mjs 26 -- npx tsx bench/compat/node.mjs).
import { closeSync, openSync, readFileSync, writeSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as lib from "../../src/index.ts";
import { supportedViewStrategies } from "../../bindings/linear-memory.ts";
import { probeStrategies } from "./probes.js";
import { record } from "./results.mjs";

const file = join(mkdtempSync(join(tmpdir(), "wasm-arena-compat-")), "probe");

const NODE = {
  "fs.writeSync": (view) => {
    view.set([9, 8, 7]);
    const fd = openSync(file, "w");
    writeSync(fd, view.subarray(0, 3));
    closeSync(fd);
    return readFileSync(file).join() === "9,8,7";
  },
  "Buffer.from(view.buffer, …)": (view) => {
    const shared = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    shared[0] = 42;
    return view[0] === 42;
  },
  "Buffer.from(view)": (view) => {
    view[0] = 43;
    return Buffer.from(view)[0] === 43;
  },
};

const flags = process.execArgv.filter((flag) => flag.startsWith("--experimental")).join(" ");
const results = await probeStrategies(lib, supportedViewStrategies(), NODE);
record(`Node ${process.version}${flags ? ` (${flags})` : ""}`, "npm run bench:compat", results);
