// The floor: a bump allocator in plain JavaScript over one ArrayBuffer. No WebAssembly call, no
// per-allocation free, no growth: the least any allocator can cost, for the others to be read
// against.

export class JsBump {
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  private top = 0;

  constructor(readonly capacity: number) {
    this.buffer = new ArrayBuffer(capacity);
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
  }

  /** The byte offset of `bytes` bytes aligned to `align` (a power of two); RangeError when full. */
  alloc(bytes: number, align: number): number {
    const ptr = (this.top + align - 1) & -align;
    const end = ptr + bytes;
    if (end > this.capacity) throw new RangeError(`JsBump: ${bytes} bytes do not fit in ${this.capacity}`);
    this.top = end;
    return ptr;
  }

  /** Frees everything at once. */
  reset(): void {
    this.top = 0;
  }
}
