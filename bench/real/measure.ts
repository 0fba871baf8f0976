// Frames, timed one by one, in rounds: each round runs every variant of a workload for the same
// number of frames, in alternating order (forwards, then backwards), after a full collection, so
// that a noisy moment of the machine hits neighbours alike and each round yields paired ratios.
// Collections are counted apart from the timing, in a window where each variant runs alone.
// Platform-neutral: Node and the browser page give the clock, the collector and the marks.

export interface Variant {
  id: string;
  label: string;
  /** Why the variant cannot run on this platform or build ("not available: …"); it is then reported, not run. */
  unavailable?: string;
  /** One frame; returns a figure that keeps the work observable. */
  frame?: () => number;
  /** A checksum of everything the frames produced so far; equal across variants after equal frame counts. */
  checksum?: () => number;
  /** Facts the variant learnt while it ran (WebGL accepted its views, …). */
  notes?: () => Record<string, string | number | boolean>;
}

export interface Workload {
  id: string;
  title: string;
  variants: Variant[];
  /** Frames per variant per round, and in the collection window. */
  frames: number;
  gcFrames: number;
}

export interface Settings {
  rounds: number;
  /**
   * Warm-up before the rounds: every variant runs the same number of frames, at least
   * `warmupFrames` and enough for the fastest variant to run `warmupMs`, so that no timed frame is
   * one the engine is still compiling (or recompiling, for library code another workload trained).
   */
  warmupFrames: number;
  warmupMs: number;
  /** Multiplies every workload's frame counts (a quick run uses fewer). */
  frameScale: number;
}

export interface Platform {
  now(): number;
  gc(): void;
  /** Marks a collection window's start and end, for platforms that count collections from a trace. */
  mark?(name: string): void;
}

export interface VariantResult {
  id: string;
  label: string;
  unavailable?: string;
  error?: string;
  /** Mean ms per frame in each round, in round order. */
  roundMs: number[];
  /** Every timed frame, ms. */
  frameMs: number[];
  checksum?: number;
  /** The collection window: platform clock times, and frames run in it. */
  gcWindow?: { from: number; to: number; frames: number; markStart: string; markEnd: string };
  notes?: Record<string, string | number | boolean>;
}

export interface WorkloadResult {
  id: string;
  title: string;
  frames: number;
  rounds: number;
  variants: VariantResult[];
}

const errorText = (error: unknown) => String((error as Error)?.stack ?? error).split("\n").slice(0, 3).join(" ");

/** The most frames a warm-up runs per variant, however fast its frames. */
const MAX_WARMUP_FRAMES = 2000;

/** Runs one workload: set-up frames and checksums, the timed rounds, the collection windows. */
export function runWorkload(workload: Workload, settings: Settings, platform: Platform): WorkloadResult {
  const frames = Math.max(2, Math.round(workload.frames * settings.frameScale));
  const gcFrames = Math.max(2, Math.round(workload.gcFrames * settings.frameScale));
  const results: VariantResult[] = workload.variants.map((v) => ({ id: v.id, label: v.label, unavailable: v.unavailable, roundMs: [], frameMs: [] }));
  const live = () => results.filter((r, i) => r.unavailable === undefined && r.error === undefined && workload.variants[i].frame !== undefined);
  const variantOf = (result: VariantResult) => workload.variants[results.indexOf(result)];
  const each = (what: string, step: (variant: Variant, result: VariantResult) => void) => {
    for (const result of live()) {
      try {
        step(variantOf(result), result);
      } catch (error) {
        result.error = `threw ${what}: ${errorText(error)}`;
      }
    }
  };
  // Every variant has run the same number of frames whenever checksums are compared.
  const verify = (when: string) => {
    each(when, (variant, result) => (result.checksum = variant.checksum!()));
    const reference = live()[0]?.checksum;
    for (const result of live()) {
      if (result.checksum !== reference) result.error = `checksum ${result.checksum} ${when}, expected ${reference}: not the same result`;
    }
  };
  let fastestMs = Infinity;
  each("in warm-up", (variant) => {
    const start = platform.now();
    for (let f = 0; f < settings.warmupFrames; f++) variant.frame!();
    fastestMs = Math.min(fastestMs, (platform.now() - start) / settings.warmupFrames);
  });
  const moreFrames = Math.min(MAX_WARMUP_FRAMES, Math.ceil(settings.warmupMs / Math.max(fastestMs, 1e-3))) - settings.warmupFrames;
  each("in warm-up", (variant) => { for (let f = 0; f < moreFrames; f++) variant.frame!(); });
  verify("after warm-up");
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? live() : live().reverse();
    for (const result of order) {
      const frame = variantOf(result).frame!;
      platform.gc();
      let sum = 0;
      try {
        for (let f = 0; f < frames; f++) {
          const start = platform.now();
          frame();
          const ms = platform.now() - start;
          result.frameMs.push(ms);
          sum += ms;
        }
        result.roundMs.push(sum / frames);
      } catch (error) {
        result.error = `threw in round ${round + 1}: ${errorText(error)}`;
      }
    }
  }
  each("while counting collections", (variant, result) => {
    platform.gc();
    const markStart = `real:${workload.id}:${variant.id}:start`;
    const markEnd = `real:${workload.id}:${variant.id}:end`;
    platform.mark?.(markStart);
    const from = platform.now();
    for (let f = 0; f < gcFrames; f++) variant.frame!();
    const to = platform.now();
    platform.mark?.(markEnd);
    result.gcWindow = { from, to, frames: gcFrames, markStart, markEnd };
  });
  verify("after the rounds");
  for (const result of results) {
    const notes = variantOf(result).notes?.();
    if (notes !== undefined) result.notes = notes;
  }
  return { id: workload.id, title: workload.title, frames, rounds: settings.rounds, variants: results };
}
