// Shared helpers of the browser tests: launching the system Chromium, opening the app,
// watching requests, generating data with the CLI, screenshots.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The app under test, served from a sub-path (set by scripts/test-web.sh). */
export const BASE_URL = process.env.SPLITSCOPE_URL ?? 'http://127.0.0.1:8765/tools/splitscope/';
/** The native CLI (`splitscope`), for generated data and reference reports. */
export const CLI = process.env.SPLITSCOPE_CLI ?? 'target/release/splitscope';
/** Screenshots and downloads go here (git-ignored). */
export const OUT = process.env.SPLITSCOPE_TEST_OUTPUT ?? 'test-output';
/** Scratch directory for generated data. */
export const DATA = process.env.SPLITSCOPE_TEST_DATA ?? fs.mkdtempSync(path.join(os.tmpdir(), 'splitscope-e2e-'));

fs.mkdirSync(OUT, { recursive: true });

/**
 * Launches headless Chromium with the flags that work as root on these machines
 * (Playwright gives it a fresh, empty profile directory itself).
 */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * Opens the app in a fresh context and waits until the worker is ready. Records every
 * request (page and workers), console errors, page errors and dialogs.
 */
export async function openApp(browser, { hash = '' } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const log = { requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  context.on('request', (r) => log.requests.push({ url: r.url(), at: Date.now() }));
  // Content-Security-Policy violations, as the page sees them.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  page.on('dialog', async (d) => { log.dialogs.push(d.message()); await d.dismiss(); });
  await page.goto(BASE_URL + hash, { waitUntil: 'load' });
  await page.getByText('Ready.').waitFor({ timeout: 30_000 });
  log.loadedAt = Date.now();
  return { context, page, log };
}

/** Runs the CLI and returns its stdout. */
export function cli(args, opts = {}) {
  return execFileSync(path.resolve(CLI), args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
}

/** Generates a data set once per name (cached in DATA). */
export function generated(name, args) {
  const dir = path.join(DATA, name);
  if (!fs.existsSync(path.join(dir, 'events.csv'))) {
    cli(['generate', '--out', dir, ...args]);
  }
  return dir;
}

/** The variant table as `{ name: [users, conversions, cr, rpu] }` read off the page. */
export async function variantRows(page) {
  const rows = await page.locator('[data-testid=variant-table] tbody tr').all();
  const out = {};
  for (const row of rows) {
    const cells = await row.locator('td').allInnerTexts();
    const values = await row.locator('td[data-value]').evaluateAll((tds) => tds.map((t) => t.dataset.value));
    out[cells[0]] = { text: cells.slice(1), values: values.map(Number) };
  }
  return out;
}

/** Chooses the two CSVs through the page's file inputs. */
export async function chooseFiles(page, exposures, events) {
  await page.locator('#file-exposures').setInputFiles(exposures);
  await page.locator('#file-events').setInputFiles(events);
}

/** Clicks Analyse and waits for the report (or an error). */
export async function analyse(page, { timeout = 120_000 } = {}) {
  await page.getByTestId('run').click();
  await page.locator('[data-testid=done], [data-testid=error]').first().waitFor({ timeout });
}

/** Saves a full-page screenshot to OUT. */
export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

/** The report JSON the page exports (through the real download button). */
export async function exportedReport(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-json').click(),
  ]);
  const file = path.join(OUT, `download-${Date.now()}.json`);
  await download.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}
