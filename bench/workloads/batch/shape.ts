// processBatch, the canonical arena workload: 10,000 items, each with three temporaries that live until the end of
// the batch: a key of about 64 bytes, 100 float64 samples and 50 int32 bins. Every peer writes the
// first and last element of each temporary and reads one back, so all do the same memory work and
// none can be optimised away; the per-item work is kept that small so that what is measured is the
// cost of getting and releasing the memory.

export const ITEMS = 10_000;
export const TEMPORARIES = 3 * ITEMS;
export const SAMPLES = 100;
export const BINS = 50;
export const SAMPLE_BYTES = SAMPLES * 8;
export const BIN_BYTES = BINS * 4;
/** The longest key; keys run 57 to 72 bytes so that the samples after a key need aligning. */
const MAX_KEY_BYTES = 72;
/** An upper bound on one batch's bytes, alignment padding and allocator headers included. */
export const BATCH_BYTES = ITEMS * (MAX_KEY_BYTES + SAMPLE_BYTES + BIN_BYTES + 3 * 32);
/** A wasm-arena heap with room for a batch and the arena's geometric chunk growth: it never grows mid-batch. */
export const BATCH_HEAP_BYTES = 4 * BATCH_BYTES;

/** The key length of item `item`: about 64 bytes. */
export const keyBytes = (item: number): number => 57 + (item & 15);

/** The per-item work on views. */
export function touchViews(item: number, key: Uint8Array, samples: Float64Array, bins: Int32Array): number {
  key[0] = item;
  key[key.length - 1] = item >>> 8;
  samples[0] = item;
  samples[SAMPLES - 1] = item * 0.5;
  bins[0] = item;
  bins[BINS - 1] = ~item;
  return key[key.length - 1] + samples[SAMPLES - 1] + bins[0];
}

/** The per-item work on byte offsets into whole-memory views. */
export function touchRaw(item: number, u8: Uint8Array, f64: Float64Array, i32: Int32Array,
  key: number, keyLength: number, samples: number, bins: number): number {
  const sample = samples >>> 3;
  const bin = bins >>> 2;
  u8[key] = item;
  u8[key + keyLength - 1] = item >>> 8;
  f64[sample] = item;
  f64[sample + SAMPLES - 1] = item * 0.5;
  i32[bin] = item;
  i32[bin + BINS - 1] = ~item;
  return u8[key + keyLength - 1] + f64[sample + SAMPLES - 1] + i32[bin];
}

/**
 * Whether `u8` spans an item's three temporaries. TLSF's raw path, whose memory grows with no
 * notice, checks this after allocating and takes fresh whole-memory views when it fails: after
 * growth, old views are detached or too short, and writes through them would be lost.
 */
export function spans(u8: Uint8Array, key: number, keyLength: number, samples: number, bins: number): boolean {
  const end = u8.length;
  return key + keyLength <= end && samples + SAMPLE_BYTES <= end && bins + BIN_BYTES <= end;
}

/** What every peer's batch must return. */
export function batchChecksum(): number {
  let checksum = 0;
  for (let item = 0; item < ITEMS; item++) checksum += ((item >>> 8) & 0xff) + item * 0.5 + item;
  return checksum;
}
