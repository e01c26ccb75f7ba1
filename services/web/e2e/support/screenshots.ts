import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** Committed, and shown in the web app's README ("In pictures"). */
const SCREENSHOTS_DIR = join(import.meta.dirname, '..', '..', 'screenshots');

/** Writes the page as `<name>.png` into services/web/screenshots. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  // Without the focus ring of whatever was typed in last: the picture shows the page, not the test.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
