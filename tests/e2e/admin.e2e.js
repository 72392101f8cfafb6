// Browser end-to-end test of the admin, run by run.sh against a live `mysite serve`:
// log in at /admin/, add a user, change a fortune's message, see it on /fortunes/, log out,
// and find that /admin/ sends you back to the login page. Prints "N passed, N failed".
'use strict';
const { chromium } = require('playwright-core');

const base = process.env.E2E_BASE_URL;
const adminUser = process.env.E2E_ADMIN_USER;
const adminPassword = process.env.E2E_ADMIN_PASSWORD;

const results = [];
async function step(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
  }
}
function check(cond, what) {
  if (!cond) throw new Error(what);
}

(async () => {
  // Chromium runs as root in CI, hence --no-sandbox; a fresh profile per run.
  const context = await chromium.launchPersistentContext(process.env.E2E_USER_DATA_DIR, {
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] || await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const newMessage = `Changed in the browser ${Date.now()} <b>not bold</b>`;
  const newUser = `e2e_user_${Date.now()}`;

  await step('anonymous /admin/ redirects to the login page', async () => {
    await page.goto(`${base}/admin/`);
    check(new URL(page.url()).pathname === '/admin/login/', `landed on ${page.url()}`);
  });

  await step('log in as the superuser', async () => {
    await page.fill('#id_username', adminUser);
    await page.fill('#id_password', adminPassword);
    await Promise.all([page.waitForURL(`${base}/admin/`), page.click('input[type=submit]')]);
    check(await page.locator('h1').innerText() === 'Site administration', 'no index page');
    check((await page.locator('#user-tools').innerText()).includes(adminUser), 'user name not shown');
  });

  await step('the admin stylesheet is served', async () => {
    const href = await page.locator('link[rel=stylesheet]').getAttribute('href');
    const response = await page.request.get(new URL(href, base).toString());
    check(response.status() === 200, `stylesheet ${href}: ${response.status()}`);
  });

  await step('add a user', async () => {
    await page.click('a[href="/admin/auth/user/"]');
    await page.click('a.addlink');
    await page.fill('#id_username', newUser);
    await page.fill('#id_email', `${newUser}@Example.COM`);
    await page.fill('#id_password1', 'A-New-Users-Passphrase-9');
    await page.fill('#id_password2', 'A-New-Users-Passphrase-9');
    await Promise.all([page.waitForURL(/\/admin\/auth\/user\/\d+\/change\/$/), page.click('input[name=_save]')]);
    const notice = await page.locator('ul.messagelist li.success').innerText();
    check(notice === `The user \u201c${newUser}\u201d was added successfully. You may edit it again below.`,
      `unexpected message: ${notice}`);
    await page.goto(`${base}/admin/auth/user/?q=${newUser}`);
    const text = await page.locator('#result_list').innerText();
    check(text.includes(newUser) && text.includes(`${newUser}@example.com`), 'new user not listed');
  });

  await step('change a fortune\'s message', async () => {
    await page.goto(`${base}/admin/`);
    await page.click('a[href="/admin/fortunes/fortune/"]');
    await page.click('a[href="/admin/fortunes/fortune/7/change/"]');
    check((await page.inputValue('#id_message')) === 'Any program that runs right is obsolete.', 'unexpected message');
    await page.fill('#id_message', newMessage);
    await Promise.all([page.waitForURL(`${base}/admin/fortunes/fortune/`), page.click('input[name=_save]')]);
    check((await page.locator('#result_list').innerText()).includes(newMessage), 'change not listed');
    check((await page.locator('ul.messagelist li.success').innerText()).includes('was changed successfully.'),
      'no success message');
    await page.reload();
    check(await page.locator('ul.messagelist').count() === 0, 'the message showed twice');
  });

  await step('the <script> fortune stays text in the change list', async () => {
    await page.goto(`${base}/admin/fortunes/fortune/?q=script`);
    check((await page.locator('#result_list').innerText()).includes('<script>alert('), 'not shown as text');
    check(dialogs.length === 0, `a dialog opened: ${dialogs[0]}`);
  });

  await step('the change shows on /fortunes/', async () => {
    await page.goto(`${base}/fortunes/`);
    check((await page.locator('table').innerText()).includes(newMessage), 'new message not on /fortunes/');
  });

  await step('the index lists the recent actions', async () => {
    await page.goto(`${base}/admin/`);
    const text = await page.locator('#recent-actions').innerText();
    check(text.includes(newUser) && text.includes(newMessage.slice(0, 30)), 'actions missing');
  });

  await step('the changed fortune\'s history lists the change', async () => {
    await page.goto(`${base}/admin/fortunes/fortune/7/change/`);
    await page.click('a.historylink');
    const text = await page.locator('#change-history').innerText();
    check(text.includes('Changed Message.') && text.includes(adminUser), `history: ${text}`);
  });

  await step('delete selected: two fortunes, after a confirmation page', async () => {
    await page.goto(`${base}/admin/fortunes/fortune/`);
    const before = await page.locator('input.action-select').count();
    await page.check('input.action-select[value="1"]');
    await page.check('input.action-select[value="2"]');
    await page.selectOption('select[name=action]', 'delete_selected');
    await Promise.all([page.waitForLoadState(), page.click('button[name=index]')]);
    check((await page.locator('#deleted-objects li').count()) === 2, 'confirmation does not list two objects');
    await Promise.all([page.waitForURL(`${base}/admin/fortunes/fortune/`), page.click('input[type=submit][value^="Yes"]')]);
    check((await page.locator('ul.messagelist li.success').innerText()) === 'Successfully deleted 2 fortunes.',
      'no bulk-delete message');
    check((await page.locator('input.action-select').count()) === before - 2, 'rows not gone');
  });

  await step('log out', async () => {
    await Promise.all([page.waitForURL(`${base}/admin/login/`), page.click('#logout-form button')]);
  });

  await step('after logout /admin/ sends you back to the login page', async () => {
    await page.goto(`${base}/admin/`);
    check(new URL(page.url()).pathname === '/admin/login/', `landed on ${page.url()}`);
    check(await page.locator('#id_username').count() === 1, 'no login form');
  });

  await context.close();
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.log(`FAIL setup: ${e && e.stack ? e.stack : e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
