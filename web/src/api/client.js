// The JSON API client: one fetch wrapper that sends the CSRF token on every change, turns
// every error into an ApiError carrying the server's Chinese message, and reports it once.
import { t } from '../i18n/index.js';

const CSRF_KEY = 'hotline.csrf';

export class ApiError extends Error {
  constructor(status, code, message, path) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
  }

  // The server has no such route (yet): a panel shows “暂不可用” instead of an error.
  get missing() {
    return (
      (this.status === 404 || this.status === 405) &&
      (this.code === 'no_route' || /^没有这个接口/.test(this.message || ''))
    );
  }
}

let notifier = (msg) => console.error(msg);
let onUnauthenticated = () => {};
let storage = typeof localStorage !== 'undefined' ? localStorage : null;

export function setNotifier(fn) {
  notifier = fn;
}
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}
export function setStorage(s) {
  storage = s;
}
export function getCsrf() {
  try {
    return storage ? storage.getItem(CSRF_KEY) || '' : '';
  } catch {
    return '';
  }
}
export function setCsrf(token) {
  try {
    if (!storage) return;
    if (token) storage.setItem(CSRF_KEY, token);
    else storage.removeItem(CSRF_KEY);
  } catch {
    /* private mode: the token then lives only in memory */
  }
}

export function buildUrl(path, query) {
  let url = path.startsWith('/api/') || path.startsWith('http') ? path : `/api/v1${path}`;
  if (query) {
    const qs = Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== false)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v === true ? 1 : v)}`)
      .join('&');
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

// request('GET', '/tickets', { query, body, silent }) → parsed JSON; throws ApiError.
// silent: true (no message at all) or a function (e) => bool deciding whether to be silent.
export async function request(method, path, opts = {}) {
  const { query, body, silent = false, raw = false, upload } = opts;
  const url = buildUrl(path, query);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // upload: a File/Blob sent as the body itself (file imports).
  if (upload !== undefined) headers['Content-Type'] = upload.type || 'application/octet-stream';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = getCsrf();
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: upload !== undefined ? upload : body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    return fail(new ApiError(0, 'network', t('errors.network'), url), silent);
  }
  if (raw && res.ok) return res;
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    let err;
    if (data && data.error && typeof data.error.message === 'string') {
      err = new ApiError(res.status, data.error.code || `http_${res.status}`, data.error.message, url);
    } else if (res.status === 404) {
      // Not our JSON error: a route the server does not know at all.
      err = new ApiError(404, 'no_route', `没有这个接口: ${url}`, url);
    } else {
      err = new ApiError(res.status, `http_${res.status}`, t('errors.http', { status: res.status }), url);
    }
    if (res.status === 401 && !url.endsWith('/auth/login')) onUnauthenticated(err);
    return fail(err, silent);
  }
  if (data === undefined) {
    return fail(new ApiError(res.status, 'bad_response', t('errors.badJson', { status: res.status }), url), silent);
  }
  return data;
}

function fail(err, silent) {
  const quiet = typeof silent === 'function' ? silent(err) : silent;
  if (!quiet) notifier(err.message, err);
  throw err;
}

// Missing endpoints stay quiet: the caller shows a “暂不可用” notice instead.
export const quietIfMissing = (e) => e.missing;

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body = {}, opts = {}) => request('POST', path, { ...opts, body }),
  put: (path, body = {}, opts = {}) => request('PUT', path, { ...opts, body }),
  patch: (path, body = {}, opts = {}) => request('PATCH', path, { ...opts, body }),
  del: (path, opts = {}) => request('DELETE', path, opts),
  upload: (path, file, query, opts = {}) => request('POST', path, { ...opts, query, upload: file }),
};

// Ticket helpers.
export const tickets = {
  list: (query, opts) => api.get('/tickets', query, opts),
  get: (number, opts) => api.get(`/tickets/${encodeURIComponent(number)}`, undefined, opts),
  create: (fields, opts) => api.post('/tickets', fields, opts),
  act: (number, action, fields = {}, opts) =>
    api.post(`/tickets/${encodeURIComponent(number)}/actions/${action}`, fields, opts),
  queue: (name, unit, opts) => api.get(`/queues/${name}`, { unit }, opts),
};

export default api;
