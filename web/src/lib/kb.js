// Knowledge-base helpers for the console: the edit form ↔ the API's article, keyword lists,
// and the differences between two versions of an article.

export const KB_STATUSES = ['draft', 'published', 'retired'];
export const SERVICE_FIELDS = ['conditions', 'materials', 'place', 'time_limit', 'fee'];
const TEXT_FIELDS = ['title', 'answer', 'category', 'department', 'region', 'source', 'valid_from', 'valid_to', 'review_date'];

// "社保, 补缴；社保卡、 " → ['社保', '补缴', '社保卡'] (the separators the file import accepts).
export function splitKeywords(text) {
  const seen = new Set();
  return String(text || '')
    .split(/[,，;；、\n]/)
    .map((k) => k.trim())
    .filter((k) => k && !seen.has(k) && seen.add(k));
}

// An empty form, or the form of an article from the API.
export function articleToForm(article) {
  const a = article || {};
  const form = { id: a.id || '', kind: a.kind || 'answer', version: a.version || 0, keywords: (a.keywords || []).join('，') };
  for (const f of TEXT_FIELDS) form[f] = a[f] || '';
  const service = a.service || {};
  for (const f of SERVICE_FIELDS) form[f] = service[f] || '';
  return form;
}

// The body of POST /kb/articles (create) or PUT /kb/articles/{id} (edit, with its version).
export function formToBody(form, { create }) {
  const body = {};
  if (create) {
    if (form.id && form.id.trim()) body.id = form.id.trim();
  } else {
    body.version = form.version;
  }
  body.kind = form.kind;
  for (const f of TEXT_FIELDS) body[f] = (form[f] || '').trim();
  body.keywords = splitKeywords(form.keywords);
  if (form.kind === 'service_item') {
    body.service = {};
    for (const f of SERVICE_FIELDS) body.service[f] = (form[f] || '').trim();
  } else {
    body.service = null;
  }
  return body;
}

// Client-side checks before saving (the server checks again): a list of messages' keys.
export function formProblems(form) {
  const problems = [];
  if (!String(form.title || '').trim()) problems.push('kb.titleRequired');
  const date = /^\d{4}-\d{2}-\d{2}$/;
  for (const f of ['valid_from', 'valid_to', 'review_date']) {
    if (form[f] && !date.test(form[f])) problems.push('kb.dateFormat');
  }
  if (form.valid_from && form.valid_to && form.valid_from > form.valid_to) problems.push('kb.validOrder');
  return [...new Set(problems)];
}

// The fields that differ between two versions (in a stable order), for the history view.
export function changedFields(before, after) {
  if (!before) return [];
  const out = [];
  for (const f of ['kind', 'status', ...TEXT_FIELDS]) {
    if ((before[f] || '') !== (after[f] || '')) out.push(f);
  }
  if ((before.keywords || []).join('\n') !== (after.keywords || []).join('\n')) out.push('keywords');
  const bs = before.service || {};
  const as = after.service || {};
  for (const f of SERVICE_FIELDS) {
    if ((bs[f] || '') !== (as[f] || '')) out.push(f);
  }
  return out;
}

// The import format of a file name, or '' when the server would not know it.
export function formatOfFile(name) {
  const m = /\.([a-z]+)$/i.exec(name || '');
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'json' || ext === 'jsonl') return 'jsonl';
  if (ext === 'txt') return 'tsv';
  return ['csv', 'tsv', 'xlsx'].includes(ext) ? ext : '';
}

// Lexicon lines typed in the editor, cleaned: blank lines dropped, spaces collapsed.
export function cleanLines(text) {
  return String(text || '')
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l)
    .join('\n');
}
