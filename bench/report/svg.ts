// One SVG chart per section: a panel per group, a horizontal bar per peer giving its median time
// per operation on a log scale, a whisker from its fastest to its slowest round, and the value.

import type { Peer } from "../harness/cell";
import type { CellResult, GroupResult, RunResult, SectionResult } from "../harness/results";
import { duration, speedup } from "./format";

/** Okabe–Ito colours, readable by colour-blind eyes; one per peer in every chart. */
const COLOURS: Record<Peer, string> = {
  "plain typed arrays": "#999999",
  "JS bump (floor)": "#555555",
  "JS reads (memory floor)": "#BBBBBB",
  "wasm-arena ArenaAllocator": "#0072B2",
  "wasm-arena GPA safety:false": "#009E73",
  "wasm-arena GPA safety:true": "#56B4E9",
  "AssemblyScript TLSF": "#E69F00",
  "@thi.ng/malloc MemPool": "#CC79A7",
};

const WIDTH = 1100;
const PLOT_LEFT = 340;
const PLOT_WIDTH = 520;
/** Where the column comparing each bar with the group's first reference starts. */
const VERSUS_LEFT = 950;
const BAR = 18;
const BAR_GAP = 6;
const PANEL_TITLE = 26;
const AXIS = 22;
const PANEL_GAP = 18;
const HEADER = 58;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function text(x: number, y: number, content: string, attributes = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escape(content)}</text>`;
}

/** The bar's label: the peer, with what it does when the panel has that peer more than once. */
function labelOf(cell: CellResult, group: GroupResult): string {
  const same = group.cells.filter((other) => other.peer === cell.peer).length;
  if (same === group.cells.length) return cell.how;
  return same > 1 ? `${cell.peer} (${cell.how})` : cell.peer;
}

/** A gridline label: "10 ns", "1 µs". */
const decadeLabel = (decade: number) => duration(10 ** decade).replace(/\.0+ /, " ");

function panel(group: GroupResult, top: number): { svg: string; height: number } {
  const measured = group.cells.filter((cell) => cell.ns !== undefined);
  const values = measured.flatMap((cell) => [cell.ns!.min, cell.ns!.max]);
  const low = Math.floor(Math.log10(Math.min(...values, Infinity)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...values, 1))));
  const x = (ns: number) => PLOT_LEFT + ((Math.log10(ns) - low) / (high - low)) * PLOT_WIDTH;
  const versus = group.references[0];
  const parts: string[] = [text(8, top + 17, `${group.variant} — time per ${group.unit}`, `class="panel"`)];
  if (versus !== undefined) parts.push(text(VERSUS_LEFT, top + 17, `vs ${versus.label}`, `class="tick"`));
  const barsTop = top + PANEL_TITLE;
  const barsHeight = group.cells.length * (BAR + BAR_GAP);
  for (let decade = low; decade <= high; decade++) {
    const at = x(10 ** decade);
    parts.push(`<line x1="${at.toFixed(1)}" y1="${barsTop - 2}" x2="${at.toFixed(1)}" y2="${barsTop + barsHeight}" class="grid"/>`);
    parts.push(text(at, barsTop + barsHeight + 14, decadeLabel(decade), `class="tick" text-anchor="middle"`));
  }
  group.cells.forEach((cell, i) => {
    const y = barsTop + i * (BAR + BAR_GAP);
    parts.push(text(PLOT_LEFT - 8, y + BAR - 5, labelOf(cell, group), `class="label" text-anchor="end"`));
    if (cell.ns === undefined) {
      parts.push(text(PLOT_LEFT + 4, y + BAR - 5, `failed: ${cell.error ?? "not measured"}`, `class="failed"`));
      return;
    }
    const { median, min, max } = cell.ns;
    const end = x(median);
    parts.push(`<rect x="${PLOT_LEFT}" y="${y}" width="${Math.max(1, end - PLOT_LEFT).toFixed(1)}" height="${BAR}" fill="${COLOURS[cell.peer]}"/>`);
    const mid = y + BAR / 2;
    parts.push(`<line x1="${x(min).toFixed(1)}" y1="${mid}" x2="${x(max).toFixed(1)}" y2="${mid}" class="whisker"/>`);
    parts.push(text(Math.max(end, x(max)) + 6, y + BAR - 5, duration(median), `class="value"`));
    const versusRatio = versus === undefined ? null : cell.ratios[versus.label];
    if (versusRatio !== null && versusRatio !== undefined && cell.id !== versus?.cellId) {
      parts.push(text(VERSUS_LEFT, y + BAR - 5, speedup(versusRatio), `class="label"`));
    }
  });
  return { svg: parts.join("\n"), height: PANEL_TITLE + barsHeight + AXIS + PANEL_GAP };
}

export function sectionChart(section: SectionResult, run: RunResult): string {
  const env = run.environment;
  const parts: string[] = [
    text(8, 24, `${section.title}: median time per operation, shorter is faster (log scale; whiskers: fastest and slowest of ${run.settings.rounds} rounds)`, `class="title"`),
    text(8, 44, `${env.cpu} × ${env.cores}, Node ${env.node}, view strategy "${env.viewStrategy}", ${run.startedAt.slice(0, 10)}`
      + (run.mode === "quick" ? " — QUICK RUN, NOT FOR QUOTING" : ""), `class="subtitle"`),
  ];
  let top = HEADER;
  for (const group of section.groups) {
    const drawn = panel(group, top);
    parts.push(drawn.svg);
    top += drawn.height;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">`,
    "<style>",
    ".title { font-size: 16px; font-weight: 600; fill: #111; } .subtitle { font-size: 12px; fill: #555; }",
    ".panel { font-size: 13px; font-weight: 600; fill: #222; } .label { font-size: 12px; fill: #222; }",
    ".value { font-size: 12px; fill: #111; } .tick { font-size: 10px; fill: #777; } .failed { font-size: 12px; fill: #b00; }",
    ".grid { stroke: #ddd; stroke-width: 1; } .whisker { stroke: #111; stroke-width: 1.5; }",
    "</style>",
    `<rect width="${WIDTH}" height="${top}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

