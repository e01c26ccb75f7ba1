import { test as base } from '@playwright/test';
import { webUrl } from './web-url';

/** Playwright's test, with the page's origin that global setup started (known only then). */
export const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  baseURL: async ({}, use) => use(webUrl()),
});

export { expect } from '@playwright/test';
