// Ratios within the run: each cell's median time over the median time of each reference cell its
// group names (in the same group, or in one measured earlier in the same run).

import type { CellResult, SectionResult } from "./results";

/** Fills every cell's `ratios` and every reference's median; null where the reference did not run or failed. */
export function computeRatios(sections: SectionResult[]): void {
  const byId = new Map<string, CellResult>();
  for (const section of sections) for (const group of section.groups) for (const cell of group.cells) byId.set(cell.id, cell);
  for (const section of sections) {
    for (const group of section.groups) {
      for (const reference of group.references) {
        const base = byId.get(reference.cellId)?.ns?.median;
        reference.medianNs = base;
        for (const cell of group.cells) {
          cell.ratios[reference.label] = cell.ns === undefined || base === undefined ? null : cell.ns.median / base;
        }
      }
    }
  }
}
