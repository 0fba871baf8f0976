// Writes a run's results: latest.json, one SVG chart per section, and RESULTS.md.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunResult } from "../harness/results";
import { checkTargets, type TargetResult } from "./targets";
import { resultsMarkdown } from "./markdown";
import { sectionChart } from "./svg";

/** Writes every file into `dir`; returns the paths written and the targets checked. */
export function writeResults(run: RunResult, dir: string): { files: string[]; targets: TargetResult[] } {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    files.push(path);
  };
  write("latest.json", JSON.stringify(run, null, 2) + "\n");
  const charts = new Map<string, string>();
  for (const section of run.sections) {
    if (section.groups.length === 0) continue;
    const name = `${section.id}.svg`;
    write(name, sectionChart(section, run));
    charts.set(section.id, name);
  }
  const targets = checkTargets(run);
  write("RESULTS.md", resultsMarkdown(run, targets, charts));
  return { files, targets };
}
