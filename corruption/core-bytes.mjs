// Stands in for bindings/core-bytes.generated.ts inside the fuzzer's children (hooks.mjs points
// the import here), so a child runs the build it was told to in CORRUPTION_CORE_WASM, compiled
// by build.ts into a private folder: the embedded build, which others rebuild and switch between
// release and debug concurrently, is never touched or relied on.
import { readFileSync } from "node:fs";

const file = process.env.CORRUPTION_CORE_WASM;
if (!file) throw new Error("CORRUPTION_CORE_WASM is not set: run through corruption/main.ts");
const bytes = readFileSync(file).toString("base64");

export const CORE_BUILD = process.env.CORRUPTION_CORE_BUILD === "debug" ? "debug" : "release";
export const CORE_WASM = bytes;
// The fuzzer uses the "plain" view strategy only, so the shared build is never instantiated.
export const CORE_SHARED_WASM = bytes;
