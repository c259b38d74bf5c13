import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real application listening on a local port, and Debian's Chromium driven by playwright-core.
 * A missing browser is an error: browser tests never pass by being skipped.
 */
export async function startBrowserSession(options: { clock?: TestClock } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await startTestApp({ clock: options.clock, env: { PUBLIC_URL: baseUrl, PORT: String(port) } });
  await app.http!.listen({ port, host: '127.0.0.1' });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-chromium-'));
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pageErrors: string[] = [];
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  };
  return {
    app,
    baseUrl,
    browser,
    newPage,
    pageErrors,
    /** A new page signed in through the login form, on the home page (« Bonjour … »). */
    async signedIn(email: string, password = DEMO_PASSWORD): Promise<Page> {
      const page = await newPage();
      await logInThroughForm(page, email, password);
      await page.getByRole('heading', { name: /^Bonjour/ }).waitFor();
      return page;
    },
    /** The id of the structure with this SIRET. */
    async structureId(siret: string): Promise<number> {
      return (await app.ctx.db.selectFrom('structures').select('id').where('identifier', '=', siret).executeTakeFirstOrThrow()).id;
    },
    async close() {
      await browser.close().catch(() => {});
      await app.cleanup();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form. */
export async function logInThroughForm(page: Page, email: string, password: string) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Reloads the page until the text shows: what the queue does in the background appears after a reload. */
export async function waitForText(page: Page, text: RegExp | string) {
  for (let i = 0; i < 60; i++) {
    if ((await page.getByText(text).count()) > 0) return;
    await page.waitForTimeout(250);
    await page.reload();
  }
  throw new Error(`never saw ${text}`);
}
