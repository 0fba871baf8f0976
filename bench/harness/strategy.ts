// The view strategy of every wasm-arena heap a run makes: the platform's default, unless the run
// was started with `--strategy` (bench/settings.ts), as `npm run bench:strategies` does for each
// strategy and Node it measures.

import { Heap, type HeapOptions, type ViewStrategy } from "wasm-arena";

let forced: ViewStrategy | undefined;

/** Every heap made by benchHeap() from now on uses `strategy` (undefined: the platform's default). */
export function useStrategy(strategy: ViewStrategy | undefined): void {
  forced = strategy;
}

/** Heap.create(options) under the run's strategy. */
export function benchHeap(options: HeapOptions = {}): Heap {
  return Heap.create({ ...options, viewStrategy: forced });
}
