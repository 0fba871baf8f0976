// Module resolution hook (node:module register): the embedded core bytes are replaced by
// core-bytes.mjs, which reads the build the fuzzer compiled. Nothing else is redirected.
const replacement = new URL("./core-bytes.mjs", import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (/(^|\/)core-bytes\.generated(\.ts)?$/.test(specifier)) {
    return { url: replacement, format: "module", shortCircuit: true };
  }
  return next(specifier, context);
}
