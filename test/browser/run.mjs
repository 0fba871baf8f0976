#!/usr/bin/env node
// Runs test/browser/checks.js in Chromium against the built package (npm run test:browser).
//
// scripts/serve-pages.mjs serves dist/index.js, build/core.wasm and the test page twice: at / as
// a plain http page (not cross-origin isolated), and at /isolated/ cross-origin isolated (so
// SharedArrayBuffer and the "shared" strategy are available). Debian's /usr/bin/chromium runs the page headless through
// playwright-core.
//
// Prints one line per check and a closing `N passed, M failed`; exits non-zero on any failure.

import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { servePages } from "../../scripts/serve-pages.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const PAGE_HTML = `<!doctype html>
<meta charset="utf-8">
<title>wasm-arena browser checks</title>
<script type="module">
  import { runChecks } from "./checks.js";
  window.__checks = runChecks().catch((error) => [{ name: "page", ok: false, detail: String(error?.stack ?? error) }]);
</script>
`;

const FILES = {
  "index.html": { body: PAGE_HTML, type: "text/html; charset=utf-8" },
  "checks.js": { file: resolve(root, "test/browser/checks.js"), type: "text/javascript; charset=utf-8" },
  "dist/index.js": { file: resolve(root, "dist/index.js"), type: "text/javascript; charset=utf-8" },
  "dist/index.js.map": { file: resolve(root, "dist/index.js.map"), type: "application/json" },
  "core.wasm": { file: resolve(root, "build/core.wasm"), type: "application/wasm" },
};


for (const [name, { file }] of Object.entries(FILES)) {
  if (file !== undefined && !existsSync(file) && !name.endsWith(".map")) {
    console.error(`missing ${file}: run npm run build first`);
    process.exit(2);
  }
}

const { origin, close } = await servePages(FILES);

let passed = 0;
let failed = 0;
const report = (ok, name, detail) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "PASS" : "FAIL"}  ${name}${detail ? ` — ${detail}` : ""}`);
};

let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  console.log(`Chromium ${browser.version()} at ${CHROMIUM}; serving ${origin}`);
  for (const [label, path] of [["plain page", "/"], ["cross-origin isolated page", "/isolated/"]]) {
    console.log(`\n${label}: ${origin}${path}`);
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => { if (message.type() === "error") problems.push(`console error: ${message.text()}`); });
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => window.__checks !== undefined, null, { timeout: 30_000 });
    const results = await page.evaluate(() => window.__checks);
    for (const { name, ok, detail } of results) report(ok, `[${label}] ${name}`, detail);
    if (path === "/isolated/") {
      const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
      report(isolated === true, `[${label}] the page is cross-origin isolated`, `crossOriginIsolated=${isolated}`);
    }
    for (const problem of problems) report(false, `[${label}] ${problem}`, "");
    await page.close();
  }
} catch (error) {
  report(false, "browser run", String(error?.stack ?? error));
} finally {
  await browser?.close();
  close();
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
