import type { Page } from '@playwright/test';
import { fillNewTask, person, previewDates, signUp, tasksTitled } from './support/app';
import { expect, test } from './support/fixtures';

/**
 * The rule builder's parts for the whole RRULE grammar (issue 16): times of day, hourly and
 * minutely intervals, "the last weekday of the month" (BYSETPOS) and week numbers, each read back
 * in the API's words with its next dates; and the product limit on how often a task repeats.
 * The profile's zone is Europe/Berlin (the browser's, playwright.config.ts).
 */

const HOUR_MS = 60 * 60 * 1000;
const repeats = (page: Page, label: string) =>
  page.getByLabel('Repeats', { exact: true }).selectOption({ label });

test('the last weekday of every month at 17:00, built, previewed and saved', async ({ page }) => {
  await signUp(page, person('Hedy Rule'));
  // Thursday 31 January 2030, the month's last weekday.
  await fillNewTask(page, { title: 'Send the invoices', due: '2030-01-31T17:00' });
  await repeats(page, 'Monthly');
  await page.getByRole('radio', { name: 'By position: the' }).check();
  await page.getByLabel('Which one of them').selectOption({ label: 'last' });
  await page.getByLabel('Kind of day').selectOption({ label: 'weekday' });
  await page.getByLabel('At', { exact: true }).fill('17:00');

  await expect(page.getByText(/^Repeats the last weekday of every month at 17:00/)).toBeVisible();
  await expect
    .poll(() => previewDates(page).then((dates) => dates.slice(0, 3)))
    .toEqual([
      Date.parse('2030-01-31T16:00:00Z'),
      Date.parse('2030-02-28T16:00:00Z'),
      Date.parse('2030-03-29T16:00:00Z'),
    ]);
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(tasksTitled(page, 'Send the invoices')).toContainText(
    'the last weekday of every month at 17:00',
  );
});

test('times of day that are not one rule are named at the input', async ({ page }) => {
  await signUp(page, person('Edsger Rule'));
  await fillNewTask(page, { title: 'Medicine', due: '2030-01-07T08:00' });
  await repeats(page, 'Daily');
  const at = page.getByLabel('At', { exact: true });
  await at.fill('8:00, 20:30');
  await expect(page.getByText(/same minutes/)).toBeVisible();
  await at.fill('8:00, 20:00');
  await expect(page.getByText(/^Repeats every day at 8:00 and 20:00/)).toBeVisible();
  await expect
    .poll(() => previewDates(page).then((dates) => dates.slice(0, 3)))
    .toEqual([
      Date.parse('2030-01-07T07:00:00Z'),
      Date.parse('2030-01-07T19:00:00Z'),
      Date.parse('2030-01-08T07:00:00Z'),
    ]);
});

test('every 3 hours is saved; every 5 minutes previews but is refused for a task', async ({
  page,
}) => {
  await signUp(page, person('Frances Rule'));
  await fillNewTask(page, { title: 'Stretch', due: '2030-01-07T09:00' });
  await repeats(page, 'Hourly');
  await page.getByRole('textbox', { name: 'Every' }).fill('3');
  await expect(page.getByText(/^Repeats every 3 hours/)).toBeVisible();
  const first = Date.parse('2030-01-07T08:00:00Z');
  await expect
    .poll(() => previewDates(page).then((dates) => dates.slice(0, 3)))
    .toEqual([first, first + 3 * HOUR_MS, first + 6 * HOUR_MS]);

  await repeats(page, 'Every few minutes');
  await page.getByRole('textbox', { name: 'Every' }).fill('5');
  await expect(page.getByText(/^Repeats every 5 minutes/)).toBeVisible();
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByText(/a task may repeat at most every 15 minutes/)).toBeVisible();

  await page.getByRole('textbox', { name: 'Every' }).fill('180');
  await expect(page.getByText(/^Repeats every 180 minutes/)).toBeVisible();
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(tasksTitled(page, 'Stretch')).toContainText('every 180 minutes');
});

test('Monday of week 1, every year', async ({ page }) => {
  await signUp(page, person('Radia Rule'));
  // Monday 31 December 2029 is in ISO week 1 of 2030.
  await fillNewTask(page, { title: 'Plan the year', due: '2029-12-31T09:00' });
  await repeats(page, 'Yearly');
  await page.getByRole('radio', { name: 'In week' }).check();
  await page.getByLabel('Week number').selectOption({ label: '1' });
  await page.getByLabel('Weekday of the week').selectOption({ label: 'Monday' });
  await expect(page.getByText(/^Repeats every year in week 1 on Monday/)).toBeVisible();
  await expect
    .poll(() => previewDates(page).then((dates) => dates.slice(0, 3)))
    .toEqual([
      Date.parse('2029-12-31T08:00:00Z'),
      Date.parse('2030-12-30T08:00:00Z'),
      Date.parse('2031-12-29T08:00:00Z'),
    ]);
});
