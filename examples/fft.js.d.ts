// Types for fft.js 4.0.4, which ships none: the parts the examples and benchmarks call.
declare module "fft.js" {
  type Complex = { length: number; [index: number]: number };
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Forward transform of a real signal of `size` samples into `out` (2·size, interleaved re/im), first half only. */
    realTransform(out: Complex, data: ArrayLike<number>): void;
    /** Fills the upper half of a spectrum made by realTransform. */
    completeSpectrum(spectrum: Complex): void;
    transform(out: Complex, data: Complex): void;
    /** Inverse transform, scaled by 1/size. */
    inverseTransform(out: Complex, data: Complex): void;
  }
}
