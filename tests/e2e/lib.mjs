// Helpers for the end-to-end tests: the API as a given user (for setting up and checking),
// logging in through the UI, Element Plus widgets, screenshots.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'web', 'package.json'));
export const { chromium } = require('playwright-core');

export const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080';
export const PASSWORD = process.env.DEMO_PASSWORD || 'hotline12345';
export const SHOTS = process.env.SCREENSHOT_DIR || path.join(root, 'build', 'e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });

// A missing server endpoint fails the step loudly, naming the endpoint.
export class MissingEndpoint extends Error {
  constructor(endpoint, detail = '') {
    super(`ENDPOINT MISSING: ${endpoint} is not implemented by the server (404) ${detail}`.trim());
    this.name = 'MissingEndpoint';
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

// The JSON API as `login` (bearer token), for setting up and for checking outcomes.
export async function apiAs(login) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`login ${login} failed: ${JSON.stringify(body)}`);
  const token = body.token;
  const call = async (method, p, data) => {
    const r = await fetch(`${BASE}/api/v1${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await r.text();
    let j = null;
    try {
      j = text ? JSON.parse(text) : null;
    } catch {
      j = { raw: text };
    }
    if (!r.ok) {
      const msg = j && j.error ? `${j.error.code}: ${j.error.message}` : text.slice(0, 200);
      const e = new Error(`${method} ${p} → ${r.status} ${msg}`);
      e.status = r.status;
      e.body = j;
      if (r.status === 404 && (!j || !j.error || /^没有这个接口/.test(j.error.message || ''))) e.missing = true;
      throw e;
    }
    return j;
  };
  return {
    me: body,
    get: (p) => call('GET', p),
    post: (p, d = {}) => call('POST', p, d),
    ticket: (n) => call('GET', `/tickets/${n}`),
    act: (n, a, d = {}) => call('POST', `/tickets/${n}/actions/${a}`, d),
  };
}

// Fails with MissingEndpoint when GET `p` (as `api`) answers "no such route".
export async function requireEndpoint(api, p, label = p) {
  try {
    await api.get(p);
  } catch (e) {
    if (e.missing) throw new MissingEndpoint(label);
    if (e.status && e.status < 500) return; // exists (a 4xx about parameters is fine)
    throw e;
  }
}

export async function publicCall(method, p, data) {
  const r = await fetch(`${BASE}/api/v1${p}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: data === undefined ? undefined : JSON.stringify(data),
  });
  const text = await r.text();
  let j = null;
  try {
    j = text ? JSON.parse(text) : null;
  } catch {
    j = { raw: text };
  }
  return { status: r.status, body: j };
}

// A browser context with its own cookies, logged in through the login page.
export async function loginPage(browser, login, { viewport = { width: 1366, height: 768 } } = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`  [${login}] page error: ${e.message}`));
  await page.goto(`${BASE}/login`);
  await inp(page, 'login').fill(login);
  await inp(page, 'password').fill(PASSWORD);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 });
  await page.locator('[data-test=whoami]').waitFor();
  return { ctx, page };
}

export async function shot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

// The table row of ticket `number` (waits for it).
export function row(page, number) {
  return page.locator(`.el-table__body tr:has(a:text-is("${number}"))`).first();
}

// Clicks the action `code` on a row, fills the dialog, submits and waits for it to close.
export async function rowAction(page, number, code, fill = async () => {}) {
  const r = row(page, number);
  await r.waitFor({ timeout: 15000 });
  await r.locator(`[data-test=row-${code}]`).click();
  const dialog = page.locator('.el-dialog:visible').last();
  await dialog.waitFor();
  await fill(dialog);
  await dialog.locator('[data-test=action-submit]').click();
  await dialog.waitFor({ state: 'hidden', timeout: 15000 });
}

// Picks `label` in an Element Plus select (or tree-select) opened by clicking `trigger`.
export async function pickOption(page, trigger, label, { filter = true } = {}) {
  trigger = trigger.first();
  await trigger.click();
  if (filter) {
    const input = trigger.locator('input').first();
    await input.fill(label);
  }
  const opt = page.locator(`.el-select-dropdown__item:visible:has-text("${label}"), .el-tree-node__content:visible:has-text("${label}")`).first();
  await opt.click();
}

export async function waitFor(fn, { timeout = 15000, interval = 300, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

export function today() {
  return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
}

// An Element Plus input or textarea by its data-test (the attribute lands on the <input>
// itself for el-input, on a wrapper for other widgets).
export function inp(scope, name) {
  return scope
    .locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`)
    .first();
}
