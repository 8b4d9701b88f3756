// The verification stage in the browser UI, against the real host and its worker processes:
// a 15% crop and a straightened copy that no hash matches join their original's group once
// main has aligned them (labelled as edits, with the evidence in the compare table), and
// another moment of the same scene is listed apart as a similar shot, never suggested.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEditedCopies } from '../test/edited-copies';
import { tempDir } from '../test/helpers';
import { accessibilityViolations, describeViolations } from './axe';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/verification.test.ts');

const library = tempDir('doppel-verify-lib-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

describe.skipIf(!chromiumPath)('verification in the app', () => {
  beforeAll(async () => {
    await makeEditedCopies(library);
    host = await serve(await freePort(), tempDir('doppel-verify-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-verify-profile-'));
    page = await context.newPage();
    await page.goto(host.url);
    // Hash groups first (none here), then the candidates, main's verdicts and a re-cluster.
    await page.waitForFunction(() => document.querySelector('[data-testid=group-card][data-group-size="3"]'), undefined, { timeout: 90_000, polling: 250 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('groups the crop and the straightened copy with their original, labelled as edits', async () => {
    await page.getByTestId('similar-shots').waitFor();
    await page.screenshot({ path: join(SHOTS, 'verification-1-overview.png'), fullPage: true });
    await page.locator('[data-testid=group-card]').filter({ hasText: 'pool' }).click();
    await page.getByTestId('compare-view').waitFor();
    const facts = (await page.locator('.member').allTextContents()).join('\n');
    expect(facts).toContain('pool-crop.jpg');
    expect(facts).toContain('pool-straightened.jpg');
    expect(facts).toMatch(/edited: cropped/);
    expect(await page.getByTestId('compare-view').textContent()).toMatch(/Evidence.*RANSAC/s);
    await page.screenshot({ path: join(SHOTS, 'verification-2-compare.png'), fullPage: true });
    await page.keyboard.press('Escape');
  });

  it('lists another moment of the scene as a similar shot, outside every group and suggestion', async () => {
    const shots = page.getByTestId('similar-shots');
    await shots.locator('summary').click();
    const shot = shots.getByTestId('similar-shot');
    expect(await shot.count()).toBe(1);
    expect(await shot.textContent()).toMatch(/pool-a-moment-later\.jpg.*pool\.jpg|pool\.jpg.*pool-a-moment-later\.jpg/s);
    expect(await shot.textContent()).toContain('4 s apart');
    const cards = (await page.getByTestId('group-card').allTextContents()).join('\n');
    expect(cards).not.toContain('pool-a-moment-later');
    // Two suggestions: the crop and the straightened copy, not the other moment.
    expect(await page.getByTestId('accept-suggestions').textContent()).toContain('Mark all 2 suggested');
    await page.screenshot({ path: join(SHOTS, 'verification-3-similar-shots.png'), fullPage: true });
    const violations = await accessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
