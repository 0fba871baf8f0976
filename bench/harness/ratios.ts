// Ratios within the run. Between two cells of one group, measured round by round side by side,
// the ratio is the median of the per-round ratios: a slow moment on a noisy machine slows both
// cells of a round, and pairing cancels it. Between cells of different groups it is the ratio of
// their medians.

import { median, type CellResult, type SectionResult } from "./results";

type CellIndex = Map<string, { cell: CellResult; group: CellResult[] }>;

/** Where each cell was measured: its result and its group's cells. */
export function indexCells(sections: SectionResult[]): CellIndex {
  const index: CellIndex = new Map();
  for (const group of sections.flatMap((section) => section.groups)) {
    for (const cell of group.cells) index.set(cell.id, { cell, group: group.cells });
  }
  return index;
}

/** The time of the cell with id `cellId` over the reference's, or null if either has no figures. */
export function ratioOf(index: CellIndex, cellId: string, referenceId: string): number | null {
  const cell = index.get(cellId);
  const reference = index.get(referenceId);
  const [mine, theirs] = [cell?.cell.ns, reference?.cell.ns];
  if (mine === undefined || theirs === undefined) return null;
  if (cell?.group === reference?.group && mine.rounds.length === theirs.rounds.length) {
    return median(mine.rounds.map((ns, round) => ns / theirs.rounds[round]));
  }
  return mine.median / theirs.median;
}

/** Fills every cell's `ratios`. */
export function computeRatios(sections: SectionResult[]): void {
  const index = indexCells(sections);
  for (const group of sections.flatMap((section) => section.groups)) {
    for (const reference of group.references) {
      for (const cell of group.cells) cell.ratios[reference.label] = ratioOf(index, cell.id, reference.cellId);
    }
  }
}
