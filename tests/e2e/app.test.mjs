// End-to-end tests of the release build, served by a plain static server from a
// sub-path (scripts/test-web.sh starts it). Runner: `node --test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  BASE_URL, DATA, OUT, analyse, chooseFiles, cli, exportedReport, generated, launch, openApp,
  screenshot, variantRows,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const origin = new URL(BASE_URL).origin;

test('course example shows the seed numbers', async () => {
  const { context, page, log } = await openApp(browser);
  await screenshot(page, '01-empty');
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  const rows = await variantRows(page);
  assert.deepEqual(rows.control.text, ['3', '1', '0.3333', '10.0']);
  assert.deepEqual(rows.variant.text, ['2', '1', '0.5000', '25.0']);
  await page.getByTestId('verdict').waitFor();
  assert.match(await page.getByTestId('verdict').innerText(), /Verdict: /);
  await screenshot(page, '02-course-example');
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});

test('course example report equals the native CLI byte for byte', async () => {
  const dir = path.join(DATA, 'course');
  fs.mkdirSync(dir, { recursive: true });
  const { context, page } = await openApp(browser);
  for (const name of ['exposures.csv', 'events.csv']) {
    const res = await page.request.get(new URL(`example/${name}`, BASE_URL).href);
    fs.writeFileSync(path.join(dir, name), await res.body());
  }
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  const pageJson = await exportedReport(page);
  const cliJson = cli(['analyze', '--exposures', 'exposures.csv', '--events', 'events.csv'], { cwd: dir });
  assert.equal(pageJson.trimEnd(), cliJson.trimEnd());
  await context.close();
});

test('generated CSVs give the same numbers as `splitscope analyze`', async () => {
  const dir = generated('small', ['--users', '4000', '--events', '30000', '--seed', '11']);
  const { context, page } = await openApp(browser);
  await page.getByTestId('plan-import').setInputFiles(path.join(dir, 'plan.json'));
  await page.waitForFunction(() => location.hash.includes('plan='));
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  await screenshot(page, '03-generated');
  const report = JSON.parse(cli(['analyze', '--exposures', 'exposures.csv', '--events', 'events.csv', '--plan', 'plan.json'], { cwd: dir }));
  const rows = await variantRows(page);
  for (const v of report.variants) {
    const row = rows[v.name];
    assert.ok(row, `variant ${v.name} on the page`);
    assert.equal(row.text[0], String(v.users));
    assert.equal(row.text[1], String(v.conversions));
    assert.equal(row.values[0], v.conversion_rate);
    assert.equal(row.values[1], v.revenue_per_user);
  }
  const pageJson = JSON.parse(await exportedReport(page));
  assert.deepEqual(pageJson, report);
  await context.close();
});

test('no request leaves the origin, and none is made after load', async () => {
  const dir = generated('small', ['--users', '4000', '--events', '30000', '--seed', '11']);
  const { context, page, log } = await openApp(browser);
  const atLoad = log.requests.length;
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  await page.getByTestId('verdict').waitFor();
  await page.waitForTimeout(500);
  const foreign = log.requests.filter((r) => new URL(r.url).origin !== origin);
  assert.deepEqual(foreign, [], 'requests to other origins');
  assert.deepEqual(log.requests.slice(atLoad).map((r) => r.url), [], 'requests after load');
  assert.ok(log.requests.some((r) => r.url.endsWith('worker_loader.js')), 'the worker was loaded from the sub-path');
  await context.close();
});

test('a malformed CSV shows a line-numbered error and the app keeps working', async () => {
  const dir = path.join(DATA, 'malformed');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'exposures.csv'), 'user_id,variant,exposure_ts\n1,control,2023-01-01 10:00:00\n2,variant,2023-01-01 10:00:00\n');
  fs.writeFileSync(path.join(dir, 'events.csv'), 'user_id,event,amount,event_ts\n1,purchase,10,2023-01-01 11:00:00\n2,purchase,lots,2023-01-01 11:00:00\n');
  const { context, page, log } = await openApp(browser);
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  const error = await page.getByTestId('error').innerText();
  assert.match(error, /events\.csv/);
  assert.match(error, /line 3/);
  await screenshot(page, '04-malformed');
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  assert.equal((await variantRows(page)).control.text[0], '3');
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});

test('a variant named like markup shows as text and runs nothing', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const dir = path.join(DATA, 'xss');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'exposures.csv'),
    `user_id,variant,exposure_ts\n1,control,2023-01-01 10:00:00\n2,control,2023-01-01 10:00:00\n3,"${evil}",2023-01-01 10:00:00\n4,"${evil}",2023-01-01 10:00:00\n`);
  fs.writeFileSync(path.join(dir, 'events.csv'),
    'user_id,event,amount,event_ts\n1,purchase,10,2023-01-01 11:00:00\n3,purchase,20,2023-01-01 11:00:00\n');
  const { context, page, log } = await openApp(browser);
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  const rows = await variantRows(page);
  assert.ok(rows[evil], 'the name is shown verbatim as text');
  assert.equal(await page.locator('main img').count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(log.dialogs, []);
  assert.ok(!log.requests.some((r) => r.url.endsWith('/x')), 'no image request');
  await screenshot(page, '05-markup-variant');
  await context.close();
});

test('progress moves on a large run, the page stays responsive, Cancel stops it', async () => {
  const dir = generated('large', ['--users', '100000', '--events', '1000000', '--seed', '5']);
  const { context, page } = await openApp(browser);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => window.__longTasks.push(...l.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: false });
  });
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await page.getByTestId('run').click();
  const seen = new Set();
  const deadline = Date.now() + 60_000;
  while (seen.size < 3 && Date.now() < deadline) {
    const v = await page.getByTestId('progress').getAttribute('value').catch(() => null);
    if (v !== null) seen.add(v);
    await page.waitForTimeout(50);
  }
  assert.ok(seen.size >= 3, `progress values seen: ${[...seen]}`);
  assert.match(await page.getByTestId('stage').innerText(), /[a-z]/);
  await screenshot(page, '06-progress');
  await page.getByTestId('cancel').click();
  await page.getByTestId('cancelled').waitFor();
  const longTasks = await page.evaluate(() => window.__longTasks);
  assert.ok(longTasks.every((d) => d <= 200), `main-thread long tasks: ${longTasks}`);
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  assert.equal((await variantRows(page)).variant.text[3], '25.0');
  await context.close();
});

test('a panic in the worker is shown and the worker is replaced', async () => {
  const { context, page, log } = await openApp(browser, { hash: '#debug' });
  await page.getByTestId('crash').click();
  const error = await page.getByTestId('error').innerText();
  assert.match(error, /internal error|crashed/);
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  assert.equal((await variantRows(page)).control.text[0], '3');
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});

test('the plan travels in the URL, never the data', async () => {
  const { context, page } = await openApp(browser, { hash: '#plan=' + encodeURIComponent('{"alpha":0.1,"bootstrap":{"resamples":200,"seed":3}}') });
  assert.equal(await page.locator('[data-field=alpha]').inputValue(), '0.1');
  await page.locator('[data-field="bootstrap.seed"]').fill('99');
  await page.locator('[data-field="bootstrap.seed"]').press('Tab');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"seed":99'));
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  assert.ok(!hash.includes('purchase,') && !hash.includes('2023-01-01'), 'no data in the URL');
  await screenshot(page, '07-plan');
  await context.close();
});

test('page has a strict CSP and the privacy line', async () => {
  const { context, page } = await openApp(browser);
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
  assert.match(await page.getByTestId('privacy').innerText(), /never leave/);
  fs.writeFileSync(path.join(OUT, 'csp.txt'), csp);
  await context.close();
});

/** Console errors that are about the Content-Security-Policy or security. */
function securityErrors(log) {
  return log.consoleErrors.filter((t) => /content security policy|content-security-policy|refused to|security/i.test(t));
}

test('course example: lift over time with an axis switch, no segments, no CSP violation', async () => {
  const { context, page, log } = await openApp(browser);
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  const lift = page.getByTestId('lift-over-time');
  await lift.waitFor();
  assert.match(await lift.locator('h3').innerText(), /Lift over time/);
  for (const [axis, desc] of [['daily', 'day (UTC)'], ['since-exposure', 'days since exposure'], ['cumulative', 'day (UTC)']]) {
    await lift.locator(`button[data-axis=${axis}]`).click();
    assert.equal(await lift.locator(`button[data-axis=${axis}]`).getAttribute('aria-pressed'), 'true');
    const svgs = lift.locator('figure svg');
    assert.ok(await svgs.count() >= 1, `a chart on the ${axis} axis`);
    const text = await svgs.first().textContent();
    assert.ok(text.includes(desc) && text.includes('relative lift vs control'), `${axis}: ${text.slice(0, 200)}`);
  }
  await page.getByTestId('segments-empty').waitFor();
  assert.match(await page.getByTestId('correction').innerText(), /family of \d+/);
  assert.ok(await page.locator('[data-testid=comparisons] th', { hasText: 'Adjusted p' }).count() >= 1);
  await lift.scrollIntoViewIfNeeded();
  await screenshot(page, '08-lift-over-time');
  await lift.screenshot({ path: path.join(OUT, '08-lift-over-time-section.png') });
  await page.waitForTimeout(300);
  assert.deepEqual(securityErrors(log), [], 'CSP/security console errors');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations');
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});

test('a country column mapped as a segment gives per-segment rows like the CLI', async () => {
  const dir = generated('segments', ['--users', '6000', '--events', '40000', '--seed', '12', '--segments']);
  const plan = JSON.parse(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8'));
  plan.exposures = { ...(plan.exposures ?? {}), segments: ['country'] };
  plan.correction = 'holm';
  plan.sequential = { enabled: true, tuning_n: 5000 };
  plan.bayesian = { enabled: true, prior: { mean: 0, sd: 0.3 } };
  plan.distribution_test = true;
  const revenue = plan.metrics?.find((m) => m.name === 'revenue');
  if (revenue) revenue.capping = { upper: 0.99 };
  fs.writeFileSync(path.join(dir, 'plan-segments.json'), JSON.stringify(plan));
  const { context, page, log } = await openApp(browser);
  await page.getByTestId('plan-import').setInputFiles(path.join(dir, 'plan-segments.json'));
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('country'));
  assert.equal(await page.locator('[data-field="exposures.segments"]').inputValue(), 'country');
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  await page.getByTestId('done').waitFor();
  const report = JSON.parse(cli(['analyze', '--exposures', 'exposures.csv', '--events', 'events.csv', '--plan', 'plan-segments.json'], { cwd: dir }));
  const expected = report.segments.filter((s) => s.column === 'country');
  assert.ok(expected.length >= 2, 'the CLI finds several countries');
  const table = page.locator('[data-testid=segments] table[data-segment-column=country]');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), expected.length);
  for (const s of expected) {
    const cells = await table.locator(`tbody tr[data-segment="${s.value}"] td`).allInnerTexts();
    assert.equal(cells[0], s.value);
    for (const [i, v] of report.variants.entries()) {
      const users = s.variants.find((x) => x.name === v.name)?.users ?? 0;
      assert.equal(cells[1 + i], String(users), `${s.value} ${v.name}`);
    }
    const flagged = await table.locator(`tbody tr[data-segment="${s.value}"]`).getAttribute('class');
    assert.equal(/srm-flagged/.test(flagged ?? ''), s.srm.flagged);
  }
  assert.match(await page.getByTestId('correction').innerText(), /Holm/);
  const heads = await page.locator('[data-testid=comparisons] table[data-metric=conversion] th').allInnerTexts();
  for (const h of ['Adjusted p', 'Sequential CI', 'Chance to beat control', 'Expected loss', 'Mann–Whitney p (distribution test, not means)']) {
    assert.ok(heads.includes(h), `column ${h} in ${heads}`);
  }
  assert.ok(await page.locator('[data-testid=comparisons] td.sequential-ci').first().innerText() !== '—');
  if (revenue) assert.match(await page.getByTestId('capping').first().innerText(), /lowered at the 99\.0 percentile = \d/);
  for (const f of ['correction', 'pool_arms', 'sequential.enabled', 'bayesian.enabled', 'distribution_test']) {
    assert.equal(await page.locator(`[data-field="${f}"]`).count(), 1, `plan control ${f}`);
  }
  assert.equal(await page.locator('[data-field="sequential.enabled"]').isChecked(), true);
  assert.equal(await page.locator('[data-field=correction]').inputValue(), 'holm');
  await page.locator('[data-field=correction]').selectOption('benjamini_hochberg');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('benjamini_hochberg'));
  await page.getByTestId('segments').scrollIntoViewIfNeeded();
  await screenshot(page, '09-segments');
  await page.getByTestId('segments').screenshot({ path: path.join(OUT, '09-segments-section.png') });
  await page.getByTestId('lift-over-time').screenshot({ path: path.join(OUT, '09-lift-over-time-generated.png') });
  await page.getByTestId('comparisons').screenshot({ path: path.join(OUT, '09-comparisons.png') });
  assert.deepEqual(securityErrors(log), []);
  await context.close();
});

test('the power page gives the statsmodels sample size for proportions', async () => {
  const { context, page, log } = await openApp(browser);
  const power = page.getByTestId('power');
  // h = proportion_effectsize(0.11, 0.10); NormalIndPower().solve_power(h, alpha=0.05,
  // power=0.8, ratio=1) -> 14744.10483692551 per arm (crates/cli/tests/power.rs).
  await power.getByTestId('power-baseline').fill('0.10');
  await power.getByTestId('power-mde').fill('0.10');
  await power.getByTestId('power-alpha').fill('0.05');
  await power.getByTestId('power-power').fill('0.8');
  await power.getByTestId('power-share').fill('0.5');
  await power.getByTestId('power-daily').fill('2000');
  assert.equal(await power.getByTestId('power-control').innerText(), '14745');
  assert.equal(await power.getByTestId('power-treatment').innerText(), '14745');
  assert.equal(await power.getByTestId('power-total').innerText(), '29490');
  assert.equal(await power.getByTestId('power-days').innerText(), '15');
  await power.getByTestId('power-users').fill('29490');
  assert.match(await power.getByTestId('power-mde-answer').innerText(), /\+(9\.9\d|10\.00)% relative/);
  // From the course example's control arm: conversion rate 1/3.
  await page.getByTestId('load-example').click();
  await page.getByTestId('done').waitFor({ timeout: 30_000 });
  await power.getByTestId('power-from-report').click();
  assert.match(await power.getByTestId('power-baseline').inputValue(), /^0\.333/);
  await power.scrollIntoViewIfNeeded();
  await screenshot(page, '10-power');
  await power.screenshot({ path: path.join(OUT, '10-power-section.png') });
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});

test('a tiny memory budget stops the run with the CLI message, and the page stays usable', async () => {
  const dir = generated('large', ['--users', '100000', '--events', '1000000', '--seed', '5']);
  const tiny = path.join(dir, 'plan-tiny-memory.json');
  fs.writeFileSync(tiny, JSON.stringify({ limits: { max_memory_mb: 2 } }));
  let expected;
  try {
    cli(['analyze', '--exposures', 'exposures.csv', '--events', 'events.csv', '--plan', tiny], { cwd: dir, stdio: 'pipe' });
    assert.fail('the CLI should refuse');
  } catch (e) {
    expected = String(e.stderr).trim().replace(/^splitscope: error: /, '');
  }
  assert.match(expected, /^exposures\.csv, line \d+: .* more than limits\.max_memory_mb = 2\. Raise limits\.max_memory_mb/);
  const { context, page, log } = await openApp(browser);
  await page.getByTestId('plan-import').setInputFiles(tiny);
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"max_memory_mb":2'));
  assert.equal(await page.locator('[data-field="limits.max_memory_mb"]').inputValue(), '2');
  await chooseFiles(page, path.join(dir, 'exposures.csv'), path.join(dir, 'events.csv'));
  await analyse(page);
  assert.equal(await page.getByTestId('error').innerText(), expected);
  assert.equal(await page.getByTestId('skip-bad-rows').count(), 0, 'skipping rows would not help');
  await screenshot(page, '11-memory-budget');
  // Back to the default budget in the plan editor: the same files are analysed.
  await page.locator('[data-field="limits.max_memory_mb"]').fill('2048');
  await page.locator('[data-field="limits.max_memory_mb"]').press('Tab');
  await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('max_memory_mb'));
  await analyse(page);
  await page.getByTestId('done').waitFor();
  const report = JSON.parse(cli(['analyze', '--exposures', 'exposures.csv', '--events', 'events.csv', '--bootstrap', '0'], { cwd: dir }));
  const rows = await variantRows(page);
  for (const v of report.variants) assert.equal(rows[v.name].text[0], String(v.users), `${v.name} users`);
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});
