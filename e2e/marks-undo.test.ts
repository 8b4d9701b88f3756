// Marks and undo as the person sees them, in Debian's Chromium against `doppel serve`: each
// overview card says what is marked, "mark all" and "unmark all" are one step each that one undo
// takes back (saying what it undid), undo acts in the group or overview it is pressed in, and the
// confirmation offers exactly what is marked, group by group beside the copy that stays, even
// when it is opened in the same instant as "mark all".
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { shotsAndAudit } from './axe';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/marks-undo.test.ts');

const library = tempDir('doppel-marks-lib-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

const ORIGINALS = ['kpa_bar55.jpg', 'kpa_pool.jpg', 'kpa_donna.jpg', 'kpa_jesper.jpg'];
/** Long names, as exports and synced folders make them: nothing may scroll sideways. */
const LONG = 'holiday-export-from-the-family-laptop-2024-06-15-before-the-big-reorganisation';
/** Each original with an identical copy and a smaller re-encoded copy: 4 groups of 3, 8 suggested. */
const SUGGESTED = 8;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `marks-undo-${name}.png`), fullPage: true });
const text = (testId: string) => page.getByTestId(testId).first().textContent();
const waitForText = (testId: string, wanted: string) =>
  page.waitForFunction(([id, want]) => document.querySelector(`[data-testid=${id}]`)?.textContent?.includes(want), [testId, wanted] as const, { timeout: 30_000 });
const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe.skipIf(!chromiumPath)('marks and undo you can see', () => {
  beforeAll(async () => {
    for (const [k, original] of ORIGINALS.entries()) {
      const source = join(BENCH_ORIGINALS, original);
      copyFileSync(source, join(library, `${LONG}-${k}.jpg`));
      copyFileSync(source, join(library, `${LONG}-${k}-identical-copy.jpg`));
      await sharp(source).resize({ width: 600 }).jpeg({ quality: 80 }).toFile(join(library, `${LONG}-${k}-small.jpg`));
    }
    host = await serve(await freePort(), tempDir('doppel-marks-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-marks-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(host.url);
    // Every file in, nothing re-clustering: all 8 suggestions on offer.
    await waitForText('accept-suggestions', `Mark all ${SUGGESTED} suggested`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card]').length === 4, undefined, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('the confirmation opened in the same instant as "mark all" offers every marked file, group by group', async () => {
    // One file marked first, so the trash button is enabled while "mark all" stores its marks.
    await page.locator('[data-testid=group-card]').first().click();
    await page.getByTestId('mark-delete').click();
    await page.keyboard.press('Escape');
    await waitForText('trash-marked', 'Move 1 file');
    await waitForText('accept-suggestions', `Mark all ${SUGGESTED - 1} suggested`);

    // The title as the dialog first renders it: what the person is offered when it opens.
    const firstTitle = page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          new MutationObserver((_, observer) => {
            const title = document.querySelector('#trash-title');
            if (title) {
              observer.disconnect();
              resolve(title.textContent ?? '');
            }
          }).observe(document.body, { childList: true, subtree: true, characterData: true });
          (document.querySelector('[data-testid=accept-suggestions]') as HTMLButtonElement).click();
          (document.querySelector('[data-testid=trash-marked]') as HTMLButtonElement).click();
        }),
    );
    expect(await firstTitle).toContain(`Move ${SUGGESTED} files`);
    await page.getByTestId('confirm-trash').waitFor();
    expect(await page.locator('#trash-title').textContent()).toContain(`Move ${SUGGESTED} files`);
    // Each group once, its keeper beside the two copies that go.
    expect(await page.getByTestId('trash-preview-group').count()).toBe(4);
    expect(await page.getByTestId('trash-preview-file').count()).toBe(SUGGESTED);
    expect(await page.locator('[data-testid=trash-preview-group] .stays').count()).toBe(4);
    expect(await page.locator('[data-testid=trash-preview] img').count()).toBeLessThanOrEqual(4 * 5);
    expect(await noSidewaysScroll()).toBe(true);
    const found = await shotsAndAudit(page, 'marks-undo-1-confirm');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(found, found.join('\n')).toEqual([]);
  });

  it('each card says what is marked, and one undo in the overview takes "mark all" back, saying so', async () => {
    const badges = await page.getByTestId('group-marks').allTextContents();
    expect(badges).toEqual(['2 of 3 marked', '2 of 3 marked', '2 of 3 marked', '2 of 3 marked']);
    expect(await page.locator('[data-testid=group-card] img.marked').count()).toBe(SUGGESTED);
    expect(await noSidewaysScroll()).toBe(true);
    const found = await shotsAndAudit(page, 'marks-undo-2-overview-marked');
    expect(found, found.join('\n')).toEqual([]);

    await page.getByTestId('undo').click();
    await waitForText('undo-message', `Undid: marked ${SUGGESTED - 1} suggested duplicates`);
    expect(await text('trash-marked')).toContain('Move 1 file');
    expect(await page.getByTestId('group-marks').allTextContents()).toEqual(['1 of 3 marked']);
    await page.keyboard.press('u');
    await waitForText('undo-message', 'Undid: marked');
    await waitForText('trash-marked', 'Move 0 files');
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    await shot('3-overview-undone');
  });

  it('undo in a group takes back that group’s part only; the overview then undoes the rest', async () => {
    await page.getByTestId('accept-suggestions').click();
    await waitForText('trash-marked', `Move ${SUGGESTED} files`);
    await page.locator('[data-testid=group-card]').nth(1).click();
    await page.getByTestId('compare-view').waitFor();
    await page.keyboard.press('u');
    await waitForText('undo-message', 'Undid: marked 2 suggested duplicates');
    await waitForText('trash-marked', `Move ${SUGGESTED - 2} files`);
    // Nothing else was changed in this group: its undo has nothing left.
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    expect(await noSidewaysScroll()).toBe(true);
    const found = await shotsAndAudit(page, 'marks-undo-4-group-undone');
    expect(found, found.join('\n')).toEqual([]);

    await page.keyboard.press('Escape');
    await page.getByTestId('undo').click();
    await waitForText('undo-message', `Undid: marked ${SUGGESTED - 2} suggested duplicates`);
    await waitForText('trash-marked', 'Move 0 files');
  });

  it('U in one group does not bring back a photo taken out of another group', async () => {
    await page.reload(); // a fresh undo history; the marks stay
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card]').length === 4);
    await page.locator('[data-testid=group-card]').first().click();
    await page.getByTestId('compare-view').waitFor();
    await page.keyboard.press('n');
    await page.keyboard.press('Escape');
    const sizes = () => page.locator('[data-testid=group-card]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-group-size')).sort().join(','));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=group-card]')].some((c) => c.getAttribute('data-group-size') === '2'));

    await page.locator('[data-testid=group-card][data-group-size="3"]').first().click();
    await page.getByTestId('compare-view').waitFor();
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    await page.keyboard.press('u');
    await page.keyboard.press('Escape');
    expect(await sizes()).toBe('2,3,3,3');

    await page.getByTestId('undo').click();
    await waitForText('undo-message', 'is not a duplicate');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=group-card]')].every((c) => c.getAttribute('data-group-size') === '3'));
  });

  it('"unmark all" is one step, and one undo brings every mark back', async () => {
    await page.getByTestId('accept-suggestions').click();
    await waitForText('unmark-all', `Unmark all ${SUGGESTED}`);
    await page.getByTestId('unmark-all').click();
    await waitForText('trash-marked', 'Move 0 files');
    expect(await page.getByTestId('group-marks').count()).toBe(0);
    await page.getByTestId('undo').click();
    await waitForText('undo-message', `Undid: unmarked ${SUGGESTED} files`);
    await waitForText('trash-marked', `Move ${SUGGESTED} files`);
  });
});
