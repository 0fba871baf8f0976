// The computeResult section: the two-allocator pattern on inputs of 1 Ki to 1 Mi elements.

import type { Cell, Section } from "../../harness/cell";
import { inputOf, expectedChecksum, plainCompute, floorCompute, arenaOnPagesCompute, arenaOnGpaCompute,
  tlsfCompute, thingCompute } from "./peers";

/** "1 Ki", "64 Ki", "1 Mi". */
const countLabel = (n: number): string => (n >= 1 << 20 ? `${n / (1 << 20)} Mi` : `${n / 1024} Ki`);

export function computeResultSection(sizes: number[]): Section {
  return {
    id: "compute",
    title: "computeResult",
    description: "The two-allocator computeResult: doubles an Int32Array input into scratch memory "
      + "from an arena that dies with the call, copies it into a result from the backing allocator, and "
      + "returns the result; the caller reads its two ends and frees it. One operation is one call.",
    groups: sizes.map((n) => () => {
      const input = inputOf(n);
      const cells: Cell[] = [plainCompute(input), floorCompute(input), arenaOnPagesCompute(input),
        arenaOnGpaCompute(input), tlsfCompute(input), thingCompute(input)];
      return {
        variant: `${countLabel(n)} elements`, unit: "call", checksum: expectedChecksum(input), cells,
        references: [
          { label: "plain typed arrays", cellId: `compute/${n}/plain` },
          { label: "floor", cellId: `compute/${n}/floor` },
        ],
      };
    }),
  };
}
