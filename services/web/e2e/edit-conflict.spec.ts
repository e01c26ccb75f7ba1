import type { Page } from '@playwright/test';
import { createTask, person, signIn, signUp, tasksTitled } from './support/app';
import { expect, test } from './support/fixtures';
import { saveScreenshot } from './support/screenshots';

/** Opens the edit form of the one task titled `title` from the list. */
async function openEdit(page: Page, title: string): Promise<void> {
  await tasksTitled(page, title).getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Edit task' })).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue(title);
}

const save = (page: Page) => page.getByRole('button', { name: 'Save changes' }).click();

/** The conflict panel: theirs beside yours, Keep mine, Take theirs. */
const conflictOn = (page: Page) =>
  page
    .getByRole('alert')
    .filter({ has: page.getByRole('heading', { name: 'This task was changed elsewhere' }) });

test('one task edited on two devices: the later save shows theirs beside yours, and either can win', async ({
  page,
  browser,
}) => {
  const ada = person('Ada Twodevices');
  await signUp(page, ada);
  await createTask(page, { title: 'Book the venue' });

  // The same person on a second device (cookies and storage of its own).
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await signIn(other, ada);

  // Both open the task; the first device saves first.
  await openEdit(page, 'Book the venue');
  await openEdit(other, 'Book the venue');
  await page.getByLabel('Title').fill('Book the town hall');
  await save(page);
  await expect(tasksTitled(page, 'Book the town hall')).toHaveCount(1);

  // The second device's form still holds what it was opened with (the live stream updated its
  // cache meanwhile); its save is refused, and nothing of it is written.
  await other.getByLabel('Title').fill('Book the big venue');
  await other.getByLabel('Priority').selectOption({ label: 'High' });
  await save(other);
  const conflict = conflictOn(other);
  await expect(conflict).toBeVisible();
  const title = conflict.getByRole('row', { name: /^Title/ });
  await expect(title.getByRole('cell')).toHaveText(['Book the town hall', 'Book the big venue']);
  await expect(conflict.getByRole('row', { name: /^Priority/ }).getByRole('cell')).toHaveText([
    'medium',
    'high',
  ]);
  await saveScreenshot(other, 'edit-conflict');
  await expect(tasksTitled(page, 'Book the town hall')).toHaveCount(1);

  // Keep mine: the second device's edit is saved over the first's, and reaches the first live.
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(other.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  await expect(tasksTitled(other, 'Book the big venue')).toHaveCount(1);
  await expect(tasksTitled(page, 'Book the big venue')).toHaveCount(1);
  await expect(tasksTitled(page, 'Book the big venue')).toContainText('high');

  // Again the other way round, and this time the first device takes theirs.
  await openEdit(page, 'Book the big venue');
  await openEdit(other, 'Book the big venue');
  await other.getByLabel('Description').fill('Ask for the terrace');
  await save(other);
  await expect(tasksTitled(other, 'Book the big venue')).toContainText('Ask for the terrace');
  await page.getByLabel('Title').fill('Book a small venue');
  await save(page);
  const second = conflictOn(page);
  await expect(second.getByRole('row', { name: /^Description/ }).getByRole('cell')).toHaveText([
    'Ask for the terrace',
    '(none) (you did not change it)',
  ]);
  await second.getByRole('button', { name: 'Take theirs' }).click();
  await expect(second).toBeHidden();
  // The form now shows the task as saved: the edit is dropped, theirs kept.
  await expect(page.getByLabel('Title')).toHaveValue('Book the big venue');
  await expect(page.getByLabel('Description')).toHaveValue('Ask for the terrace');
  await save(page);
  await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  await expect(tasksTitled(page, 'Book the big venue')).toContainText('Ask for the terrace');
  await expect(tasksTitled(page, 'Book a small venue')).toHaveCount(0);

  await otherDevice.close();
});

test('a task ticked done on a device that missed a change elsewhere: the item says so, and Keep mine still ticks it', async ({
  page,
  browser,
}) => {
  const lin = person('Lin Twodevices');
  await signUp(page, lin);
  await createTask(page, { title: 'Call the plumber' });

  // A second device whose live stream never connects (as when it is cut): its list is what it
  // loaded, so it does not learn of the change below.
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await signIn(other, lin);
  await other.route('**/api/tasks/stream', (route) => route.abort());
  await other.reload();
  await expect(tasksTitled(other, 'Call the plumber')).toHaveCount(1);

  await openEdit(page, 'Call the plumber');
  await page.getByLabel('Title').fill('Call the plumber at 9');
  await save(page);
  await expect(tasksTitled(page, 'Call the plumber at 9')).toHaveCount(1);

  await other.getByRole('checkbox', { name: 'Done: Call the plumber' }).click();
  const item = tasksTitled(other, 'Call the plumber at 9');
  await expect(item.getByRole('alert')).toContainText('Changed elsewhere before your change');
  await expect(
    item.getByRole('checkbox', { name: 'Done: Call the plumber at 9' }),
  ).not.toBeChecked();
  await item.getByRole('button', { name: 'Keep mine' }).click();
  await expect(item.getByRole('checkbox', { name: 'Done: Call the plumber at 9' })).toBeChecked();
  await expect(item.getByRole('alert')).toHaveCount(0);
  // The first device, live, sees it done.
  await expect(
    tasksTitled(page, 'Call the plumber at 9').getByRole('checkbox', { checked: true }),
  ).toHaveCount(1);

  await otherDevice.close();
});

test('a change made elsewhere arrives live with its version: the next change here is sent over it at once', async ({
  page,
  browser,
}) => {
  const kim = person('Kim Twodevices');
  await signUp(page, kim);
  await createTask(page, { title: 'Water the ferns' });

  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await signIn(other, kim);
  await expect(tasksTitled(other, 'Water the ferns')).toHaveCount(1);
  // From here the second device learns of changes only from its live stream: list reads fail.
  await other.route(/\/api\/tasks(\?.*)?$/, (route) => route.abort());
  const taskReads: string[] = [];
  const ifMatchSent: Array<string | undefined> = [];
  other.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() === 'GET' && /^\/api\/tasks\/[0-9a-f-]{36}$/.test(path)) {
      taskReads.push(path);
    }
    if (path.endsWith('/complete')) ifMatchSent.push(request.headers()['if-match']);
  });

  await openEdit(page, 'Water the ferns');
  await page.getByLabel('Title').fill('Water the ferns today');
  await save(page);

  const item = tasksTitled(other, 'Water the ferns today');
  await expect(item).toHaveCount(1);
  const completed = other.waitForResponse((response) => response.url().endsWith('/complete'));
  await item.getByRole('checkbox', { name: 'Done: Water the ferns today' }).click();
  expect((await completed).status()).toBe(200);
  await expect(item.getByRole('checkbox', { checked: true })).toHaveCount(1);
  await expect(item.getByRole('alert')).toHaveCount(0);
  // The streamed task carried version 2: sent as it was, with no read of the task first.
  expect(ifMatchSent).toEqual(['"v2"']);
  expect(taskReads).toEqual([]);

  await otherDevice.close();
});
