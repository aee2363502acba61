import type { Page } from 'playwright-core';

/**
 * Presses Tab through the page and returns how many of the controls inside `main` (links, buttons,
 * fields, scrollable regions) took focus, and how many there are: equal when the keyboard alone
 * reaches every one.
 */
export async function tabReach(page: Page): Promise<{ reached: number; controls: number }> {
  const controls = (await page.evaluate(`[...document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select, main [tabindex="0"]')].length`)) as number;
  const reached = new Set<unknown>();
  for (let i = 0; i < controls + 40; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(`(() => { const a = document.activeElement; if (!a || !a.closest('main')) return null; return [...document.querySelectorAll('main *')].indexOf(a); })()`);
    if (at !== null) reached.add(at);
  }
  return { reached: reached.size, controls };
}
