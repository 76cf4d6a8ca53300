import { describe, it, expect, beforeEach, vi } from 'vitest';
import { request, api, setNotifier, setUnauthenticatedHandler, setStorage, setCsrf, ApiError, buildUrl, quietIfMissing } from '../src/api/client.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}
function respond(status, body, { json = true } = {}) {
  return vi.fn(async () => ({ ok: status >= 200 && status < 300, status, text: async () => (json ? JSON.stringify(body) : body) }));
}

describe('API client', () => {
  let notes;
  beforeEach(() => {
    notes = [];
    setNotifier((m) => notes.push(m));
    setUnauthenticatedHandler(() => {});
    setStorage(memoryStorage());
  });

  it('sends the CSRF token on changes but not on reads', async () => {
    setCsrf('tok123');
    globalThis.fetch = respond(200, { ok: true });
    await api.post('/tickets', { a: 1 });
    let [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/v1/tickets');
    expect(init.headers['X-CSRF-Token']).toBe('tok123');
    expect(init.body).toBe('{"a":1}');
    expect(init.credentials).toBe('same-origin');
    await api.get('/tickets', { state: 'registered', text: '', overdue: false, limit: 5 });
    [url, init] = fetch.mock.calls[1];
    expect(url).toBe('/api/v1/tickets?state=registered&limit=5');
    expect(init.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('turns an error body into an ApiError with the Chinese message, shown once', async () => {
    globalThis.fetch = respond(409, { error: { code: 'failed_precondition', message: '工单 SM1 当前状态为“已归档”，不能执行“签收”' } });
    const err = await api.post('/tickets/SM1/actions/sign').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.code).toBe('failed_precondition');
    expect(err.message).toContain('不能执行“签收”');
    expect(notes).toEqual([err.message]);
    expect(err.missing).toBe(false);
  });

  it('stays quiet when asked to', async () => {
    globalThis.fetch = respond(400, { error: { code: 'invalid_argument', message: '缺少字段' } });
    await expect(request('GET', '/x', { silent: true })).rejects.toThrow('缺少字段');
    expect(notes).toEqual([]);
  });

  it('recognises a route the server does not have yet', async () => {
    globalThis.fetch = respond(404, { error: { code: 'not_found', message: '没有这个接口: /api/v1/kpi' } });
    const err = await api.get('/kpi', undefined, { silent: quietIfMissing }).catch((e) => e);
    expect(err.missing).toBe(true);
    expect(notes).toEqual([]);
    globalThis.fetch = respond(404, '<html>not found</html>', { json: false });
    const err2 = await api.get('/kb/search', undefined, { silent: quietIfMissing }).catch((e) => e);
    expect(err2.missing).toBe(true);
    globalThis.fetch = respond(404, { error: { code: 'not_found', message: '工单不存在: SM9' } });
    const err3 = await api.get('/tickets/SM9', undefined, { silent: true }).catch((e) => e);
    expect(err3.missing).toBe(false);
  });

  it('reports a network failure in Chinese', async () => {
    globalThis.fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = await api.get('/me').catch((e) => e);
    expect(err.code).toBe('network');
    expect(notes[0]).toBe('无法连接服务器，请检查网络');
  });

  it('calls the session handler on 401, except for the login itself', async () => {
    const seen = [];
    setUnauthenticatedHandler((e) => seen.push(e.status));
    globalThis.fetch = respond(401, { error: { code: 'unauthenticated', message: '登录已失效，请重新登录' } });
    await api.get('/tickets').catch(() => {});
    await api.post('/auth/login', { login: 'x', password: 'y' }, { silent: true }).catch(() => {});
    expect(seen).toEqual([401]);
  });

  it('explains a non-JSON error by its status', async () => {
    globalThis.fetch = respond(502, 'Bad Gateway', { json: false });
    const err = await api.get('/me').catch((e) => e);
    expect(err.message).toBe('请求失败（HTTP 502）');
  });

  it('builds URLs with encoded query values', () => {
    expect(buildUrl('/tickets', { text: '路灯 不亮', overdue: true })).toBe('/api/v1/tickets?text=%E8%B7%AF%E7%81%AF%20%E4%B8%8D%E4%BA%AE&overdue=1');
    expect(buildUrl('/api/v1/tickets.xlsx', { a: 1 })).toBe('/api/v1/tickets.xlsx?a=1');
  });
});
