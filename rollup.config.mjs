// dist/: ESM, CommonJS and one bundled .d.ts. The core's bytes come in as base64 strings from
// bindings/core-bytes.generated.ts, so the bundles need no loader or fetch.
import esbuild from "rollup-plugin-esbuild";
import { dts } from "rollup-plugin-dts";

export default [
  {
    input: "src/index.ts",
    output: [
      { file: "dist/index.js", format: "es", sourcemap: true },
      { file: "dist/index.cjs", format: "cjs", sourcemap: true },
    ],
    plugins: [esbuild({ target: "es2022" })],
  },
  {
    input: "src/index.ts",
    output: { file: "dist/index.d.ts", format: "es" },
    plugins: [dts()],
  },
];
