import {
  complete,
  dueTimes,
  fillNewTask,
  person,
  previewDates,
  signIn,
  signUp,
  tasksTitled,
} from './support/app';
import { expect, test } from './support/fixtures';
import { saveScreenshot } from './support/screenshots';

const DAY_MS = 24 * 60 * 60 * 1000;
// Monday 7 January 2030, 09:00 in Europe/Berlin (the zone the profile took from the browser).
const FIRST_DUE = Date.parse('2030-01-07T08:00:00Z');

test('a weekly task, completed, is followed by its next occurrence without a reload, on every device', async ({
  page,
  browser,
}) => {
  const grace = person('Grace');
  await signUp(page, grace);

  // Built with the rule builder; the preview reads the rule in the API's words and lists the
  // next dates from the due date, as it is edited.
  await fillNewTask(page, {
    title: 'Water the plants',
    due: '2030-01-07T09:00',
    weeklyOn: ['Monday', 'Thursday'],
  });
  await expect(page.getByText(/^Repeats every week on Monday and Thursday/)).toBeVisible();
  await expect
    .poll(() => previewDates(page).then((dates) => dates.slice(0, 3)))
    .toEqual([FIRST_DUE, FIRST_DUE + 3 * DAY_MS, FIRST_DUE + 7 * DAY_MS]);
  await saveScreenshot(page, 'new-recurring-task');
  await page.getByRole('button', { name: 'Create task' }).click();

  const plants = tasksTitled(page, 'Water the plants');
  await expect(plants).toHaveCount(1);
  await expect(plants).toContainText('every week on Monday and Thursday');
  expect(await dueTimes(plants)).toEqual([FIRST_DUE]);

  // The same person in another browser (cookies and storage of its own): a second device.
  const otherDevice = await browser.newContext();
  const otherPage = await otherDevice.newPage();
  await signIn(otherPage, grace);
  await expect(tasksTitled(otherPage, 'Water the plants')).toHaveCount(1);

  // A reload would lose this mark: the next occurrence must arrive on the pages as they are.
  for (const shown of [page, otherPage])
    await shown.evaluate(() => Object.assign(window, { notReloaded: true }));
  await complete(page, 'Water the plants');

  for (const shown of [page, otherPage]) {
    const items = tasksTitled(shown, 'Water the plants');
    await expect(items).toHaveCount(2);
    const done = items.filter({ has: shown.getByRole('checkbox', { checked: true }) });
    await expect(done).toHaveCount(1);
    expect(await dueTimes(done)).toEqual([FIRST_DUE]);
    // Thursday of the same week: the next date of the rule.
    const next = items.filter({ has: shown.getByRole('checkbox', { checked: false }) });
    expect(await dueTimes(next)).toEqual([FIRST_DUE + 3 * DAY_MS]);
    expect(await shown.evaluate(() => 'notReloaded' in window)).toBe(true);
  }
  await saveScreenshot(page, 'task-list');

  // The series view: both occurrences, the done one and the next, then the dates after it.
  await tasksTitled(page, 'Water the plants')
    .first()
    .getByRole('link', { name: /^Series/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Series: Water the plants' })).toBeVisible();
  const occurrences = page.getByRole('list', { name: 'Occurrences' });
  await expect(occurrences.getByRole('listitem')).toHaveCount(2);
  expect(await dueTimes(occurrences)).toEqual([FIRST_DUE, FIRST_DUE + 3 * DAY_MS]);
  await expect
    .poll(() => dueTimes(page.getByRole('list', { name: 'Next dates' })).then((d) => d[0]))
    .toBe(FIRST_DUE + 7 * DAY_MS);
  await saveScreenshot(page, 'series');

  await page.goto('/');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(tasksTitled(page, 'Water the plants')).toHaveCount(2);
  await saveScreenshot(page, 'task-list-phone');
  await otherDevice.close();
});
