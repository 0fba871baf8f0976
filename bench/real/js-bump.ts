// The ten-line JavaScript bump allocator a user writes instead of a library: views over one
// ArrayBuffer, reset per frame. No growth and no checks beyond running out.
export class JsBump {
  private readonly buffer: ArrayBuffer;
  private top = 0;
  constructor(private readonly bytes: number) { this.buffer = new ArrayBuffer(bytes); }
  f32(n: number): Float32Array { const at = this.take(n * 4, 4); return new Float32Array(this.buffer, at, n); }
  f64(n: number): Float64Array { const at = this.take(n * 8, 8); return new Float64Array(this.buffer, at, n); }
  reset(): void { this.top = 0; }
  private take(size: number, align: number): number {
    const at = (this.top + align - 1) & -align;
    if (at + size > this.bytes) throw new RangeError("JsBump is full");
    this.top = at + size;
    return at;
  }
}
