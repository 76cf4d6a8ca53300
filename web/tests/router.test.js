import { describe, it, expect, vi, beforeEach } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { homeFor } from '../src/stores/session.js';

function fakeServer(me) {
  globalThis.fetch = vi.fn(async (url) => {
    if (String(url).startsWith('/api/v1/me')) {
      return me
        ? { ok: true, status: 200, text: async () => JSON.stringify(me) }
        : { ok: false, status: 401, text: async () => JSON.stringify({ error: { code: 'unauthenticated', message: '请先登录' } }) };
    }
    return { ok: true, status: 200, text: async () => '{}' };
  });
}

async function freshRouter() {
  vi.resetModules();
  const pinia = createPinia();
  setActivePinia(pinia);
  const { router } = await import('../src/router/index.js');
  return router;
}

describe('role-aware routing', () => {
  beforeEach(() => window.history.replaceState({}, '', '/'));

  it('sends each role to its own first page', () => {
    expect(homeFor('operator')).toBe('/intake');
    expect(homeFor('dispatcher')).toBe('/dispatch');
    expect(homeFor('unit_handler')).toBe('/unit');
    expect(homeFor('unit_admin')).toBe('/unit');
    expect(homeFor('callback')).toBe('/callback');
    expect(homeFor('supervisor')).toBe('/supervise');
    expect(homeFor('leader')).toBe('/dashboard');
    expect(homeFor('admin')).toBe('/admin/users');
    expect(homeFor('inspector')).toBe('/tickets');
  });

  it('asks for a login first, remembering where the user was going', async () => {
    fakeServer(null);
    const router = await freshRouter();
    await router.push('/dispatch');
    expect(router.currentRoute.value.path).toBe('/login');
    expect(router.currentRoute.value.query.redirect).toBe('/dispatch');
  });

  it('keeps a role out of pages that are not its own', async () => {
    fakeServer({ name: '承办人', role: 'unit_handler', role_name: '承办人', unit: 2, unit_name: '住建局' });
    const router = await freshRouter();
    await router.push('/admin/users');
    expect(router.currentRoute.value.path).toBe('/unit');
    await router.push('/');
    expect(router.currentRoute.value.path).toBe('/unit');
  }, 60000);

  it('lets the portal open without a login', async () => {
    fakeServer(null);
    const router = await freshRouter();
    await router.push('/portal');
    expect(router.currentRoute.value.path).toBe('/portal');
  });
});
