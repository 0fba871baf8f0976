// The two floors of the fft.js block filter (examples/fft-block-filter.ts), line for line the same
// math as filterIdiomatic and filterArena: the ten-line JavaScript bump, and temporaries made once
// per block length and reused by every block (what an expert writes, and the floor).

import type { BlockFilter } from "../../examples/fft-block-filter";
import type { JsBump } from "./js-bump";

/** The filter with temporaries from a JavaScript bump over one ArrayBuffer; the caller resets it. */
export function filterJsBump(filter: BlockFilter, input: Float64Array, output: Float64Array, scratch: JsBump): void {
  const { fft, n, window, response } = filter;
  output.fill(0);
  for (let start = 0; start + n <= input.length; start += n >> 1) {
    const windowed = scratch.f64(n);
    for (let i = 0; i < n; i++) windowed[i] = input[start + i] * window[i];
    const spectrum = scratch.f64(2 * n);
    fft.realTransform(spectrum, windowed);
    fft.completeSpectrum(spectrum);
    const filtered = scratch.f64(2 * n);
    for (let k = 0; k < 2 * n; k += 2) {
      const re = spectrum[k], im = spectrum[k + 1], hr = response[k], hi = response[k + 1];
      filtered[k] = re * hr - im * hi;
      filtered[k + 1] = re * hi + im * hr;
    }
    const block = scratch.f64(2 * n);
    fft.inverseTransform(block, filtered);
    for (let i = 0; i < n; i++) output[start + i] += block[2 * i];
  }
}

export interface FilterTemporaries {
  windowed: Float64Array;
  spectrum: Float64Array;
  filtered: Float64Array;
  block: Float64Array;
}

/** The filter's temporaries, made once for block length `n`. */
export function preallocate(n: number): FilterTemporaries {
  return { windowed: new Float64Array(n), spectrum: new Float64Array(2 * n), filtered: new Float64Array(2 * n), block: new Float64Array(2 * n) };
}

/** The filter with temporaries made once by preallocate(filter.n). */
export function filterPreallocated(filter: BlockFilter, input: Float64Array, output: Float64Array, temporaries: FilterTemporaries): void {
  const { windowed, spectrum, filtered, block } = temporaries;
  const { fft, n, window, response } = filter;
  output.fill(0);
  for (let start = 0; start + n <= input.length; start += n >> 1) {
    for (let i = 0; i < n; i++) windowed[i] = input[start + i] * window[i];
    fft.realTransform(spectrum, windowed);
    fft.completeSpectrum(spectrum);
    for (let k = 0; k < 2 * n; k += 2) {
      const re = spectrum[k], im = spectrum[k + 1], hr = response[k], hi = response[k + 1];
      filtered[k] = re * hr - im * hi;
      filtered[k + 1] = re * hi + im * hr;
    }
    fft.inverseTransform(block, filtered);
    for (let i = 0; i < n; i++) output[start + i] += block[2 * i];
  }
}
