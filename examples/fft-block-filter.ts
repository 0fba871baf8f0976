// A block filter with fft.js: each block of the signal is windowed (Hann), transformed, multiplied
// by the filter's frequency response, transformed back and overlap-added into the output (hop N/2).
// Four temporaries per block: N doubles and three of 2N (at N=64, 0.5 and 1 KiB; at N=1024, 8 and
// 16 KiB).
//
// filterIdiomatic allocates them with `new Float64Array`, as fft.js users do (its own
// createComplexArray() gives plain arrays, slower still); filterArena takes them from an arena the
// caller resets after each pass; filterScratch from a FixedBufferAllocator reset before every
// block (Zig's scratch buffer per loop iteration), so that all blocks use the same bytes and the
// same four recycled views.
//
// Lines changed between filterIdiomatic and filterArena: 6 of 21 (`diff` of their bodies: the
// signature, the per-block hook filterScratch uses and the four allocations; every other line is
// identical).
//
//   npx tsx examples/fft-block-filter.ts

import FFT from "fft.js";
import { ArenaAllocator, FixedBufferAllocator, Heap, type Allocator } from "wasm-arena";

export const SIGNAL_LENGTH = 16_384;

export interface BlockFilter {
  fft: FFT;
  /** Block length, a power of two. */
  n: number;
  /** Hann window of n samples (periodic, so that blocks a hop of n/2 apart sum to one). */
  window: Float64Array;
  /** The filter's frequency response, 2n doubles (re, im): a smooth low-pass with a linear phase. */
  response: Float64Array;
}

export function createFilter(n: number): BlockFilter {
  const window = new Float64Array(n);
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  const response = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const f = Math.min(k, n - k) / n; // 0 … 0.5 of the sample rate
    const gain = 1 / (1 + (f / 0.1) ** 4);
    const phase = (-Math.PI * k) / n * (k <= n / 2 ? 1 : -1) * 0.25;
    response[2 * k] = gain * Math.cos(phase);
    response[2 * k + 1] = gain * Math.sin(phase);
  }
  return { fft: new FFT(n), n, window, response };
}

/** A test signal: three tones and some deterministic noise. */
export function createSignal(length = SIGNAL_LENGTH): Float64Array {
  const signal = new Float64Array(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    signal[i] = Math.sin(i * 0.01) + 0.5 * Math.sin(i * 0.3) + 0.25 * Math.sin(i * 1.9) + (state / 2 ** 32 - 0.5) * 0.1;
  }
  return signal;
}

/** Filters `input` into `output` (same length) with `new Float64Array` temporaries. */
export function filterIdiomatic(filter: BlockFilter, input: Float64Array, output: Float64Array): void {
  const { fft, n, window, response } = filter;
  output.fill(0);
  for (let start = 0; start + n <= input.length; start += n >> 1) {
    const windowed = new Float64Array(n);
    for (let i = 0; i < n; i++) windowed[i] = input[start + i] * window[i];
    const spectrum = new Float64Array(2 * n);
    fft.realTransform(spectrum, windowed);
    fft.completeSpectrum(spectrum);
    const filtered = new Float64Array(2 * n);
    for (let k = 0; k < 2 * n; k += 2) {
      const re = spectrum[k], im = spectrum[k + 1], hr = response[k], hi = response[k + 1];
      filtered[k] = re * hr - im * hi;
      filtered[k + 1] = re * hi + im * hr;
    }
    const block = new Float64Array(2 * n);
    fft.inverseTransform(block, filtered);
    for (let i = 0; i < n; i++) output[start + i] += block[2 * i];
  }
}

/**
 * The same filter with its temporaries from `scratch`, an arena the caller resets after the pass;
 * `blockScope`, if given, is reset before each block's first allocation (filterScratch passes the
 * fixed buffer `scratch` comes from).
 */
export function filterArena(filter: BlockFilter, input: Float64Array, output: Float64Array, scratch: Allocator,
  blockScope?: { reset(): void }): void {
  const { fft, n, window, response } = filter;
  output.fill(0);
  for (let start = 0; start + n <= input.length; start += n >> 1) {
    blockScope?.reset();
    const windowed = scratch.alloc("f64", n);
    for (let i = 0; i < n; i++) windowed[i] = input[start + i] * window[i];
    const spectrum = scratch.alloc("f64", 2 * n);
    fft.realTransform(spectrum, windowed);
    fft.completeSpectrum(spectrum);
    const filtered = scratch.alloc("f64", 2 * n);
    for (let k = 0; k < 2 * n; k += 2) {
      const re = spectrum[k], im = spectrum[k + 1], hr = response[k], hi = response[k + 1];
      filtered[k] = re * hr - im * hi;
      filtered[k + 1] = re * hi + im * hr;
    }
    const block = scratch.alloc("f64", 2 * n);
    fft.inverseTransform(block, filtered);
    for (let i = 0; i < n; i++) output[start + i] += block[2 * i];
  }
}

/** Bytes one block's temporaries take at block length `n`: n doubles and three times 2n. */
export const blockScratchBytes = (n: number): number => 56 * n;

/**
 * The same filter with each block's temporaries from `scratch` (blockScratchBytes(n) or more),
 * reset before every block: nothing a block allocates outlives it (it is overlap-added into
 * `output` before the next).
 */
export function filterScratch(filter: BlockFilter, input: Float64Array, output: Float64Array, scratch: FixedBufferAllocator): void {
  filterArena(filter, input, output, scratch.allocator(), scratch);
}

/** A weighted sum of the output. */
export function outputChecksum(output: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < output.length; i++) sum += output[i] * ((i % 7) + 1);
  return sum;
}

// Run as a program (not when imported by the benchmark or the tests).
if (typeof process !== "undefined" && import.meta.url === `file://${process.argv[1]}`) {
  const input = createSignal();
  const heap = Heap.create({ initialBytes: 4 << 20 });
  using arena = new ArenaAllocator(heap.pageAllocator);
  for (const n of [64, 1024]) {
    const filter = createFilter(n);
    const idiomatic = new Float64Array(input.length);
    filterIdiomatic(filter, input, idiomatic);
    const viaArena = new Float64Array(input.length);
    filterArena(filter, input, viaArena, arena.allocator());
    arena.reset("retain_capacity");
    const viaScratch = new Float64Array(input.length);
    filterScratch(filter, input, viaScratch, new FixedBufferAllocator(heap.pageAllocator.alloc("u8", blockScratchBytes(n))));
    console.log(`N=${n}: idiomatic checksum ${outputChecksum(idiomatic)}, arena checksum ${outputChecksum(viaArena)}, `
      + `scratch checksum ${outputChecksum(viaScratch)}`);
  }
}
