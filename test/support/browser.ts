import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);

/** Where screenshots go (git-ignored); a test's screens are numbered in the order it visits them. */
export const SHOTS_DIR = resolve('test-output/console');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Screenshot of the current screen plus an axe-core check: no serious or critical violation. */
  screen(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Chromium from the Debian package through playwright-core: headless, no sandbox (root in CI), no
 * network of its own (no QUIC, background fetches, component updates or sync), a fresh profile.
 */
export async function openBrowser(testName: string, viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rollcall-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const dir = join(SHOTS_DIR, testName.replace(/[^\w-]+/g, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    context,
    page,
    async screen(name) {
      n += 1;
      await page.screenshot({ path: join(dir, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
      const violations = await axeCheck(page);
      if (violations.length > 0) {
        throw new Error(`axe on ${name}: ${violations.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((x) => x.target.join(' ')).join('; ')}`).join(' | ')}`);
      }
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs axe-core in the page. It is evaluated through the DevTools protocol rather than injected as
 * a script tag, which the console's CSP (rightly) refuses.
 */
export async function axeCheck(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe');
  if (loaded === 'undefined') await page.evaluate(axeSource);
  const result = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
