/**
 * Signing in on the staff console's page in a browser test: the form the console shows someone
 * without a session, the demo password, and the wait until the app names who signed in (the
 * session is stored and the first view asked for by then).
 */
import type { Page } from 'playwright-core';
import { demoPassword } from '../../infra/demo/demo-staff.ts';

export async function signInOnConsolePage(page: Page, username: string): Promise<void> {
  await page.locator('#sign-in-view').waitFor({ state: 'visible' });
  await page.fill('#username', username);
  await page.fill('#password', demoPassword);
  await page.click('#sign-in-submit');
  await page.locator('#who-name').waitFor({ state: 'visible' });
}
