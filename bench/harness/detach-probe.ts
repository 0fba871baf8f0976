// Whether V8's typed-array fast path was still on while a run measured. The first ArrayBuffer a
// process detaches (a growth of plain WebAssembly memory, a transfer, a loader that moves source
// text in a transferred buffer) turns it off for good, and every typed-array access is slower
// from then on, in Node 20 to 26 (bench/results/GROWTH.md). A run cannot read that flag, but it can
// see it: after the rounds, a typed-array loop is timed, a buffer is detached on purpose, and the
// loop is timed again. Nearly twice as slow means the flag was still on through the rounds; the
// same speed means something had already turned it off, or an engine where a detach costs nothing
// (Chromium 150 measured so in GROWTH.md, though two sampling loops of other shapes saw 1.3–2.2×
// there). Run it last: afterwards the flag is off in this process.

/** Time after the deliberate detach ÷ time before, for the probe loop. */
export function detachProbe(now: () => number): number {
  const input = Int32Array.from({ length: 1024 }, (_, i) => i - 512);
  const output = new Int32Array(1024);
  const loop = () => {
    for (let i = 0; i < input.length; i++) output[i] = input[i] * 2;
    return output[7];
  };
  const before = timeLoop(loop, now);
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
  if (buffer.byteLength !== 0) throw new Error("the probe's buffer was not detached");
  return timeLoop(loop, now) / before;
}

/** Median time of 15 samples of 20,000 calls each, after a warm-up of as many. */
function timeLoop(loop: () => number, now: () => number): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += loop();
  const samples: number[] = [];
  for (let s = 0; s < 15; s++) {
    const start = now();
    for (let i = 0; i < 20_000; i++) sink += loop();
    samples.push(now() - start);
  }
  if (sink === 0.5) throw new Error("unreachable: keeps the loop's result observable");
  return samples.sort((a, b) => a - b)[samples.length >> 1];
}

/** How the report states a probe's result. */
export const fastPathVerdict = (slowdown: number): string => slowdown >= 1.3
  ? `on through the rounds (after them, a deliberate detach made the probe loop ${slowdown.toFixed(2)}× slower)`
  : `a deliberate detach after the rounds left the probe loop at ${slowdown.toFixed(2)}× its time: either it was already off, `
    + "or this engine pays nothing for a detach (Chromium 150 measured 0.97× in bench/results/GROWTH.md)";
