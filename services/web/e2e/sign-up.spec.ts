import { person, signIn, signUp } from './support/app';
import { expect, test } from './support/fixtures';
import { saveScreenshot } from './support/screenshots';

test('a person signs up, stays signed in across a reload, signs out and back in', async ({
  page,
}) => {
  const ada = person('Ada');
  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await saveScreenshot(page, 'sign-up');

  await signUp(page, ada);
  await expect(page.getByText('No tasks here.')).toBeVisible();
  await expect(page.getByText(`${ada.name} · Europe/Berlin`)).toBeVisible();

  // The refresh cookie brings the session back on a new page load.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  await expect(page.getByText(`${ada.name} · Europe/Berlin`)).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // Signed out for good: a reload does not bring the session back.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await saveScreenshot(page, 'sign-in');

  await signIn(page, ada);
  await expect(page.getByText(`${ada.name} · Europe/Berlin`)).toBeVisible();
});
