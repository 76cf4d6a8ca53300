import { describe, it, expect, vi, beforeEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus from 'element-plus';
import { articleToForm, formToBody, formProblems, changedFields, splitKeywords, formatOfFile, cleanLines } from '../src/lib/kb.js';
import { setStorage, setCsrf } from '../src/api/client.js';
import LexiconPanel from '../src/views/kb/LexiconPanel.vue';
import FilesPanel from '../src/views/kb/FilesPanel.vue';

const reply = (status, body) => ({ ok: status < 400, status, text: async () => JSON.stringify(body) });

describe('knowledge-base form helpers', () => {
  it('splits keywords on the separators the import accepts', () => {
    expect(splitKeywords('社保, 补缴；社保卡、社保\n 医保 ')).toEqual(['社保', '补缴', '社保卡', '医保']);
    expect(splitKeywords('')).toEqual([]);
  });

  it('turns an article into a form and back, per kind', () => {
    const article = {
      id: 'faq-1', kind: 'service_item', title: ' 居住证签注 ', answer: '', department: '公安局', version: 3,
      keywords: ['居住证', '签注'], service: { materials: '身份证', fee: '免费' },
    };
    const form = articleToForm(article);
    expect(form.keywords).toBe('居住证，签注');
    expect(form.materials).toBe('身份证');
    const edit = formToBody(form, { create: false });
    expect(edit.version).toBe(3);
    expect(edit.id).toBeUndefined();
    expect(edit.title).toBe('居住证签注');
    expect(edit.keywords).toEqual(['居住证', '签注']);
    expect(edit.service).toEqual({ conditions: '', materials: '身份证', place: '', time_limit: '', fee: '免费' });
    form.kind = 'answer';
    expect(formToBody(form, { create: false }).service).toBeNull();
    const created = formToBody(articleToForm({ title: '新问题' }), { create: true });
    expect(created.id).toBeUndefined();
    expect(created.version).toBeUndefined();
    expect(formToBody({ ...articleToForm(null), id: ' kb-9 ' }, { create: true }).id).toBe('kb-9');
  });

  it('checks the title and the dates before saving', () => {
    expect(formProblems(articleToForm({ title: '有标题' }))).toEqual([]);
    expect(formProblems(articleToForm({ title: ' ' }))).toContain('kb.titleRequired');
    expect(formProblems(articleToForm({ title: 'x', review_date: '2024/1/1' }))).toContain('kb.dateFormat');
    expect(formProblems(articleToForm({ title: 'x', valid_from: '2025-01-01', valid_to: '2024-01-01' }))).toContain('kb.validOrder');
  });

  it('names the fields a version changed', () => {
    const v1 = { title: '问', answer: '旧', status: 'draft', keywords: ['a'] };
    const v2 = { title: '问', answer: '新', status: 'published', keywords: ['a', 'b'], service: { fee: '免费' } };
    expect(changedFields(v1, v2)).toEqual(['status', 'answer', 'keywords', 'fee']);
    expect(changedFields(null, v2)).toEqual([]);
  });

  it('knows the import formats by file name and cleans lexicon lines', () => {
    expect(formatOfFile('知识库.XLSX')).toBe('xlsx');
    expect(formatOfFile('a.json')).toBe('jsonl');
    expect(formatOfFile('a.txt')).toBe('tsv');
    expect(formatOfFile('a.docx')).toBe('');
    expect(cleanLines('  社保   社会保险 \n\n 医保 医疗保险')).toBe('社保 社会保险\n医保 医疗保险');
  });
});

describe('lexicon editor', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    const store = new Map();
    setStorage({ getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v), removeItem: (k) => store.delete(k) });
    setCsrf('csrf-1');
  });

  it('lists entries, posts a synonym group and reloads; shows nothing added on a bad line', async () => {
    let entries = [];
    const calls = [];
    globalThis.fetch = vi.fn(async (url, init = {}) => {
      calls.push({ url: String(url), method: init.method, body: init.body, headers: init.headers });
      if (init.method === 'POST') {
        const { text } = JSON.parse(init.body);
        if (text.includes('孤单')) return reply(400, { error: { code: 'invalid_argument', message: '词库未修改（1 行有错误）:\n  第 2 行: 同义词组至少要有两个词' } });
        entries = [{ id: 1, kind: 'synonyms', words: text.split(' '), created_by: 'admin', created_at: '2024-03-04 09:00', conflict: '' }];
        return reply(201, { added: entries });
      }
      return reply(200, { revision: entries.length, entries, builtin: [{ kind: 'synonyms', words: ['社保', '社会保险'] }] });
    });
    const w = mount(LexiconPanel, { global: { plugins: [ElementPlus] }, attachTo: document.body });
    await flushPromises();
    expect(w.text()).toContain('内置词条 (1)');
    expect(w.text()).toContain('管理员添加的词条 (0)');

    await w.find('textarea[data-test="lexicon-synonyms"]').setValue('小黄车   共享单车\n孤单');
    await w.find('[data-test="lexicon-add-synonyms"]').trigger('click');
    await flushPromises();
    const bad = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(bad.body)).toEqual({ text: '小黄车 共享单车\n孤单' });
    expect(bad.headers['X-CSRF-Token']).toBe('csrf-1');
    expect(w.text()).toContain('管理员添加的词条 (0)');

    await w.find('textarea[data-test="lexicon-synonyms"]').setValue('小黄车 共享单车');
    await w.find('[data-test="lexicon-add-synonyms"]').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('管理员添加的词条 (1)');
    expect(w.text()).toContain('小黄车 / 共享单车');
    expect(w.find('textarea[data-test="lexicon-synonyms"]').element.value).toBe('');
    w.unmount();
  });
});

describe('knowledge-base import', () => {
  it('uploads the file itself with its format and shows every bad line the server names', async () => {
    setActivePinia(createPinia());
    const calls = [];
    globalThis.fetch = vi.fn(async (url, init = {}) => {
      calls.push({ url: String(url), init });
      if (calls.length === 1) return reply(200, { total: 2, created: 1, updated: 1, unchanged: 0 });
      return reply(400, { error: { code: 'invalid_argument', message: '导入失败，未导入任何条目（1 行有错误）:\n  第 3 行: 标题(title)不能为空' } });
    });
    const w = mount(FilesPanel, { global: { plugins: [ElementPlus] } });
    const input = w.find('[data-test="kb-import-file"]');
    const file = new File(['id\ttitle\nk1\t问题\n'], 'kb.tsv', { type: 'text/tab-separated-values' });
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
    expect(calls[0].url).toBe('/api/v1/kb/import?format=tsv');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.body).toBe(file);
    expect(calls[0].init.headers['Content-Type']).toBe('text/tab-separated-values');
    expect(w.find('[data-test="kb-import-result"]').text()).toContain('新建 1，更新 1');

    await input.trigger('change');
    await flushPromises();
    expect(w.find('[data-test="kb-import-error"]').text()).toContain('第 3 行');
    expect(w.find('[data-test="kb-export-xlsx"]').attributes('href')).toBe('/api/v1/kb/export?format=xlsx');
    w.unmount();
  });
});

describe('knowledge-base route', () => {
  async function routerAs(me) {
    globalThis.fetch = vi.fn(async (url) => (String(url).startsWith('/api/v1/me') ? reply(200, me) : reply(200, {})));
    vi.resetModules();
    setActivePinia(createPinia());
    const { router } = await import('../src/router/index.js');
    return router;
  }

  it('is open to admins and to units (their review list), not to operators', async () => {
    window.history.replaceState({}, '', '/');
    let router = await routerAs({ name: '管理员', role: 'admin', role_name: '系统管理员' });
    await router.push('/kb/lexicon');
    expect(router.currentRoute.value.path).toBe('/kb/lexicon');
    router = await routerAs({ name: '承办人', role: 'unit_handler', role_name: '承办人', unit: 2, unit_name: '住建局' });
    await router.push('/kb/due');
    expect(router.currentRoute.value.path).toBe('/kb/due');
    router = await routerAs({ name: '话务员', role: 'operator', role_name: '话务员' });
    await router.push('/kb');
    expect(router.currentRoute.value.path).toBe('/intake');
  }, 60000);
});
