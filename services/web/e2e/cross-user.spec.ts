import { complete, createTask, person, signUp, tasksTitled } from './support/app';
import { expect, test } from './support/fixtures';

test('another person never sees someone else’s task: not in their list, not live, not by its URL', async ({
  page,
  browser,
}) => {
  await signUp(page, person('Katherine'));
  await createTask(page, { title: 'Private plans', due: '2030-02-04T10:00', weeklyOn: ['Monday'] });
  const link = tasksTitled(page, 'Private plans').getByRole('link', {
    name: 'Private plans',
    exact: true,
  });
  const taskPath = await link.getAttribute('href');
  expect(taskPath).toMatch(/^\/tasks\/[\w-]+$/);

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await signUp(stranger, person('Mallory'));
  await expect(stranger.getByText('No tasks here.')).toBeVisible();

  // The owner's completion creates the next occurrence, which reaches the owner's page live; the
  // stranger's live list must not get it.
  await complete(page, 'Private plans');
  await expect(tasksTitled(page, 'Private plans')).toHaveCount(2);
  await expect(stranger.getByText('No tasks here.')).toBeVisible();
  await expect(stranger.getByText('Private plans')).toHaveCount(0);

  // Nor does a fresh load of the list or a search show it.
  await stranger.goto('/?q=Private');
  await expect(stranger.getByText('No tasks here.')).toBeVisible();

  // Opened by its URL, the task is not found, and nothing of it is shown.
  await stranger.goto(taskPath!);
  await expect(stranger.getByRole('alert')).toContainText(/not found/i);
  await expect(stranger.getByText('Private plans')).toHaveCount(0);
  await expect(stranger.getByLabel('Title')).toHaveCount(0);

  // Nor its series.
  await stranger.goto(`${taskPath!}/series`);
  await expect(stranger.getByRole('alert')).toContainText(/not found/i);
  await expect(stranger.getByText('Private plans')).toHaveCount(0);

  // The owner opens it by the same URL.
  await page.goto(taskPath!);
  await expect(page.getByRole('heading', { name: 'Edit task' })).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue('Private plans');
  await strangerContext.close();
});
