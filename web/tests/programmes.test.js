import { describe, it, expect, vi } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus from 'element-plus';
import { TABS, PROGRAMME_ROLES, tabsFor, mayManage, headlineKpis, sheetMaxTotal, sheetProblem, scoreTotal, ageType } from '../src/lib/programmes.js';
import { t } from '../src/i18n/index.js';
import DifficultPanel from '../src/views/programmes/DifficultPanel.vue';

describe('programmes: who sees what', () => {
  it('gives each role its tabs, and none to units', () => {
    expect(tabsFor('leader')).toEqual(['campaigns', 'leaderDays', 'difficult', 'qa']);
    expect(tabsFor('operator')).toEqual(['leaderDays', 'qa']);
    expect(tabsFor('callback')).toEqual(['qa']);
    expect(tabsFor('unit_handler')).toEqual([]);
    expect(PROGRAMME_ROLES).not.toContain('unit_admin');
    expect(mayManage('dispatcher', 'difficult')).toBe(true);
    expect(mayManage('unit_handler', 'difficult')).toBe(false);
    expect(mayManage('supervisor', 'qaInspect')).toBe(false);
    expect(mayManage('inspector', 'qaInspect')).toBe(true);
  });

  it('has a Chinese label for every tab', () => {
    for (const tab of TABS) expect(t(`programmes.tabs.${tab}`)).not.toBe(`programmes.tabs.${tab}`);
  });
});

describe('programmes: numbers', () => {
  it('picks the headline KPIs in order', () => {
    const ind = {
      headline: ['received', 'satisfaction_rate'],
      kpis: [
        { id: 'satisfaction_rate', value: 50, numerator: 1, denominator: 2, unit: '%' },
        { id: 'received', value: 3, numerator: 3, denominator: null, unit: '件' },
        { id: 'replied', value: 2 },
      ],
    };
    expect(headlineKpis(ind).map((k) => k.id)).toEqual(['received', 'satisfaction_rate']);
    expect(headlineKpis(null)).toEqual([]);
  });

  it('checks a score sheet and scores against it', () => {
    const sheet = { name: '话务质检表', items: [{ name: '服务规范', max_points: 40 }, { name: '答复准确', max_points: 60 }] };
    expect(sheetMaxTotal(sheet.items)).toBe(100);
    expect(sheetProblem(sheet)).toBeNull();
    expect(sheetProblem({ ...sheet, name: ' ' })).toBe('programmes.qa.needName');
    expect(sheetProblem({ ...sheet, items: [] })).toBe('programmes.qa.needItems');
    expect(sheetProblem({ ...sheet, items: [...sheet.items, { name: '服务规范', max_points: 5 }] })).toBe('programmes.qa.duplicateItem');
    expect(sheetProblem({ ...sheet, items: [{ name: 'a', max_points: 0 }] })).toBe('programmes.qa.badPoints');
    expect(scoreTotal(sheet, [36, 54])).toBe(90);
    expect(scoreTotal(sheet, [41, 54])).toBeNull();
    expect(scoreTotal(sheet, [36])).toBeNull();
    expect(scoreTotal(sheet, [36, 1.5])).toBeNull();
  });

  it('colours a difficult case by its age', () => {
    expect(ageType(2)).toBe('info');
    expect(ageType(7)).toBe('warning');
    expect(ageType(45)).toBe('danger');
  });
});

describe('DifficultPanel', () => {
  const reply = (data) => ({ ok: true, status: 200, text: async () => JSON.stringify(data) });
  const cases = {
    cases: [{ id: 1, number: 'SM20241014000001', reason: '多部门职责交叉', owner: 'sup1', age_days: 12, next_review: '2024-10-21', review_due: true, resolved: false, ticket: { state_name: '已签收' } }],
  };

  it('lists open cases with their age and offers flagging to a supervisor only', async () => {
    globalThis.fetch = vi.fn(async () => reply(cases));
    setActivePinia(createPinia());
    const stubs = { 'router-link': { template: '<a><slot /></a>' } };
    const sup = mount(DifficultPanel, { props: { role: 'supervisor' }, global: { plugins: [ElementPlus], stubs } });
    await flushPromises();
    expect(globalThis.fetch.mock.calls[0][0]).toBe('/api/v1/difficult-cases?status=open');
    expect(sup.text()).toContain('SM20241014000001');
    expect(sup.text()).toContain('12 天');
    expect(sup.text()).toContain('会商逾期');
    expect(sup.find('[data-test="difficult-flag"]').exists()).toBe(true);
    sup.unmount();

    const leader = mount(DifficultPanel, { props: { role: 'leader' }, global: { plugins: [ElementPlus], stubs } });
    await flushPromises();
    expect(leader.find('[data-test="difficult-flag"]').exists()).toBe(false);
    leader.unmount();
  });
});
