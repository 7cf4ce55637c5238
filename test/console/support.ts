/**
 * Browser tests of the console: the real server on 127.0.0.1 with the demo data set on a fixed
 * clock, driven through Debian's Chromium by playwright-core. Every test writes screenshots
 * under test-results/console/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { demoDataset } from '../../src/app/data/demo-dataset.ts';
import { importDataset } from '../../src/app/data/import-dataset.ts';
import { FixedClock } from '../support/clock.ts';
import { ACTOR } from '../support/factories.ts';
import { listen, testServer } from '../support/http.ts';
import { testRuntime, type TestRuntime } from '../support/store.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), 'test-results', 'console');

/** A Wednesday, 12:00 in Shanghai: inside a lunch time window. */
export const NOW = '2026-03-04T04:00:00.000Z';

export interface ConsoleFixture {
  rt: TestRuntime;
  app: FastifyInstance;
  base: string;
  browser: Browser;
  clock: FixedClock;
  close(): Promise<void>;
}

export async function startConsole(): Promise<ConsoleFixture> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (CI's .ci/run does it)`);
  mkdirSync(SHOTS, { recursive: true });
  const clock = new FixedClock(NOW);
  const rt = await testRuntime({ clock });
  await importDataset(rt.deps, demoDataset(clock.now()), { actor: ACTOR });
  const app = await testServer(rt.deps);
  const base = await listen(app);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  return {
    rt,
    app,
    base,
    browser,
    clock,
    async close() {
      await browser.close();
      await app.close();
      await rt.done();
    },
  };
}

export interface OpenPage {
  page: Page;
  context: BrowserContext;
  /** Errors thrown in the page or logged as errors: a test ends by asserting there were none. */
  errors: string[];
}

export async function openPage(fx: ConsoleFixture, locale = 'en-US'): Promise<OpenPage> {
  const context = await fx.browser.newContext({ locale, viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A refused request is logged by the browser as an error; those are the test's point, not bugs.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { page, context, errors };
}

export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/API key|API 密钥/).fill(key);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
  await page.locator('nav.side').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The text under a form field that the API or the form put there (by the API's field path). */
export function fieldError(page: Page, path: string) {
  return page.locator(`[data-field="${path}"] .field-error`);
}
