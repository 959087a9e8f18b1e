// Several Lighthouse runs in one Node process with one Chromium (tests/lighthouse_support.py).
//
// Usage: node tests/lighthouse_runs.mjs PLAN.json
// PLAN: {"chromeFlags": [...], "runs": [{"url", "output", "categories": [...],
//        "flags": {...Lighthouse flags, e.g. screenEmulation}}, ...]}
// Each run's JSON report is written to its "output".  Starting Node, loading Lighthouse
// and launching Chromium once for all runs, instead of once per run as the CLI does,
// saves some seconds a run.  Lighthouse still resets the browser's storage and cache
// before each run (its default), so every run is a cold load.
import { readFileSync, writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const plan = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: plan.chromeFlags,
});
try {
  for (const run of plan.runs) {
    const flags = {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: run.categories,
      disableFullPageScreenshot: true,
      ...run.flags,
    };
    const result = await lighthouse(run.url, flags);
    if (!result) throw new Error(`Lighthouse gave no result for ${run.url}`);
    writeFileSync(run.output, result.report);
  }
} finally {
  await chrome.kill();
}
