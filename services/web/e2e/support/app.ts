import { expect, type Locator, type Page } from '@playwright/test';

/** A person using the app; each test has its own (the database lives as long as the run). */
export interface Person {
  name: string;
  email: string;
  password: string;
}

export const person = (name: string): Person => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
  password: 'correct horse battery staple',
});

/** Signs up through the sign-up page and waits for the (empty) task list, live. */
export async function signUp(page: Page, who: Person): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Name (optional)').fill(who.name);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectSignedIn(page);
}

export async function signIn(page: Page, who: Person): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedIn(page);
}

/** The task list is shown and its live stream is connected. */
export async function expectSignedIn(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}

export interface NewTask {
  title: string;
  /** `datetime-local` text, in the profile's zone. */
  due?: string;
  /** Repeats weekly on these days (`Monday`…), chosen with the rule builder. */
  weeklyOn?: string[];
}

/** Opens the new-task form from the list and fills it in, without saving. */
export async function fillNewTask(page: Page, task: NewTask): Promise<void> {
  await page.getByRole('link', { name: 'New task' }).click();
  await expect(page.getByRole('heading', { name: 'New task' })).toBeVisible();
  await page.getByLabel('Title').fill(task.title);
  if (task.due) await page.getByLabel('Due').fill(task.due);
  if (task.weeklyOn) await repeatWeeklyOn(page, task.weeklyOn);
}

/** The rule builder: weekly, on the given days. */
export async function repeatWeeklyOn(page: Page, days: string[]): Promise<void> {
  await page.getByLabel('Repeats', { exact: true }).selectOption({ label: 'Weekly' });
  const weekdays = page.getByRole('group', { name: 'On' });
  for (const day of days) await weekdays.getByRole('checkbox', { name: day }).check();
}

/** The RRULE field, for people who have a rule of their own. */
export async function repeatByRule(page: Page, rrule: string): Promise<Locator> {
  await page.getByLabel('Repeats', { exact: true }).selectOption({ label: 'Custom rule (RRULE)' });
  const field = page.getByLabel('Rule (RRULE)');
  await field.fill(rrule);
  return field;
}

/** The preview's next dates (epoch ms), as the API listed them for the rule being edited. */
export const previewDates = (page: Page): Promise<number[]> =>
  dueTimes(page.getByRole('list', { name: /^Next dates/ }));

export async function createTask(page: Page, task: NewTask): Promise<void> {
  await fillNewTask(page, task);
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  await expect(tasksTitled(page, task.title).first()).toBeVisible();
}

/**
 * Ticks the Done box of the one task titled `title`; callers check what follows. A click rather
 * than Playwright's `check()`: the box follows the mutation's state, which TanStack Query reports
 * a tick after the click, so `check()`'s immediate read of the box can find it not yet ticked.
 */
export async function complete(page: Page, title: string): Promise<void> {
  await page.getByRole('checkbox', { name: `Done: ${title}` }).click();
}

/** The list's items whose title is `title`. */
export const tasksTitled = (page: Page, title: string): Locator =>
  page
    .getByRole('list', { name: 'Tasks' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });

/** The instants (epoch ms) the given list items are due, in the order shown. */
export const dueTimes = async (items: Locator): Promise<number[]> =>
  (await items.locator('time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime'))))
    .filter((at): at is string => at !== null)
    .map((at) => Date.parse(at));
