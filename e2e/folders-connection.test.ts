// Watched folders and the connection to the host in Debian's Chromium against `doppel serve`:
// removing a folder (asked first; its groups leave, its files stay), and a host that stops and
// starts again on the same port and data folder: a banner, file actions disabled, and the open
// tab working again by itself with the same token, its folders watched again.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { accessibilityViolations, describeViolations } from './axe';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/folders-connection.test.ts');

// Long names: nothing may clip or scroll sideways at 900×700.
const base = tempDir('doppel-e2e-folders-');
const holidays = join(base, 'Holiday photos from the long summer trip to the seaside, exported copies');
const family = join(base, 'Family archive scanned from the albums in the attic, second pass');
const data = tempDir('doppel-e2e-folders-data-');
let port: number;
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

const groupSizes = () => page.locator('[data-testid=group-card]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-group-size')).sort().join(','));

async function waitForCards(sizes: string): Promise<void> {
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('[data-testid=group-card]')].map((c) => c.getAttribute('data-group-size')).sort().join(',') === want,
    sizes,
    { timeout: 60_000, polling: 200 },
  );
}

/** The page at 900×700 in light and dark, and the WCAG violations of what this file tests (the
 *  folders panel and the banner; the other screens have their own audits). */
async function shots(name: string): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `folders-${name}-${colorScheme}.png`) });
    const ours = (await accessibilityViolations(page)).filter((v) => v.targets.some((t) => /\.roots|\.root|connection-lost|remove/.test(t)));
    if (ours.length) found.push(`${colorScheme} ${name}:\n${describeViolations(ours)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found.join('\n')).toBe('');
}

const rootItem = (folder: string) => page.getByTestId('root-item').filter({ has: page.locator('.root-path', { hasText: folder }) });

async function addFolder(folder: string): Promise<void> {
  await page.getByTestId('add-root-input').fill(folder);
  await page.getByTestId('add-root-button').click();
  await rootItem(folder).waitFor();
}

describe.skipIf(!chromiumPath)('folders and the connection to the host', () => {
  beforeAll(async () => {
    for (const folder of [holidays, family]) mkdirSync(folder);
    const photo = (name: string) => join(BENCH_ORIGINALS, name);
    copyFileSync(photo('kpa_bar55.jpg'), join(holidays, 'bar.jpg'));
    copyFileSync(photo('kpa_bar55.jpg'), join(holidays, 'bar, the copy exported for the printing shop in the old town square.jpg'));
    copyFileSync(photo('kpa_pool.jpg'), join(family, 'pool.jpg'));
    copyFileSync(photo('kpa_pool.jpg'), join(family, 'pool, a second copy that came back from the backup drive of the old laptop.jpg'));
    copyFileSync(photo('kpa_donna.jpg'), join(family, 'donna.jpg'));
    copyFileSync(photo('kpa_donna.jpg'), join(family, 'donna, sent by email to the whole family at new year.jpg'));
    port = await freePort();
    // One folder from the command line (the page adds it on every load), one added in the page.
    host = await serve(port, data, [holidays]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-e2e-folders-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(host.url);
    await rootItem(holidays).waitFor();
    await addFolder(family);
    await waitForCards('2,2,2');
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('removes a watched folder after asking: its groups leave, its files stay, and it stays removed', async () => {
    await rootItem(holidays).getByTestId('remove-root').click();
    const confirm = rootItem(holidays).getByRole('alertdialog');
    expect(await confirm.textContent()).toContain("Stop watching Holiday photos from the long summer trip to the seaside, exported copies? Its photos stay on disk; they leave Doppel's groups.");
    // Nothing scrolls sideways, and the confirmation shows whole.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await shots('1-remove-asks');

    await page.getByTestId('confirm-remove-root').click();
    await waitForCards('2,2');
    expect(await page.getByTestId('root-item').count()).toBe(1);
    expect(existsSync(join(holidays, 'bar.jpg'))).toBe(true);
    expect(existsSync(join(holidays, 'bar, the copy exported for the printing shop in the old town square.jpg'))).toBe(true);
    await shots('2-removed');

    // Main no longer watches it nor names it as a folder to add: a reload leaves it out.
    await page.reload();
    await rootItem(family).waitFor();
    await waitForCards('2,2');
    expect(await page.getByTestId('root-item').count()).toBe(1);
  }, 120_000);

  it('says when the host stops answering, disables file actions, and works again once it is back', async () => {
    // A move to restore later, and a marked file waiting in the open dialog.
    const moved = tempDir('doppel-e2e-folders-moved-');
    await page.locator('[data-testid=group-card]').first().click();
    const movedName = (await page.locator('.member.current strong').textContent())!;
    await page.getByTestId('mark-delete').click();
    await page.getByTestId('trash-marked').click();
    await page.getByTestId('move-destination').fill(moved);
    await page.getByTestId('confirm-move').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=confirm-move]'));
    expect(existsSync(join(family, movedName))).toBe(false);
    await page.keyboard.press('Escape');
    await waitForCards('2');
    await page.locator('[data-testid=group-card]').first().click();
    await page.getByTestId('mark-delete').click();
    await page.getByTestId('trash-marked').click();
    await page.getByTestId('move-destination').fill(moved);
    expect(await page.getByTestId('confirm-trash').isEnabled()).toBe(true);

    const firstUrl = host.url;
    await host.stop();
    await page.getByTestId('connection-lost').waitFor();
    expect(await page.getByTestId('connection-lost').textContent()).toContain('Doppel is not answering.');
    for (const action of ['confirm-trash', 'confirm-move']) expect(await page.getByTestId(action).isDisabled(), action).toBe(true);
    await shots('3-connection-lost-dialog');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
    for (const action of ['trash-marked', 'restore-action', 'remove-root']) expect(await page.getByTestId(action).first().isDisabled(), action).toBe(true);
    await shots('4-connection-lost');

    // Same port, same data folder: the same token, so the open tab reconnects by itself.
    host = await serve(port, data);
    expect(host.url).toBe(firstUrl);
    await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 30_000 });
    for (const action of ['trash-marked', 'restore-action', 'remove-root']) expect(await page.getByTestId(action).first().isEnabled(), action).toBe(true);

    // Main answers (the restore), and watches the folder again: the restored file rejoins its group.
    await page.getByTestId('restore-action').first().click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=history-item]')].some((item) => item.textContent?.includes('restored')));
    expect(existsSync(join(family, movedName))).toBe(true);
    await waitForCards('2,2');
    expect(await groupSizes()).toBe('2,2');
    await shots('5-back');
  }, 150_000);
});
