// Which platform APIs accept views of each view strategy's memory. Plain JavaScript, so that the
// same probes run in Node (node.ts) and in Chromium (browser.mjs), against the library's exports.
//
// A probe hands a view the library allocated to one API and checks the API did what it says
// (bytes decoded, written, hashed or uploaded), so "accepted" means "worked", not "did not throw".

/** Probes every platform has (or reports missing). Each gets a fresh u8 view of 64 bytes. */
const COMMON = {
  "TextDecoder.decode": (view) => {
    view.set([104, 105]);
    return new TextDecoder().decode(view.subarray(0, 2)) === "hi";
  },
  "TextEncoder.encodeInto": (view) => new TextEncoder().encodeInto("hi", view).written === 2 && view[1] === 105,
  "crypto.getRandomValues": (view) => {
    view.fill(0);
    crypto.getRandomValues(view);
    return view.some((byte) => byte !== 0);
  },
  "crypto.subtle.digest": async (view) => (await crypto.subtle.digest("SHA-256", view)).byteLength === 32,
  "new Blob": async (view) => {
    view.set([1, 2, 3]);
    const bytes = new Uint8Array(await new Blob([view.subarray(0, 3)]).arrayBuffer());
    return bytes.join() === "1,2,3";
  },
  "Response(view).arrayBuffer": async (view) => {
    view.set([4, 5]);
    return new Uint8Array(await new Response(view.subarray(0, 2)).arrayBuffer()).join() === "4,5";
  },
  "structuredClone": (view) => {
    view.set([7]);
    return structuredClone(view.subarray(0, 1))[0] === 7;
  },
};

/** Browser-only probes; each reports "missing" where its global is absent. */
const BROWSER = {
  "new ImageData": (view, heap, allocator) => {
    if (typeof ImageData !== "function") return "missing";
    const pixels = allocator.alloc("u8c", 4 * 2 * 2);
    pixels.fill(200);
    return new ImageData(pixels, 2, 2).data[0] === 200;
  },
  "WebGL bufferData": (view) => withGl((gl) => {
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, view, gl.STATIC_DRAW);
    return gl.getBufferParameter(gl.ARRAY_BUFFER, gl.BUFFER_SIZE) === view.byteLength;
  }),
  "WebGL bufferSubData": (view) => withGl((gl) => {
    gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
    gl.bufferData(gl.ARRAY_BUFFER, view.byteLength, gl.STATIC_DRAW);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, view);
    return true;
  }),
  "WebGL uniformMatrix4fv": (view, heap, allocator) => withGl((gl) => {
    const program = matrixProgram(gl);
    const matrix = allocator.alloc("f32", 16);
    matrix.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const location = gl.getUniformLocation(program, "m");
    gl.uniformMatrix4fv(location, false, matrix);
    return gl.getUniform(program, location)[0] === 1;
  }),
};

let gl = null;
/** Runs `use` with a WebGL2 context, "missing" if the platform gives none; a GL error fails it. */
function withGl(use) {
  if (gl === null && typeof OffscreenCanvas === "function") gl = new OffscreenCanvas(4, 4).getContext("webgl2");
  if (gl === null) return "missing";
  gl.getError();
  const ok = use(gl);
  return ok && gl.getError() === gl.NO_ERROR;
}

let program = null;
function matrixProgram(gl) {
  if (program !== null) return program;
  const shader = (type, source) => {
    const s = gl.createShader(type);
    gl.shaderSource(s, source);
    gl.compileShader(s);
    return s;
  };
  program = gl.createProgram();
  gl.attachShader(program, shader(gl.VERTEX_SHADER, "#version 300 es\nuniform mat4 m;\nin vec4 p;\nvoid main() { gl_Position = m * p; }"));
  gl.attachShader(program, shader(gl.FRAGMENT_SHADER, "#version 300 es\nprecision mediump float;\nout vec4 c;\nvoid main() { c = vec4(1); }"));
  gl.linkProgram(program);
  gl.useProgram(program);
  return program;
}

/**
 * For each strategy `supported` lists, each probe's outcome on a view from a GPA of that heap:
 * true (worked), false (wrong result), "missing" (no such API here), or the error's message.
 * `extra` adds platform probes of the same shape (Node's fs and Buffer).
 */
export async function probeStrategies(lib, supported, extra = {}) {
  const probes = { ...COMMON, ...BROWSER, ...extra };
  const results = {};
  for (const viewStrategy of supported) {
    const heap = lib.Heap.create({ viewStrategy, initialBytes: 1 << 20, maximumBytes: 64 << 20 });
    const gpa = new lib.GeneralPurposeAllocator({ heap });
    const allocator = gpa.allocator();
    results[viewStrategy] = {};
    for (const [name, probe] of Object.entries(probes)) {
      try {
        results[viewStrategy][name] = await probe(allocator.alloc("u8", 64), heap, allocator);
      } catch (error) {
        results[viewStrategy][name] = `${error?.name ?? "Error"}: ${error?.message ?? error}`;
      }
    }
  }
  return results;
}
