// What the group and compare views say is true, in Debian's Chromium against `doppel serve`:
// after "keep this one instead" every member is described against the new keeper; the zoom
// and flicker labels name what is shown; a group of 22 keeps its compare view in sight, does
// not scroll sideways at 900×700 with long names, and names its dendrogram leaves in the grid's
// order; Esc closes the shortcuts sheet before it leaves the group; similar shots open in the
// compare view.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEditedCopies } from '../test/edited-copies';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { chromiumFor, freePort, launchBrowser, openHost, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/compare-truth.test.ts');

const LONG = 'a-very-long-file-name-without-any-spaces-from-a-phone-export-2019-08-14';
const ORIGINAL = `${LONG}-original.jpg`;
const IDENTICAL = `${LONG}-identical-copy.jpg`;
const SMALL = `${LONG}-small.jpg`;
const POOL_COPIES = 21;

const library = tempDir('doppel-truth-lib-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

const shot = async (name: string) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `compare-truth-${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
};
const card = (name: string) => page.locator('[data-testid=member]').filter({ has: page.locator('strong', { hasText: name }) });
const keeperName = () => page.locator('[data-testid=member]').filter({ has: page.locator('.badge', { hasText: /^Keep$/ }) }).locator('strong').textContent();
/** The candidate's cell of a compare-table row. */
const row = (label: string) =>
  page
    .locator('.compare-table tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) })
    .locator('td')
    .nth(1);

async function openGroup(size: number): Promise<void> {
  await page.locator(`[data-testid=group-card][data-group-size="${size}"]`).click();
  await page.getByTestId('compare-view').waitFor();
}
async function backToGroups(): Promise<void> {
  await page.getByRole('button', { name: '← All groups' }).click();
  await page.locator('[data-testid=group-card]').first().waitFor();
}

describe.skipIf(!chromiumPath)('what the group and compare views say is true', () => {
  beforeAll(async () => {
    const bar = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
    copyFileSync(bar, join(library, ORIGINAL));
    copyFileSync(bar, join(library, IDENTICAL));
    await sharp(bar).resize({ width: 400 }).jpeg({ quality: 85 }).toFile(join(library, SMALL));
    const pool = join(BENCH_ORIGINALS, 'kpa_pool.jpg');
    copyFileSync(pool, join(library, `${LONG}-pool.jpg`));
    for (let k = 0; k < POOL_COPIES; k++) await sharp(pool).resize({ width: 300 + 20 * k }).jpeg({ quality: 70 + k }).toFile(join(library, `${LONG}-pool-export-${String(k).padStart(2, '0')}.jpg`));
    const garden = join(BENCH_ORIGINALS, 'mate_Garden.jpg');
    copyFileSync(garden, join(library, `${LONG}-garden.jpg`));
    await sharp(garden).flop().jpeg({ quality: 90 }).toFile(join(library, `${LONG}-garden-mirrored.jpg`));
    // A bordered copy and a mirrored one: no hash matches the two (none is both trimmed and
    // flipped); the resized copies hold them in one group.
    const donna = join(BENCH_ORIGINALS, 'kpa_donna.jpg');
    copyFileSync(donna, join(library, `${LONG}-donna.jpg`));
    await sharp(donna).flop().jpeg({ quality: 90 }).toFile(join(library, `${LONG}-donna-mirrored.jpg`));
    await sharp(donna).extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' }).jpeg({ quality: 92 }).toFile(join(library, `${LONG}-donna-bordered.jpg`));
    for (const width of [500, 600, 700]) await sharp(donna).resize({ width }).jpeg({ quality: 85 }).toFile(join(library, `${LONG}-donna-${width}.jpg`));
    host = await serve(await freePort(), tempDir('doppel-truth-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-truth-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(host.url);
    await page.waitForFunction(
      (want) => [...document.querySelectorAll('[data-testid=group-card]')].map((c) => c.getAttribute('data-group-size')).sort().join(',') === want,
      `2,${POOL_COPIES + 1},3,6`,
      { timeout: 90_000, polling: 200 },
    );
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('after "keep this one instead", every member is described against the new keeper', async () => {
    await openGroup(3);
    const suggested = (await keeperName())!;
    const twin = suggested === ORIGINAL ? IDENTICAL : ORIGINAL;
    expect([ORIGINAL, IDENTICAL]).toContain(suggested);

    // Keep the small copy instead: the two big copies are now resized versions of it.
    await card(SMALL).click();
    await page.getByTestId('keep-instead').click();
    await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid=member]')].some((m) => m.querySelector('strong')?.textContent === name && m.textContent!.includes('chosen by you')), SMALL);
    await card(suggested).click();
    await expect.poll(() => row('Kind').textContent()).toMatch(/^suggested keeper; same photo/);
    expect(await row('Same bytes').textContent()).toBe('no');
    expect(Number(await row('Similarity').textContent())).toBeLessThan(1);
    await card(twin).click();
    await expect.poll(() => row('Kind').textContent()).toMatch(/^same photo/);
    expect(Number(await row('Similarity').textContent())).toBeLessThan(1);
    expect(await row('Evidence').textContent()).toMatch(/PDQ hashes \d+ of 256 bits apart/);
    await shot('1-small-kept');

    // Keep the identical twin instead: the suggested keeper is its byte-identical copy.
    await page.getByTestId('keep-instead').click();
    await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid=member]')].some((m) => m.querySelector('strong')?.textContent === name && m.textContent!.includes('chosen by you')), twin);
    await card(suggested).click();
    await expect.poll(() => row('Kind').textContent()).toBe('suggested keeper; identical bytes');
    expect(await row('Same bytes').textContent()).toBe('yes (identical file)');
    expect(await row('Similarity').textContent()).toBe('1.000');
    expect(await row('Evidence').textContent()).toBe('SHA-256 of the two files is equal');
    await card(SMALL).click();
    await expect.poll(() => row('Same bytes').textContent()).toBe('no');
    expect(await row('Kind').textContent()).not.toMatch(/identical|suggested keeper/);
    await shot('2-twin-kept');
  });

  it('a mirrored copy reads "flipped", with the group\'s similarity', async () => {
    await backToGroups();
    await openGroup(2);
    expect(await row('Kind').textContent()).toBe('same photo, flipped');
    expect(await row('Evidence').textContent()).toMatch(/^PDQ hashes \d+ of 256 bits apart once flipped/);
    const header = (await page.locator('.group-view-header .muted').textContent())!;
    const similarity = Number(await row('Similarity').textContent());
    expect(header).toBe(`similarity ≥ ${similarity.toFixed(2)}`);
    expect(similarity).toBeGreaterThan(0.8);
    await shot('3-mirrored');
    await backToGroups();
    await openGroup(3);
  });

  it('a mirrored copy with a bordered keeper reads a similarity no lower than its group\'s, and through which copy', async () => {
    await backToGroups();
    await openGroup(6);
    const bordered = `${LONG}-donna-bordered.jpg`;
    if ((await keeperName()) !== bordered) {
      await card(bordered).click();
      await page.getByTestId('keep-instead').click();
      await expect.poll(() => keeperName()).toBe(bordered);
    }
    await card(`${LONG}-donna-mirrored.jpg`).click();
    const header = (await page.locator('.group-view-header .muted').textContent())!;
    await expect.poll(async () => Number(await row('Similarity').textContent())).toBeGreaterThanOrEqual(Number(header.replace('similarity ≥ ', '')));
    expect(await row('Kind').textContent()).toMatch(/flipped/);
    await shot('4-mirrored-bordered-keeper');
    await backToGroups();
    await openGroup(3);
  });

  it('names the zoom and the image shown while Space is held', async () => {
    const label = page.getByTestId('zoom-label');
    expect(await label.textContent()).toBe('Fit');
    await page.getByTestId('zoom-actual').click();
    expect(await label.textContent()).toBe('1:1');
    await page.getByRole('button', { name: 'Fit', exact: true }).last().click();
    expect(await label.textContent()).toBe('Fit');

    const caption = page.getByTestId('candidate-caption');
    const candidate = (await page.locator('[data-testid=member].current strong').textContent())!;
    expect(await caption.textContent()).toContain(`Candidate: ${candidate}`);
    await page.keyboard.down('Space');
    await expect.poll(() => caption.textContent()).toMatch(/^Keep \(Space held\): /);
    expect(await caption.textContent()).toContain((await page.getByTestId('keeper-caption').textContent())!.replace(/^Keep: /, '').split(' · ')[0]);
    await shot('5-space-held');
    await page.keyboard.up('Space');
    await expect.poll(() => caption.textContent()).toContain(`Candidate: ${candidate}`);
  });

  it('Esc closes the shortcuts sheet without leaving the group; a second Esc leaves it', async () => {
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await page.getByTestId('compare-view').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('compare-view').waitFor({ state: 'detached' });
    await page.locator('[data-testid=group-card]').first().waitFor();
  });

  it('a group of 22 at 900×700: compare view in sight, nothing clipped or scrolling sideways, leaves named in the grid order', async () => {
    await openGroup(POOL_COPIES + 1);
    const compareTop = await page.getByTestId('compare-view').evaluate((el) => el.getBoundingClientRect().top);
    expect(compareTop).toBeLessThan(700);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    // No card clips its facts: each card's content fits its box.
    const clipped = await page.locator('[data-testid=member]').evaluateAll((cards) => cards.filter((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1).length);
    expect(clipped).toBe(0);

    const leaves = page.getByTestId('dendrogram-leaf');
    expect(await leaves.count()).toBe(POOL_COPIES + 1);
    const leafNames = await leaves.evaluateAll((gs) => gs.map((g) => g.querySelector('title')!.textContent!.split('\n')[0]!.split('/').pop()));
    const gridNames = await page.locator('[data-testid=member] strong').allTextContents();
    expect(leafNames).toEqual(gridNames);
    expect(gridNames[0]).toBe(await keeperName());
    expect((await leaves.first().locator('title').textContent())!).toMatch(/Similarity \d\.\d{3}|Keep: /);

    // A subtree selected in the tree is marked on its leaves.
    await page.locator('[data-testid=dendrogram] path.link').first().dispatchEvent('click');
    const marked = await page.locator('[data-testid=dendrogram-leaf].in-subtree').count();
    expect(marked).toBeGreaterThan(1);
    expect(await page.locator('.split-bar').textContent()).toContain(`Selected subtree: ${marked} photos`);
    await shot('6-group-of-22');

    // A wide window puts the compare view beside the members, in view.
    await page.setViewportSize({ width: 1280, height: 820 });
    const [list, compare] = await Promise.all([page.getByTestId('members').boundingBox(), page.getByTestId('compare-view').boundingBox()]);
    expect(compare!.x).toBeGreaterThanOrEqual(list!.x + list!.width);
    expect(compare!.y).toBeLessThan(820 / 2);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: join(SHOTS, `compare-truth-6-group-of-22-wide-${colorScheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 900, height: 700 });

    // → walks the grid's order.
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=group-card]').first().waitFor();
    await openGroup(POOL_COPIES + 1);
    const current = () => page.locator('[data-testid=member].current strong').textContent();
    const keeper = (await keeperName())!;
    const candidates = gridNames.filter((name) => name !== keeper);
    const before = (await current())!;
    await page.keyboard.press('ArrowRight');
    expect(await current()).toBe(candidates[(candidates.indexOf(before) + 1) % candidates.length]);
    await backToGroups();
  });
});

describe.skipIf(!chromiumPath)('similar shots in the compare view', () => {
  let shotsHost: ServeProcess;
  let shotsContext: BrowserContext;

  beforeAll(async () => {
    const shotsLibrary = tempDir('doppel-truth-shots-');
    await makeEditedCopies(shotsLibrary);
    ({ host: shotsHost, context: shotsContext, page } = await openHost(chromiumPath!, 'truth-shots', [shotsLibrary]));
    // The similar shot is found by the verification stage, after the hash groups.
    await page.getByTestId('similar-shots').waitFor({ timeout: 120_000 });
  }, 150_000);

  afterAll(async () => {
    await shotsContext?.close();
    await shotsHost?.stop();
  });

  it('opens a pair of similar shots side by side, with flicker, and closes it', async () => {
    const shots = page.getByTestId('similar-shots');
    await shots.locator('summary').click();
    await shots.getByTestId('similar-shot-compare').click();
    const compare = shots.getByTestId('compare-view');
    await compare.waitFor();
    const names = (await shots.getByTestId('similar-shot').locator('strong').allTextContents()).sort();
    expect(names).toEqual(['pool-a-moment-later.jpg', 'pool.jpg']);
    expect(await compare.getByTestId('keeper-caption').textContent()).toMatch(/^First shot: pool/);
    expect(await compare.getByTestId('candidate-caption').textContent()).toMatch(/^Other shot: pool/);
    expect(await row('Kind').textContent()).toMatch(/^similar shot: taken 4 s apart/);
    expect(await compare.textContent()).not.toMatch(/Same bytes|Similarity/);
    // Both photos load (no broken image).
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=similar-shots] [data-testid=compare-view] img')].every((img) => (img as HTMLImageElement).naturalWidth > 0));
    // 1:1 works from the images' own sizes (a similar shot's are not stored with it).
    await compare.getByTestId('zoom-actual').click();
    expect(await compare.getByTestId('zoom-label').textContent()).toBe('1:1');
    expect(await compare.locator('img').first().evaluate((img) => (img as HTMLImageElement).style.transform)).not.toContain('scale(1)');
    await compare.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.keyboard.down('Space');
    await expect.poll(() => compare.getByTestId('candidate-caption').textContent()).toMatch(/^First shot \(Space held\)/);
    await page.keyboard.up('Space');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await compare.scrollIntoViewIfNeeded();
    await shot('7-similar-shots');
    await shots.getByTestId('similar-shot-compare').click();
    await compare.waitFor({ state: 'detached' });
  });
});

