// Real headless Chromium for the browser tests (dashboard, customer-service widgets),
// driven by playwright-core. The binary comes from `npm test` (scripts/setup.mjs
// ensureChromium: CHROMIUM_PATH or Debian's chromium); playwright never downloads one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureChromium, root } from '../scripts/setup.mjs';

/** Where screenshots are kept (git-ignored; CI keeps the folder as the run's artefacts). */
export const artifactsDir = join(root, 'test-artifacts');

/** `extraArgs`: more Chromium switches (e.g. the fake camera of the web SDK test). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? ensureChromium(),
    headless: true,
    // --no-sandbox: tests run as root in CI. The networking flags stop Chromium from
    // calling Google's services, which a closed network refuses (and slows every start).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
