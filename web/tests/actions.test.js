import { describe, it, expect } from 'vitest';
import { availableActions, allowed, actionBody, missingFields } from '../src/lib/actions.js';

const disp = { role: 'dispatcher', unit: 1 };
const unit = { role: 'unit_handler', unit: 2 };
const other = { role: 'unit_handler', unit: 3 };
const hub = { role: 'unit_admin', unit: 20 };
const cb = { role: 'callback', unit: 1 };

describe('actions offered by role and state', () => {
  it('offers dispatch and merge to a dispatcher on a registered ticket', () => {
    const a = availableActions(disp, { state: 'registered' });
    expect(a).toEqual(expect.arrayContaining(['dispatch', 'merge', 'answer', 'reject']));
    expect(a).not.toContain('sign');
  });
  it('lets only the lead unit sign and reply', () => {
    const tk = { state: 'dispatched', lead_unit: 2, dispatching_unit: 1 };
    expect(allowed('sign', unit, tk)).toBe(true);
    expect(allowed('sign', other, tk)).toBe(false);
    expect(allowed('reply', unit, { ...tk, state: 'signed' })).toBe(true);
    expect(allowed('request_extension', unit, { ...tk, state: 'signed', extension_pending: true })).toBe(false);
  });
  it('lets a platform admin sub-dispatch and decide returns of what it sub-dispatched', () => {
    expect(allowed('sub_dispatch', hub, { state: 'signed', lead_unit: 20 })).toBe(true);
    expect(allowed('approve_return', hub, { state: 'return_requested', lead_unit: 21, dispatching_unit: 20 })).toBe(true);
    expect(allowed('approve_return', hub, { state: 'return_requested', lead_unit: 21, dispatching_unit: 1 })).toBe(false);
  });
  it('offers re-handling only after an unsatisfied or unresolved callback', () => {
    expect(allowed('rehandle', cb, { state: 'callback_done', satisfaction: 'unsatisfied', resolved: true })).toBe(true);
    expect(allowed('rehandle', cb, { state: 'callback_done', satisfaction: 'satisfied', resolved: true })).toBe(false);
    expect(allowed('rehandle', cb, { state: 'callback_done', satisfaction: 'basic', resolved: false })).toBe(true);
  });
  it('builds bodies and names missing required fields', () => {
    expect(actionBody('dispatch', { lead_unit: 5, co_units: [], note: '' })).toEqual({ lead_unit: 5 });
    expect(actionBody('dispatch', { lead_unit: 5, co_units: [6, 7] })).toEqual({ lead_unit: 5, co_units: [6, 7] });
    expect(actionBody('callback', { reached: false, resolved: true, satisfaction: '满意', comment: '' })).toEqual({ reached: false });
    expect(missingFields('reply', {})).toEqual(['答复内容']);
    expect(missingFields('callback', { reached: false })).toEqual([]);
    expect(missingFields('callback', { reached: true, satisfaction: '' })).toEqual(['满意度']);
  });
});
