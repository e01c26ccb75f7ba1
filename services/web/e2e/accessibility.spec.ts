import { complete, createTask, fillNewTask, person, signUp, tasksTitled } from './support/app';
import { expectNoSeriousViolations } from './support/accessibility';
import { expect, test } from './support/fixtures';

test('every page passes axe with no serious or critical violation', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the sign-in page');

  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the sign-up page');

  await signUp(page, person('Margaret'));
  await expect(page.getByText('No tasks here.')).toBeVisible();
  await expectNoSeriousViolations(page, 'the empty task list');

  await fillNewTask(page, {
    title: 'Review the release',
    due: '2030-04-01T14:00',
    weeklyOn: ['Monday'],
  });
  await expect(page.getByText(/^Repeats every week/)).toBeVisible();
  await expectNoSeriousViolations(page, 'the new-task form with its preview');
  await page.getByRole('button', { name: 'Create task' }).click();

  await createTask(page, { title: 'Book the venue', due: '2030-04-02T10:00' });
  await complete(page, 'Book the venue');
  await expect(tasksTitled(page, 'Review the release')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'the task list with open and done tasks');

  await page.getByRole('link', { name: 'Review the release', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Edit task' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the edit-task form');

  await page
    .getByRole('link', { name: 'Cancel' })
    .or(page.getByRole('button', { name: 'Cancel' }))
    .click();
  await tasksTitled(page, 'Review the release')
    .getByRole('link', { name: /^Series/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Series: Review the release' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Next dates' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the series page');

  await page.getByRole('link', { name: /· Europe\/Berlin/ }).click();
  await expect(page.getByRole('heading', { name: 'Profile' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the account’s profile page');
  const account = page.getByRole('navigation', { name: 'Account' });
  await account.getByRole('link', { name: 'Password' }).click();
  await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the password page');
  await account.getByRole('link', { name: 'Delete account' }).click();
  await expect(page.getByRole('heading', { name: 'Delete account' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the delete-account page');

  await page.goto('/tasks/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSeriousViolations(page, 'a task that is not found');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(tasksTitled(page, 'Book the venue')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'the task list on a phone-sized screen');
});
