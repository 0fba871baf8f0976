// The processBatch section: the view path and the raw path, each against its peers.

import type { Section } from "../../harness/cell";
import { ITEMS, batchChecksum } from "./shape";
import { plainViews, floorViews, arenaViews, tlsfViews, thingViews } from "./view-peers";
import { floorRaw, arenaRaw, tlsfRaw, thingRaw } from "./raw-peers";

/** Reference cells the reset loop compares against too. */
export const PLAIN_CELL = "batch/view/plain";
export const FLOOR_VIEWS_CELL = "batch/view/floor";

export function batchSection(): Section {
  const checksum = batchChecksum();
  const plain = { label: "plain typed arrays", cellId: PLAIN_CELL };
  return {
    id: "batch",
    title: "processBatch",
    description: `processBatch: ${ITEMS.toLocaleString("en")} items, three temporaries each `
      + "(u8[57–72], f64[100], i32[50]) live until the end of the batch, then all released. Each "
      + "temporary's first and last elements are written and one is read back. Per-item frees go "
      + "newest first. One operation is one temporary: its allocation, its writes and its share of "
      + "the release.",
    groups: [
      () => ({
        variant: "view path", unit: "temporary", checksum,
        cells: [plainViews(), floorViews(), arenaViews(), tlsfViews(), thingViews()],
        references: [plain, { label: "floor", cellId: FLOOR_VIEWS_CELL }],
      }),
      () => ({
        variant: "raw path", unit: "temporary", checksum,
        cells: [floorRaw(), arenaRaw(), tlsfRaw(), thingRaw()],
        references: [plain, { label: "floor", cellId: "batch/raw/floor" }],
      }),
    ],
  };
}
