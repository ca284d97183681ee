// Drives the real labeling page in headless Chromium (Debian's /usr/bin/chromium; Playwright never
// downloads a browser): the labeler signs in with their token, answers every item with the
// keyboard, and the page reports that nothing is left. Run by LabelingPageBrowserTest, which
// starts the worker and the pipeline run and checks the labels that reach the run.
//
// Environment: LABEL_BASE_URL (the worker, e.g. http://localhost:8080), LABEL_TOKEN (the
// annotator's token), LABEL_ITEMS (how many items to expect), LABEL_CLASSES (comma list, in the
// job's order), LABEL_INSTRUCTIONS (the job's instructions, checked on the page), and optionally
// LABEL_SCREENSHOT (a PNG path: the page as the first item shows).
// Each item is answered with class number (key % classes), by digit, or by the class's letter when
// the page shows one on its button. Prints one JSON line: {"answered": [[key, answer], ...]}.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const base = required('LABEL_BASE_URL');
const token = required('LABEL_TOKEN');
const expected = Number(required('LABEL_ITEMS'));
const classes = required('LABEL_CLASSES').split(',');
const instructions = process.env.LABEL_INSTRUCTIONS;
const WAIT = 30000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error('Set ' + name);
  return value;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    timeout: 60000,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(WAIT);
    const problems = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(r.status() + ' ' + r.url()); });

    await page.goto(base + '/label/index.html');
    await page.locator('#sign-in-view').waitFor({ state: 'visible' });
    await page.fill('#token', token);
    await page.click('#sign-in');

    // One job: the page opens it directly, with its instructions and one button per class.
    await page.locator('#job-view').waitFor({ state: 'visible' });
    if (instructions) {
      check((await page.textContent('#instructions')) === instructions, 'instructions not shown');
    }
    const buttons = await page.locator('#answers button').allTextContents();
    check(buttons.length === classes.length, 'expected a button per class, got ' + buttons);

    const answered = [];
    for (;;) {
      await page.waitForFunction(
        () => !document.getElementById('done').hidden || !document.getElementById('item').hidden);
      if (await page.isVisible('#done')) break;
      const key = Number((await page.textContent('#item-key')).replace('Item ', ''));
      check(Number.isInteger(key), 'no item key on the page');
      // The item's picture came through the authenticated image endpoint: 28x28 pixels.
      await page.waitForFunction((k) => {
        const img = document.getElementById('item-image');
        return img.dataset.item === String(k) && img.complete && img.naturalWidth === 28;
      }, key);
      if (process.env.LABEL_SCREENSHOT && answered.length === 0) {
        await page.screenshot({ path: process.env.LABEL_SCREENSHOT, fullPage: true });
      }
      const index = key % classes.length;
      const button = page.locator('#answers button').nth(index);
      const letter = await button.locator('u').count() > 0
        ? (await button.locator('u').textContent()).toLowerCase() : null;
      const progressBefore = await page.$eval('#progress-bar', (p) => p.value);
      await page.keyboard.press(letter || String(index + 1));
      answered.push([key, classes[index], letter ? 'letter' : 'digit']);
      await page.waitForFunction(
        (before) => document.getElementById('progress-bar').value > before, progressBefore);
      check(answered.length <= expected, 'more items than expected: ' + JSON.stringify(answered));
    }
    check(answered.length === expected,
      'answered ' + answered.length + ' items, expected ' + expected);
    const progress = await page.textContent('#progress-text');
    check(progress.startsWith(expected + ' of ' + expected), 'progress shows ' + progress);
    check(await page.isVisible('#done'), 'the page does not say it is done');
    check(problems.length === 0, problems.join('\n'));
    console.log(JSON.stringify({ answered, progress }));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
