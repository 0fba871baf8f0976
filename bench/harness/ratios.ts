// Ratios within the run. Between two cells of one group, measured round by round side by side,
// the ratio is the median of the per-round ratios: a slow moment on a noisy machine slows both
// cells of a round, and pairing cancels it. Between cells of different groups it is the ratio of
// their medians.

import { median, type CellResult, type SectionResult } from "./results";

/** `cell`'s time over `reference`'s, or null if either has no figures. */
export function timeRatio(cell: CellResult | undefined, reference: CellResult | undefined, sameGroup: boolean): number | null {
  if (cell?.ns === undefined || reference?.ns === undefined) return null;
  const [mine, theirs] = [cell.ns.rounds, reference.ns.rounds];
  if (sameGroup && mine.length === theirs.length) return median(mine.map((ns, round) => ns / theirs[round]));
  return cell.ns.median / reference.ns.median;
}

/** Where each cell was measured: its result and its group's cells. */
export function indexCells(sections: SectionResult[]): Map<string, { cell: CellResult; group: CellResult[] }> {
  const index = new Map<string, { cell: CellResult; group: CellResult[] }>();
  for (const section of sections) {
    for (const group of section.groups) for (const cell of group.cells) index.set(cell.id, { cell, group: group.cells });
  }
  return index;
}

/** The ratio of the cells with these ids, paired by round when they share a group. */
export function ratioOf(index: ReturnType<typeof indexCells>, cellId: string, referenceId: string): number | null {
  const cell = index.get(cellId);
  const reference = index.get(referenceId);
  return timeRatio(cell?.cell, reference?.cell, cell !== undefined && cell.group === reference?.group);
}

/** Fills every cell's `ratios`. */
export function computeRatios(sections: SectionResult[]): void {
  const index = indexCells(sections);
  for (const section of sections) {
    for (const group of section.groups) {
      for (const reference of group.references) {
        for (const cell of group.cells) cell.ratios[reference.label] = ratioOf(index, cell.id, reference.cellId);
      }
    }
  }
}
