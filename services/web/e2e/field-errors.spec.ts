import { fillNewTask, person, repeatByRule, signUp } from './support/app';
import { expect, test } from './support/fixtures';
import { saveScreenshot } from './support/screenshots';

test('the API’s field errors are shown beside the fields they name, and tied to them', async ({
  page,
}) => {
  await page.goto('/signup');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();

  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password', { exact: true });
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/email/i);
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/8/);
  await expect(page.getByLabel('Name (optional)')).not.toHaveAttribute('aria-invalid', 'true');
  await saveScreenshot(page, 'sign-up-field-errors');

  await signUp(page, person('Barbara'));
  await fillNewTask(page, { title: 'Sometimes', due: '2030-03-04T08:30' });
  const rule = await repeatByRule(page, 'FREQ=SOMETIMES');
  // The preview's 400 names query.rrule as it is typed: shown beside the rule...
  await expect(rule).toHaveAttribute('aria-invalid', 'true');
  await expect(rule).toHaveAccessibleDescription(/FREQ|frequency/i);
  // ...and so is the create request's, naming recurrence.rrule; the form is kept.
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'New task' })).toBeVisible();
  await expect(rule).toHaveAttribute('aria-invalid', 'true');
  await expect(rule).toHaveAccessibleDescription(/FREQ|frequency/i);

  // An empty title is the API's to refuse (the form does not check it first).
  await page.getByLabel('Repeats', { exact: true }).selectOption({ label: 'Does not repeat' });
  await page.getByLabel('Title').fill('');
  await page.getByRole('button', { name: 'Create task' }).click();
  const title = page.getByLabel('Title');
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(title).toHaveAccessibleDescription(/.+/);
  await expect(rule).toHaveCount(0);
});
