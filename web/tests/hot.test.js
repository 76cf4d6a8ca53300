import { describe, it, expect, vi, afterEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import HotTopicsPanel from '../src/components/HotTopicsPanel.vue';
import ClustersPanel from '../src/components/ClustersPanel.vue';
import { hotQuery, mergePlan, runMerges, kindTag, countText } from '../src/lib/hot.js';

const reply = (status, body) => ({ ok: status < 400, status, text: async () => JSON.stringify(body) });
const global = { plugins: [ElementPlus], stubs: { 'router-link': { props: ['to'], template: '<a :href="to"><slot /></a>' } } };

afterEach(() => vi.restoreAllMocks());

describe('hot topics helpers', () => {
  it('builds the query without empty filters', () => {
    expect(hotQuery({ from: '2024-03-11', to: '2024-03-17', region: '', category: null, minSize: 3 })).toEqual({
      from: '2024-03-11',
      to: '2024-03-17',
      min_size: 3,
    });
  });
  it('names kinds and counts in Chinese', () => {
    expect(kindTag('growth').label).toBe('分类区域增长');
    expect(countText({ count: 6, before: 0, new: true })).toBe('本期 6 件 / 上期 0 件（新出现）');
  });
  it('plans one merge into the master per mergeable ticket', () => {
    const c = { master: 'A1', mergeable: ['A2', 'A3'] };
    expect(mergePlan(c)).toEqual([
      { number: 'A2', into: 'A1' },
      { number: 'A3', into: 'A1' },
    ]);
    expect(mergePlan({ master: null, mergeable: ['A2'] })).toEqual([]);
  });
  it('keeps merging after one merge is refused', async () => {
    const act = vi.fn(async (n) => {
      if (n === 'A2') throw new Error('已并单');
    });
    const r = await runMerges(mergePlan({ master: 'A1', mergeable: ['A2', 'A3'] }), act);
    expect(r).toEqual({ ok: 1, fail: 1 });
    expect(act).toHaveBeenCalledWith('A3', 'merge', { into: 'A1' });
  });
});

describe('HotTopicsPanel', () => {
  it('asks for the dashboard period and scope and shows each topic with its explanation', async () => {
    const fetch = vi.fn(async () =>
      reply(200, {
        from: '2024-03-11',
        to: '2024-03-17',
        reports: 9,
        baseline_periods: 4,
        topics: [
          {
            rank: 1,
            kind: 'cluster',
            label: '丽发新城 工地',
            count: 6,
            before: 0,
            new: true,
            explanation: '同类诉求「丽发新城 工地」新出现：本期 6 件，上期 0 件。',
            examples: [{ number: 'SM20240316000001', title: '丽发新城夜间施工扰民' }],
          },
        ],
      }),
    );
    globalThis.fetch = fetch;
    const w = mount(HotTopicsPanel, { props: { from: '2024-03-11', to: '2024-03-17', region: 2 }, global });
    await flushPromises();
    expect(fetch.mock.calls[0][0]).toBe('/api/v1/hot-topics?from=2024-03-11&to=2024-03-17&region=2&limit=10');
    const items = w.findAll('[data-test="hot-topic"]');
    expect(items).toHaveLength(1);
    expect(items[0].text()).toContain('相似诉求聚集');
    expect(items[0].text()).toContain('新出现：本期 6 件');
    expect(items[0].find('a').attributes('href')).toBe('/tickets/SM20240316000001');
    w.unmount();
  });
  it('says so when nothing rises, and shows the server’s refusal', async () => {
    globalThis.fetch = vi.fn(async () => reply(200, { from: 'a', to: 'b', reports: 0, baseline_periods: 0, topics: [] }));
    const w = mount(HotTopicsPanel, { props: { from: '2024-03-11', to: '2024-03-17' }, global });
    await flushPromises();
    expect(w.find('[data-test="hot-empty"]').exists()).toBe(true);
    globalThis.fetch = vi.fn(async () => reply(403, { error: { code: 'permission_denied', message: '角色“话务员”无权查看热点和聚集诉求' } }));
    await w.vm.load();
    await flushPromises();
    expect(w.find('[data-test="hot-error"]').text()).toContain('无权查看热点');
    w.unmount();
  });
});

describe('ClustersPanel', () => {
  it('merges a ticket of a cluster into its master with the merge action, then reloads', async () => {
    const cluster = {
      label: '丽发新城 工地',
      size: 3,
      open: 3,
      first_at: '2024-03-11T23:10:00+08:00',
      last_at: '2024-03-13T23:12:00+08:00',
      master: 'SM1',
      mergeable: ['SM2', 'SM3'],
      tickets: ['SM1', 'SM2', 'SM3'].map((number) => ({
        number,
        title: `丽发新城工地噪音 ${number}`,
        address: '丽发新城',
        region_name: '城关街道',
        state_name: '已登记',
        created_at: '2024-03-11T23:10:00+08:00',
      })),
    };
    const calls = [];
    globalThis.fetch = vi.fn(async (url, init) => {
      calls.push({ url, method: init.method, body: init.body });
      if (init.method === 'POST') return reply(200, { number: 'SM2', state: 'merged' });
      return reply(200, { clusters: [cluster] });
    });
    const w = mount(ClustersPanel, { global });
    await flushPromises();
    expect(calls[0].url).toMatch(/^\/api\/v1\/tickets\/clusters\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&min_size=3$/);
    expect(w.findAll('[data-test="cluster"]')).toHaveLength(1);
    expect(w.text()).toContain('全部并入主单（2）');
    const buttons = w.findAll('[data-test="merge-one"]');
    expect(buttons).toHaveLength(2); // the master has none
    await buttons[0].trigger('click');
    await flushPromises();
    const post = calls.find((c) => c.method === 'POST');
    expect(post.url).toBe('/api/v1/tickets/SM2/actions/merge');
    expect(JSON.parse(post.body)).toEqual({ into: 'SM1' });
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2); // reloaded after the merge
    w.unmount();
  });
});
