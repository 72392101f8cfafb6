// A user's visit to the rehearsed deployment, in Chromium, through the CDN stand-in only
// (https://<site domain>/, the name mapped to the CDN's address): the home page and its image
// from the bucket under a hashed name, /fortunes/ from the database, an admin login, a change
// saved and seen again, logout. Every response from the site carries X-Rehearsal-Target (added by
// the ALB stand-in), so the visit can show that the session holds across tasks. Run by
// rehearse.py; prints one line per step, then a JSON summary line starting with "SUMMARY ".
'use strict';
const { chromium } = require('playwright-core');

const site = process.env.VISIT_SITE;            // https://django.example.com
const cdnAddress = process.env.VISIT_CDN_ADDRESS;
const adminUser = process.env.VISIT_ADMIN_USER;
const adminPassword = process.env.VISIT_ADMIN_PASSWORD;
const host = new URL(site).hostname;

const results = [];
const targets = [];  // [step, method, path, target] of every response of the site
let currentStep = '';
async function step(name, fn) {
  currentStep = name;
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false, error: String(e && e.message ? e.message.split('\n')[0] : e) });
    console.log(`FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
  }
}
function check(cond, what) {
  if (!cond) throw new Error(what);
}

(async () => {
  const context = await chromium.launchPersistentContext(process.env.VISIT_USER_DATA_DIR, {
    executablePath: process.env.VISIT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,  // the CDN's certificate comes from the rehearsal's own CA
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           `--host-resolver-rules=MAP ${host} ${cdnAddress}`],
  });
  context.setDefaultTimeout(20000);
  const page = context.pages()[0] || await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('response', (r) => {
    const target = r.headers()['x-rehearsal-target'];
    if (target) targets.push([currentStep, r.request().method(), new URL(r.url()).pathname, target]);
  });
  const staticResponses = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/static/')) {
      staticResponses.push({ path: new URL(r.url()).pathname, status: r.status(), headers: r.headers() });
    }
  });
  const newMessage = `Changed on the rehearsed deployment ${Date.now()}`;
  const summary = {};

  await step('the home page, its image from the bucket under a hashed name', async () => {
    const response = await page.goto(`${site}/`);
    check(response.status() === 200, `status ${response.status()}`);
    check(response.headers()['strict-transport-security'].includes('max-age='), 'no HSTS from the CDN');
    const src = await page.locator('img').first().getAttribute('src');
    check(/^https:\/\/[^/]+\/static\/images\/cpp-on-aws\.[0-9a-f]{12}\.svg$/.test(src), `img src ${src}`);
    await page.waitForFunction(() => document.images[0].complete && document.images[0].naturalWidth > 0);
    const image = staticResponses.find((r) => src.endsWith(r.path));
    check(image && image.status === 200, `image response ${JSON.stringify(image)}`);
    check(image.headers['cache-control'].includes('immutable'), `image cache-control ${image.headers['cache-control']}`);
    check(image.headers['x-rehearsal-target'] === undefined, 'the image came from a task, not the bucket');
    const css = await page.locator('link[rel=stylesheet]').first().getAttribute('href');
    check(/\/static\/css\/site\.[0-9a-f]{12}\.css$/.test(css), `stylesheet ${css}`);
    summary.image = src;
    summary.stylesheet = css;
  });

  await step('/fortunes/ is read from the database', async () => {
    const response = await page.goto(`${site}/fortunes/`);
    check(response.status() === 200, `status ${response.status()}`);
    const text = await page.locator('table').innerText();
    check(text.includes('fortune: No such file or directory'), 'fortune 1 missing');
    check(text.includes('フレームワークのベンチマーク'), 'the UTF-8 fortune missing');
    check(dialogs.length === 0, `a dialog opened: ${dialogs[0]}`);
  });

  await step('log in to the admin over HTTPS', async () => {
    await page.goto(`${site}/admin/`);
    check(new URL(page.url()).pathname === '/admin/login/', `landed on ${page.url()}`);
    await page.fill('#id_username', adminUser);
    await page.fill('#id_password', adminPassword);
    await Promise.all([page.waitForURL(`${site}/admin/`), page.click('input[type=submit]')]);
    check(await page.locator('h1').innerText() === 'Site administration', 'no index page');
    const cookies = await context.cookies(site);
    const session = cookies.find((c) => c.name === 'sessionid');
    check(session && session.secure && session.httpOnly, `session cookie ${JSON.stringify(session)}`);
  });

  await step('the session holds on every task', async () => {
    // Enough requests that the load balancer sends some to each task; each must see the login.
    for (let i = 0; i < 6; i++) {
      const response = await page.goto(`${site}/admin/`);
      check(response.status() === 200, `status ${response.status()}`);
      check(new URL(page.url()).pathname === '/admin/', `sent to ${page.url()}`);
    }
    const seen = new Set(targets.filter((t) => t[0] === 'the session holds on every task').map((t) => t[3]));
    summary.sessionTargets = [...seen];
    check(seen.size >= Number(process.env.VISIT_MIN_TARGETS || 1), `served by ${[...seen]} only`);
  });

  await step('an anonymous visitor in between is never the admin', async () => {
    // The CDN and the load balancer carry both visitors' requests over shared connections to
    // the tasks; nothing of the admin's request may reach the other visitor's.
    const anonymous = await chromium.launch({
      executablePath: process.env.VISIT_CHROMIUM || '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
             `--host-resolver-rules=MAP ${host} ${cdnAddress}`] });
    try {
      const visitor = await (await anonymous.newContext({ ignoreHTTPSErrors: true })).newPage();
      // One admin request, then three anonymous ones, so that each visitor meets every task.
      for (let i = 0; i < 6; i++) {
        await page.goto(`${site}/admin/`);
        check(new URL(page.url()).pathname === '/admin/', `the admin was sent to ${page.url()}`);
        for (let j = 0; j < 3; j++) {
          await visitor.goto(`${site}/admin/`);
          check(new URL(visitor.url()).pathname === '/admin/login/', `the anonymous visitor got ${visitor.url()}`);
        }
      }
    } finally {
      await anonymous.close();
    }
  });

  await step('change a fortune, and see it on another request', async () => {
    await page.goto(`${site}/admin/fortunes/fortune/7/change/`);
    check((await page.inputValue('#id_message')) === 'Any program that runs right is obsolete.', 'unexpected message');
    await page.fill('#id_message', newMessage);
    await Promise.all([page.waitForURL(`${site}/admin/fortunes/fortune/`), page.click('input[name=_save]')]);
    check((await page.locator('#result_list').innerText()).includes(newMessage), 'change not listed');
    for (let i = 0; i < 2; i++) {
      await page.goto(`${site}/fortunes/`);
      check((await page.locator('table').innerText()).includes(newMessage), 'change not on /fortunes/');
    }
    const saved = targets.filter((t) => t[0] === currentStep);
    summary.changeTargets = [...new Set(saved.map((t) => t[3]))];
  });

  await step('log out', async () => {
    await page.goto(`${site}/admin/`);
    await Promise.all([page.waitForURL(`${site}/admin/login/`), page.click('#logout-form button')]);
    await page.goto(`${site}/admin/`);
    check(new URL(page.url()).pathname === '/admin/login/', `landed on ${page.url()}`);
  });

  await context.close();
  const passed = results.filter((r) => r.ok).length;
  summary.targets = [...new Set(targets.map((t) => t[3]))];
  summary.passed = passed;
  summary.failed = results.length - passed;
  console.log(`SUMMARY ${JSON.stringify(summary)}`);
  process.exit(summary.failed === 0 ? 0 : 1);
})().catch((e) => {
  console.log(`FAIL setup: ${e && e.stack ? e.stack : e}`);
  console.log(`SUMMARY ${JSON.stringify({ passed: 0, failed: 1 })}`);
  process.exit(1);
});
