import { describe, it, expect, vi, afterEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import IntakeSuggestion from '../src/components/IntakeSuggestion.vue';

const reply = (status, body) => ({ ok: status < 400, status, text: async () => JSON.stringify(body) });
const global = { plugins: [ElementPlus] };

// The classifier's suggestions as GET /api/v1/classify gives them.
const suggestions = [
  { label: '环境保护', confidence: 0.81, category: 30, path: '环境保护' },
  { label: '城乡建设', confidence: 0.12, category: 10, path: '城乡建设' },
  { label: '交通运输', confidence: 0.04, category: 50, path: '交通运输' },
];
// The routing directory's answer for a category and region, per category.
const directory = {
  30: { lead_unit: 4, lead_unit_name: '三明市生态环境局', co_units: [{ id: 9, name: '三元区城关街道' }], fallback: false },
  10: { lead_unit: 3, lead_unit_name: '三明市住房和城乡建设局', co_units: [], fallback: false },
  77: { lead_unit: 1, lead_unit_name: '三明市人民政府办公室', co_units: [], fallback: true },
};
function routingFetch() {
  return vi.fn(async (url) => {
    const q = new URL(url, 'http://x').searchParams;
    const s = directory[q.get('category')];
    return s ? reply(200, s) : reply(404, { error: { code: 'not_found', message: '没有' } });
  });
}

afterEach(() => vi.restoreAllMocks());

describe('IntakeSuggestion', () => {
  it('shows the top 3 categories and the units for the first suggestion and the region', async () => {
    const fetch = routingFetch();
    globalThis.fetch = fetch;
    const w = mount(IntakeSuggestion, { props: { suggestions, category: null, region: 7 }, global });
    await flushPromises();
    const tags = w.findAll('[data-test="classify-suggestion"]');
    expect(tags.map((x) => x.text())).toEqual(['环境保护 81%', '城乡建设 12%', '交通运输 4%']);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe('/api/v1/routing/suggest?category=30&region=7');
    expect(w.find('[data-test="routing-lead"]').text()).toBe('三明市生态环境局');
    expect(w.find('[data-test="routing-co"]').text()).toContain('三元区城关街道');
    expect(w.find('[data-test="routing-basis"]').text()).toContain('首选建议');
    expect(w.find('[data-test="classify-choice"]').exists()).toBe(false);
    w.unmount();
  });

  it('emits the suggestion the operator clicks and follows the operator’s choice for the units', async () => {
    const fetch = routingFetch();
    globalThis.fetch = fetch;
    const w = mount(IntakeSuggestion, { props: { suggestions, category: null, region: null }, global });
    await flushPromises();
    expect(fetch.mock.calls[0][0]).toBe('/api/v1/routing/suggest?category=30&region=0');
    await w.findAll('[data-test="classify-suggestion"]')[1].trigger('click');
    expect(w.emitted('use')).toEqual([[suggestions[1]]]);
    // The parent sets the category: the units are now those of the operator's choice.
    await w.setProps({ category: 10 });
    await flushPromises();
    expect(fetch.mock.calls.at(-1)[0]).toBe('/api/v1/routing/suggest?category=10&region=0');
    expect(w.find('[data-test="routing-lead"]').text()).toBe('三明市住房和城乡建设局');
    expect(w.find('[data-test="routing-co"]').exists()).toBe(false);
    expect(w.find('[data-test="routing-basis"]').text()).toContain('所选分类');
    expect(w.find('[data-test="classify-choice"]').text()).toBe('已采纳其他建议');
    await w.setProps({ category: 30 });
    await flushPromises();
    expect(w.find('[data-test="classify-choice"]').text()).toBe('已采纳首选建议');
    // A category none of the suggestions named: the operator's own choice.
    await w.setProps({ category: 77 });
    await flushPromises();
    expect(w.find('[data-test="classify-choice"]').text()).toBe('已人工改选分类');
    expect(w.find('[data-test="routing-lead"]').text()).toBe('三明市人民政府办公室');
    w.unmount();
  });

  it('shows nothing without suggestions or choice, and no units when the directory does not answer', async () => {
    const fetch = routingFetch();
    globalThis.fetch = fetch;
    const w = mount(IntakeSuggestion, { props: { suggestions: [], category: null, region: 7 }, global });
    await flushPromises();
    expect(fetch).not.toHaveBeenCalled();
    expect(w.find('.intake-suggestion').exists()).toBe(false);
    await w.setProps({ category: 999 });
    await flushPromises();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(w.find('[data-test="routing-units"]').exists()).toBe(false);
    w.unmount();
  });
});
