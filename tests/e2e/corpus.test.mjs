// A representative subset of the corpus of broken and odd inputs (tests/corpus/,
// docs/corpus.md), run through the page as a user would: the case's plan (if any)
// through "Import plan JSON", its two files through the file inputs, then Analyse.
// What the page shows is held to tests/corpus/expectations.json, the same
// expectations the CLI is held to (crates/cli/tests/corpus.rs). Runner: `node --test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse, chooseFiles, launch, openApp, screenshot, variantRows } from './helpers.mjs';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus');
const EXPECTATIONS = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expectations.json'), 'utf8')).cases;
const byName = Object.fromEntries(EXPECTATIONS.map((c) => [c.case, c]));

/** The cases run in the browser: one or two of each kind of trouble. */
const CASES = [
  'utf8_bom', // byte-order mark
  'crlf', // Windows line endings
  'quoted_newlines_and_quotes', // newlines, commas and quotes inside quoted cells
  'ragged_short_row', // a row with too few fields
  'missing_header', // a column the plan needs is absent
  'invalid_utf8_in_id', // bytes that are not UTF-8
  'amount_nan', // NaN amount
  'amount_1e308', // an amount whose square overflows
  'timestamp_mixed_formats_auto', // every timestamp shape in one file
  'event_variant_not_in_exposures', // events naming an arm the exposures lack
  'duplicate_rows', // every row twice
  'ragged_rows_skip', // on_bad_row: skip, from the case's plan
  'renamed_headers_mapped', // headers mapped through the case's plan
  'memory_budget_lift_grid', // limits.max_memory_mb from the case's plan
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The page's p-value text for `p` (src/format.rs, `p_value`). */
function shownP(p) {
  return p < 1e-4 ? '< 0.0001' : p.toFixed(4);
}

function close(actual, expected, what) {
  const tol = 1e-12 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: page ${actual}, expected ${expected}`);
}

/** The diagnostics counts the page lists, by their label. */
async function diagnosticCounts(page) {
  const rows = await page.locator('[data-testid=diagnostics] table.counts tr').all();
  const out = {};
  for (const row of rows) {
    const [label, value] = await row.locator('td').allInnerTexts();
    out[label] = Number(value);
  }
  return out;
}

/** Diagnostics fields of the report and the page's label for each. */
const COUNT_LABELS = [
  ['exposures', 'rows_read', 'Exposure rows read'],
  ['exposures', 'bad_rows', 'Exposure rows unreadable'],
  ['exposures', 'repeat_exposures', 'Repeat exposures (same variant)'],
  ['exposures', 'conflicting_exposures', 'Conflicting exposures (other variant)'],
  ['events', 'rows_read', 'Event rows read'],
  ['events', 'bad_rows', 'Event rows unreadable'],
  ['events', 'unknown_user', 'Events of unexposed users'],
  ['events', 'in_window', 'Events in the window'],
  ['events', 'after_window', 'Events after the window'],
];

async function checkReport(page, expected, name) {
  const variants = expected.variants;
  assert.ok(variants, `${name}: the expectation names the variants`);
  const rows = await variantRows(page);
  assert.deepEqual(Object.keys(rows), variants.map((v) => v.name), `${name}: variants on the page`);
  for (const v of variants) {
    const row = rows[v.name];
    if (v.users !== undefined) assert.equal(row.text[0], String(v.users), `${name} ${v.name} users`);
    if (v.conversions !== undefined) assert.equal(row.text[1], String(v.conversions), `${name} ${v.name} conversions`);
    if (v.revenue_per_user !== undefined) close(row.values[1], v.revenue_per_user, `${name} ${v.name} revenue per user`);
  }
  for (const m of expected.metrics ?? []) {
    for (const [i, c] of (m.comparisons ?? []).entries()) {
      if (c.p_value === undefined || c.p_value === null) continue;
      // Comparisons are in arm order: the i-th is of the (i + 1)-th variant.
      const variant = c.variant ?? variants[i + 1].name;
      const cell = page.locator(`[data-testid=comparisons] table[data-metric="${m.name}"] tr[data-variant="${variant}"] td.p`);
      assert.equal(await cell.innerText({ timeout: 5_000 }), shownP(c.p_value), `${name} ${m.name} ${variant} p-value`);
    }
  }
  const d = expected.diagnostics;
  if (d) {
    const counts = await diagnosticCounts(page);
    for (const [file, key, label] of COUNT_LABELS) {
      if (d[file]?.[key] !== undefined) assert.equal(counts[label], d[file][key], `${name}: ${label}`);
    }
    if (d.users_analysed !== undefined) assert.equal(counts['Users analysed'], d.users_analysed, `${name}: users analysed`);
    if (d.bad_rows_total) {
      const heading = await page.locator('[data-testid=diagnostics] h4').innerText();
      assert.match(heading, new RegExp(`^Skipped rows \\(${d.bad_rows_total} in total, first ${d.bad_rows.length} listed\\)`));
      const listed = await page.locator('[data-testid=bad-rows] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText)));
      assert.deepEqual(listed, d.bad_rows.map((b) => [b.file, String(b.line), b.column ?? '', b.message]), `${name}: skipped rows`);
    }
  }
}

for (const name of CASES) {
  test(`corpus case ${name} shows what the CLI reports`, async () => {
    const c = byName[name];
    assert.ok(c, `${name} is in expectations.json`);
    const dir = path.join(CORPUS, name);
    const { context, page, log } = await openApp(browser);
    const plan = path.join(dir, 'plan.json');
    if (fs.existsSync(plan)) {
      await page.getByTestId('plan-import').setInputFiles(plan);
      await page.waitForFunction(() => location.hash.includes('plan='));
    }
    await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
    await analyse(page);
    if (c.outcome === 'error') {
      const error = page.getByTestId('error');
      assert.ok(await error.isVisible(), `${name}: an error is shown`);
      const text = await error.innerText();
      if (c.error !== undefined) assert.equal(text, c.error, `${name}: the message`);
      for (const part of c.error_contains ?? []) assert.ok(text.includes(part), `${name}: ${text} contains ${part}`);
      if (c.at) {
        const where = c.at.column ? `${c.at.file}, line ${c.at.line}, column "${c.at.column}"` : `${c.at.file}, line ${c.at.line}`;
        assert.ok(text.startsWith(where), `${name}: ${text} starts with ${where}`);
      }
    } else {
      await page.getByTestId('done').waitFor();
      const report = { ...(c.same_as ? byName[c.same_as].report : {}), ...(c.report ?? {}) };
      await checkReport(page, report, name);
    }
    await screenshot(page, `corpus-${name}`);
    assert.deepEqual(log.pageErrors, []);
    await context.close();
  });
}
