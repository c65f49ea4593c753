// In-browser benchmark: the release app in headless Chromium analyses the benchmark
// data sets (the same files and plan as scripts/bench.sh); prints one JSON line per
// set with the time from the click on Analyse to the result, and the renderer's peak
// resident memory (the tab and its workers live in one renderer process).
//
//   node scripts/bench/web.mjs URL DATA_DIR PLAN [SET ...]
//
// Run by scripts/bench-web.sh, which builds and serves the app.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.resolve('tests/e2e/package.json'));
const { chromium } = require('playwright-core');
const [url, dataDir, planFile, ...sets] = process.argv.slice(2);

/** Peak RSS (VmHWM, kB) of each Chromium renderer process. */
function rendererPeaks() {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('chromium') && l.includes('--type=renderer'))
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .map((pid) => {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      } catch {
        return 0;
      }
    });
}

const plan = fs.readFileSync(planFile, 'utf8');
for (const set of sets) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.getByText('Ready.').waitFor({ timeout: 60_000 });
  const exposures = path.join(dataDir, set, 'exposures.csv');
  const events = path.join(dataDir, set, 'events.csv');
  await page.locator('#file-exposures').setInputFiles(exposures);
  await page.locator('#file-events').setInputFiles(events);
  // The same plan as the native benchmark, through the plan importer.
  await page.getByTestId('plan-import').setInputFiles({
    name: 'plan.json', mimeType: 'application/json', buffer: Buffer.from(plan),
  });
  const start = Date.now();
  await page.getByTestId('run').click();
  await page.locator('[data-testid=done], [data-testid=error]').first().waitFor({ timeout: 600_000 });
  const seconds = (Date.now() - start) / 1000;
  const failed = await page.locator('[data-testid=error]').count();
  const peakKb = Math.max(...rendererPeaks());
  const bytes = fs.statSync(exposures).size + fs.statSync(events).size;
  console.log(JSON.stringify({ set, seconds, peak_rss_mib: peakKb / 1024, csv_mib: bytes / 2 ** 20, failed: failed > 0 }));
  await browser.close();
}
