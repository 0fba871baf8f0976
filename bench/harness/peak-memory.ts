// Peak JavaScript memory while a cell runs: the V8 heap plus ArrayBuffer backing stores (where
// typed arrays outside WebAssembly keep their elements). WebAssembly memories are not counted
// here; cells report them as linear memory.

import { gc } from "./gc";

const jsBytes = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

export class PeakMemory {
  private baseline = 0;
  private peak = 0;

  /** Collects garbage and starts a new window from what is live now. */
  begin(): void {
    gc();
    this.baseline = jsBytes();
    this.peak = this.baseline;
  }

  /** Records the figure now if it is the highest yet. */
  sample(): void {
    this.peak = Math.max(this.peak, jsBytes());
  }

  /** The highest figure since begin(), above what was live at begin(). */
  growth(): number {
    return Math.max(0, this.peak - this.baseline);
  }
}
