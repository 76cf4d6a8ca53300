import { describe, it, expect } from 'vitest';
import { isPhone, validateIntake, validatePortal, intakeBody } from '../src/lib/validate.js';

describe('form validation', () => {
  it('accepts mobile, landline and service numbers', () => {
    for (const p of ['13800001111', '0598-8221234', '05988221234', '0598-8221234-12', '8221234', '95598', '+8613800001111', '138 0000 1111']) expect(isPhone(p), p).toBe(true);
    for (const p of ['12345', '1380000111', 'abc', '23800001111', '']) expect(isPhone(p), p).toBe(false);
  });
  it('requires type and content at intake; a phone is optional but must be valid', () => {
    expect(validateIntake({ type: '投诉', content: '路灯不亮' })).toEqual({});
    const e = validateIntake({ type: '', content: '   ', citizen_phone: '123' });
    expect(Object.keys(e).sort()).toEqual(['citizen_phone', 'content', 'type']);
    expect(e.content).toBe('请填写诉求内容');
    expect(validateIntake({ type: '咨询', content: 'x'.repeat(4001) }).content).toContain('4000');
  });
  it('requires a phone on the portal', () => {
    expect(validatePortal({ phone: '', content: '噪音扰民' }).phone).toBe('电话号码格式不正确');
    expect(validatePortal({ phone: '13800001111', content: '噪音扰民' })).toEqual({});
  });
  it('builds the registration body: anonymous drops the name, ids are numbers', () => {
    const b = intakeBody({ type: '举报', content: ' 有人偷排污水 ', citizen_phone: '138 0000 1111', citizen_name: '张三', anonymous: true, confidential: true, region: '5', category: '12' });
    expect(b).toMatchObject({ type: '举报', content: '有人偷排污水', citizen_phone: '13800001111', anonymous: true, confidential: true, region: 5, category: 12, urgency: '普通', channel: 'phone' });
    expect(b.citizen_name).toBeUndefined();
  });
});
