// The process batch-profile.ts runs, from a bundle: profiles processBatch's floor and arena cells
// on both paths and prints their CellProfiles as JSON. Arguments: milliseconds per cell, the
// project's root, which the sources' paths are given from, and the view strategy ("" for the
// platform's default).

import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ViewStrategy } from "wasm-arena";
import { profileCell, type CellProfile } from "./line-profile";
import { useStrategy } from "../harness/strategy";
import { batchChecksum } from "../workloads/batch/shape";
import { arenaRaw, floorRaw } from "../workloads/batch/raw-peers";
import { arenaViews, floorViews } from "../workloads/batch/view-peers";

const ms = Number(process.argv[2]);
const root = process.argv[3];
useStrategy((process.argv[4] || undefined) as ViewStrategy | undefined);
const bundle = fileURLToPath(import.meta.url);
const lines = readFileSync(bundle, "utf8").split("\n");
const sourceMap = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
/** Line n of the bundle: its text, and the source file and line it was built from. */
const lineOf = (n: number) => {
  const text = lines[n - 1] ?? "";
  const entry = sourceMap.findEntry(n - 1, text.length - text.trimStart().length) as { originalSource?: string; originalLine?: number };
  const source = entry.originalSource === undefined ? "" : relative(root, fileURLToPath(new URL(entry.originalSource, `file://${bundle}`)));
  return { module: source === "" ? "" : `${source}:${(entry.originalLine ?? 0) + 1}`, text: text.trim() };
};

const profiles: CellProfile[] = [];
for (const make of [floorRaw, arenaRaw, floorViews, arenaViews]) {
  profiles.push(await profileCell(make(), ms, 100, batchChecksum(), import.meta.url, lineOf));
}
process.stdout.write(JSON.stringify(profiles));
