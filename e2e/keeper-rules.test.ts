// "Keep which copy" as the person uses it, in Debian's Chromium against `doppel serve`: the rules
// panel lists the rules, switching and moving them is saved across a reload and re-cuts the
// groups live (a JPEG and a copy re-encoded at quality 40: the original is kept until "Smallest
// file" goes first), and keeping copies from one folder three times offers to protect it, never silently.
// In a pair of similar shots, the clearly sharper frame is suggested, never marked.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { shotsAndAudit } from './axe';
import { chromiumFor, freePort, launchBrowser, openHost, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/keeper-rules.test.ts');

const library = tempDir('doppel-keeper-lib-');
const CAMERA = join(library, 'camera');
const EXPORTS = join(library, 'exports-for-the-family-album-2024');
const PAIR = join(library, 'converted');
/** Each original in CAMERA with a smaller export of it in EXPORTS: three groups. */
const EXPORTED = ['kpa_pool', 'kpa_donna', 'kpa_jesper'];
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `keeper-rules-${name}.png`), fullPage: true });
const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
const rule = (id: string) => page.locator(`[data-testid=keeper-rule][data-rule="${id}"]`);
const ruleOrder = () => page.getByTestId('keeper-rule').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')));
const card = (keeperName: string): Locator => page.getByTestId('group-card').filter({ hasText: `Keep ${keeperName} ` });
const keeperLine = (photo: string) => page.getByTestId('group-card').filter({ hasText: photo }).locator('.keeper-line').textContent();

async function openPanel(): Promise<void> {
  const panel = page.getByTestId('keeper-rules');
  if (!(await panel.evaluate((details) => (details as HTMLDetailsElement).open))) await panel.locator('summary').click();
}

async function waitForGroups(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card]').length === 4, undefined, { timeout: 60_000 });
}

describe.skipIf(!chromiumPath)('keep which copy: the rules and the offer to protect a folder', () => {
  beforeAll(async () => {
    for (const folder of [CAMERA, EXPORTS, PAIR]) mkdirSync(folder);
    for (const name of EXPORTED) {
      const source = join(BENCH_ORIGINALS, `${name}.jpg`);
      copyFileSync(source, join(CAMERA, `${name}.jpg`));
      await sharp(source).resize({ width: 600 }).jpeg({ quality: 80 }).toFile(join(EXPORTS, `${name}-export.jpg`));
    }
    // The camera's JPEG (quality 80), and a copy re-encoded at quality 40: a third of its bytes.
    const photo = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
    copyFileSync(photo, join(PAIR, 'bar55.jpg'));
    await sharp(photo).jpeg({ quality: 40 }).toFile(join(PAIR, 'bar55-q40.jpg'));

    host = await serve(await freePort(), tempDir('doppel-keeper-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-keeper-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(host.url);
    await waitForGroups();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('lists the rules; switching one off and moving one up (by keyboard) is kept across a reload', async () => {
    await openPanel();
    expect(await page.getByTestId('keeper-rules').textContent()).toContain('Protected folders first');
    const order = await ruleOrder();
    expect(order).toHaveLength(11);
    expect(order[0]).toBe('content');
    expect(order.at(-1)).toBe('size');
    expect(await rule('size').textContent()).toContain('Smallest file');
    expect(await page.getByTestId('keeper-rule-toggle').evaluateAll((boxes) => boxes.every((b) => (b as HTMLInputElement).checked))).toBe(true);
    expect(await page.getByTestId('keeper-rules-reset').isDisabled()).toBe(true);
    expect(await noSidewaysScroll()).toBe(true);
    const found = await shotsAndAudit(page, 'keeper-rules-1-panel');

    await rule('camera').getByTestId('keeper-rule-toggle').press('Space');
    await page.getByRole('button', { name: 'Move Smallest file up' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    // The focus stays on the button pressed as its row moves.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Smallest file up');
    expect((await ruleOrder()).slice(-3)).toEqual(['size', 'folders', 'linked']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('1-panel-changed-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.reload();
    await waitForGroups();
    await openPanel();
    expect((await ruleOrder()).slice(-3)).toEqual(['size', 'folders', 'linked']);
    expect(await rule('camera').getByTestId('keeper-rule-toggle').isChecked()).toBe(false);
    expect(await rule('content').getByTestId('keeper-rule-toggle').isChecked()).toBe(true);

    // The preferred format is named second, after protected folders.
    await page.getByTestId('prefer-format').selectOption('heif');
    expect(await page.getByTestId('keeper-rules').textContent()).toContain('Protected folders first, then HEIC files');
    await page.getByTestId('prefer-format').selectOption('');
    expect(await page.getByTestId('keeper-rules').textContent()).not.toContain('HEIC files');

    await page.getByTestId('keeper-rules-reset').click();
    expect((await ruleOrder()).at(-1)).toBe('size');
    expect(await rule('camera').getByTestId('keeper-rule-toggle').isChecked()).toBe(true);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('re-cuts the groups live: the original is kept over its quality-40 copy until "Smallest file" goes first', async () => {
    await page.waitForFunction(() => [...document.querySelectorAll('.keeper-line')].some((line) => line.textContent?.includes('Keep bar55.jpg ')), undefined, { timeout: 30_000 });
    const before = await keeperLine('bar55');

    await openPanel();
    await page.getByRole('button', { name: 'Move Smallest file up' }).focus();
    const rules = (await ruleOrder()).length;
    for (let k = 0; k < rules - 1; k++) await page.keyboard.press('Enter');
    expect((await ruleOrder())[0]).toBe('size');
    expect(await rule('size').getByTestId('keeper-rule-up').getAttribute('aria-disabled')).toBe('true');
    await page.waitForFunction(() => [...document.querySelectorAll('.keeper-line')].some((line) => line.textContent?.includes('Keep bar55-q40.jpg ')), undefined, { timeout: 30_000 });
    expect(await keeperLine('bar55')).not.toBe(before);

    await page.getByTestId('keeper-rules-reset').click();
    await page.waitForFunction(() => [...document.querySelectorAll('.keeper-line')].some((line) => line.textContent?.includes('Keep bar55.jpg ')), undefined, { timeout: 30_000 });
  });

  it('offers to protect a folder after three copies kept from it, protects it only on yes, and never asks again after no', async () => {
    for (const [k, name] of EXPORTED.entries()) {
      await card(`${name}.jpg`).click();
      await page.getByTestId('compare-view').waitFor();
      await page.getByTestId('keep-instead').click();
      await page.keyboard.press('Escape');
      await card(`${name}-export.jpg`).waitFor();
      if (k < EXPORTED.length - 1) expect(await page.getByTestId('protect-folder-offer').count()).toBe(0);
    }
    const offer = page.getByTestId('protect-folder-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain(`You kept photos from ${EXPORTS} over the suggestion 3 times. Protect this folder? Its photos will always be kept.`);
    // Nothing was protected without a yes.
    expect(await page.getByTestId('protected-folder').count()).toBe(0);
    expect(await noSidewaysScroll()).toBe(true);
    const found = await shotsAndAudit(page, 'keeper-rules-2-offer-overview');
    // Shown in a group's view too, above it.
    await card(`${EXPORTED[0]}-export.jpg`).click();
    await page.getByTestId('compare-view').waitFor();
    expect(await offer.isVisible()).toBe(true);
    expect(await noSidewaysScroll()).toBe(true);
    found.push(...(await shotsAndAudit(page, 'keeper-rules-3-offer-in-group')));

    await page.getByTestId('protect-folder-accept').click();
    await expect.poll(() => page.locator('[data-testid=protected-folder] span').allTextContents()).toEqual([EXPORTS]);
    expect(await offer.count()).toBe(0);

    // Protecting it no more brings the offer back; no is remembered across a reload.
    await page.getByRole('button', { name: `Stop protecting ${EXPORTS}` }).click();
    await offer.waitFor();
    await page.getByTestId('protect-folder-dismiss').click();
    expect(await offer.count()).toBe(0);
    await page.reload();
    await waitForGroups();
    await page.getByTestId('keeper-rules').waitFor();
    expect(await page.getByTestId('protected-folder').count()).toBe(0);
    expect(await offer.count()).toBe(0);
    expect(found, found.join('\n')).toEqual([]);
  });
});

describe.skipIf(!chromiumPath)('similar shots: the sharper frame', () => {
  let shotsHost: ServeProcess;
  let shotsContext: BrowserContext;

  beforeAll(async () => {
    const shotsLibrary = tempDir('doppel-sharper-lib-');
    const source = join(BENCH_ORIGINALS, 'kpa_pool.jpg');
    const camera = { Make: 'OLYMPUS OPTICAL CO.,LTD', Model: 'C40Z,D40Z' };
    await sharp(source).withExif({ IFD0: camera, IFD2: { DateTimeOriginal: '2005:05:17 21:52:37' } }).jpeg({ quality: 95 }).toFile(join(shotsLibrary, 'pool.jpg'));
    // Four seconds later, people moved (a third of the frame changed) and the camera shook.
    const { width, height } = await sharp(source).metadata();
    const moved = await sharp(join(BENCH_ORIGINALS, 'kpa_spiff.jpg')).resize(Math.round(width! * 0.45), Math.round(height! * 0.7)).toBuffer();
    const later = await sharp(source).composite([{ input: moved, left: Math.round(width! * 0.3), top: Math.round(height! * 0.2) }]).toBuffer();
    await sharp(later).blur(2.5).withExif({ IFD0: camera, IFD2: { DateTimeOriginal: '2005:05:17 21:52:41' } }).jpeg({ quality: 95 }).toFile(join(shotsLibrary, 'pool-shaken.jpg'));

    ({ host: shotsHost, context: shotsContext, page } = await openHost(chromiumPath!, 'sharper', [shotsLibrary]));
    // Found by the verification stage, after the hash groups.
    await page.getByTestId('similar-shots').waitFor({ timeout: 120_000 });
  }, 150_000);

  afterAll(async () => {
    await shotsContext?.close();
    await shotsHost?.stop();
  });

  it('suggests the sharper frame with a badge that says why, and marks nothing', async () => {
    const shots = page.getByTestId('similar-shots');
    await shots.locator('summary').click();
    const badge = shots.getByTestId('sharpest-frame');
    expect(await badge.count()).toBe(1);
    expect(await badge.textContent()).toBe('sharper');
    expect(await badge.getAttribute('title')).toBe('sharper: more fine detail measured; a suggestion, nothing is marked');
    // On the steady frame, not the shaken one.
    expect(await badge.locator('xpath=..').locator('img').getAttribute('alt')).toBe('pool.jpg');
    expect(await page.getByTestId('trash-marked').textContent()).toContain('Move 0 files');
    expect(await noSidewaysScroll()).toBe(true);
    const found = await shotsAndAudit(page, 'keeper-rules-4-sharper-frame');
    expect(found, found.join('\n')).toEqual([]);
  });
});
