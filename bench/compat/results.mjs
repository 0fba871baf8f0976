// The compatibility matrix's file: bench/results/compat.json, one entry per platform, and its
// table as markdown. Each runner merges its own platform's entry.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const FILE = resolve(dirname(fileURLToPath(import.meta.url)), "../results/compat.json");

/** Merges `results` ({ strategy: { api: outcome } }) as `platform`'s entry and prints its table. */
export function record(platform, command, results) {
  const all = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  all[platform] = { command, measured: new Date().toISOString().slice(0, 10), results };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
  console.log(table(platform, results));
  console.log(`\nwrote ${FILE}`);
}

/** One row per API, one column per strategy: ✓ worked, ✗ refused (the error), – not on this platform. */
export function table(platform, results) {
  const strategies = Object.keys(results);
  const apis = Object.keys(results[strategies[0]] ?? {});
  const cell = (outcome) => (outcome === true ? "✓" : outcome === "missing" ? "–" : outcome === false ? "✗ wrong result" : `✗ ${outcome}`);
  const rows = apis
    .filter((api) => strategies.some((s) => results[s][api] !== "missing"))
    .map((api) => `| ${api} | ${strategies.map((s) => cell(results[s][api])).join(" | ")} |`);
  return [`${platform}`, "", `| API | ${strategies.join(" | ")} |`, `|---|${strategies.map(() => "---").join("|")}|`, ...rows].join("\n");
}
