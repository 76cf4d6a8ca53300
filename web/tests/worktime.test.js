import { describe, it, expect } from 'vitest';
import { workingMsBetween, formatWorking, countdown, makeCalendar, calendarFromJson, isWorkday, cnDateKey, formatTime } from '../src/lib/worktime.js';

// China time → instant (ms)
const cn = (s) => Date.parse(s + '+08:00');
const H = 3600000;

describe('working time', () => {
  it('counts office hours only (08:30-12:00, 14:30-17:30)', () => {
    expect(workingMsBetween(cn('2024-10-09T08:00:00'), cn('2024-10-09T18:00:00'))).toBe(6.5 * H);
    expect(workingMsBetween(cn('2024-10-09T11:00:00'), cn('2024-10-09T15:00:00'))).toBe(1.5 * H);
    expect(workingMsBetween(cn('2024-10-09T12:00:00'), cn('2024-10-09T14:30:00'))).toBe(0);
  });
  it('skips weekends', () => {
    // Friday 16:30 → Monday 09:30 = 1h + 1h
    expect(workingMsBetween(cn('2024-10-11T16:30:00'), cn('2024-10-14T09:30:00'))).toBe(2 * H);
  });
  it('skips holidays and counts make-up working days', () => {
    const cal = calendarFromJson({ holidays: ['2024-10-01..2024-10-07'], workdays: ['2024-10-12'] });
    expect(isWorkday(cn('2024-10-03T10:00:00'), cal)).toBe(false);
    expect(isWorkday(cn('2024-10-12T10:00:00'), cal)).toBe(true);
    expect(workingMsBetween(cn('2024-09-30T17:00:00'), cn('2024-10-08T09:00:00'), cal)).toBe(1 * H);
    const sat = cn('2024-10-12T08:30:00');
    expect(workingMsBetween(sat, sat + 10 * H, cal)).toBe(6.5 * H);
  });
  it('is negative when the deadline has passed', () => {
    expect(workingMsBetween(cn('2024-10-09T10:00:00'), cn('2024-10-09T09:00:00'))).toBe(-1 * H);
  });
  it('uses China time whatever the browser zone', () => {
    expect(cnDateKey(Date.parse('2024-10-08T20:00:00Z'))).toBe('2024-10-09');
    expect(formatTime(Date.parse('2024-10-08T20:00:00Z') / 1000)).toBe('2024-10-09 04:00');
  });
  it('reads day lists in either shape', () => {
    const cal = calendarFromJson({ days: [{ date: '2025-01-01', kind: 'holiday' }, { from: '2025-01-26', to: '2025-01-26', type: 'workday' }] });
    expect(cal.holidays.has('2025-01-01')).toBe(true);
    expect(cal.workdays.has('2025-01-26')).toBe(true);
  });
});

describe('countdown text', () => {
  it('formats working days of 6.5 hours, hours and minutes', () => {
    expect(formatWorking(2 * 6.5 * H + 3 * H)).toBe('2个工作日3小时');
    expect(formatWorking(3 * H + 20 * 60000)).toBe('3小时20分');
    expect(formatWorking(20 * 60000)).toBe('20分');
    expect(formatWorking(10000)).toBe('不足1分');
  });
  it('marks overdue, close and comfortable deadlines', () => {
    const now = cn('2024-10-09T10:00:00');
    const over = countdown(cn('2024-10-09T09:00:00') / 1000, now);
    expect(over.level).toBe('over');
    expect(over.text).toBe('超期 1小时');
    const soon = countdown(cn('2024-10-09T16:00:00') / 1000, now);
    expect(soon.level).toBe('warn');
    expect(soon.text).toBe('剩 3小时30分');
    const later = countdown(cn('2024-10-16T10:00:00') / 1000, now);
    expect(later.level).toBe('ok');
    expect(later.text).toBe('剩 5个工作日');
  });
  it('counts natural time for 24-hour limits, and shows paused and missing deadlines', () => {
    const now = cn('2024-10-12T10:00:00'); // a Saturday
    expect(countdown(cn('2024-10-13T10:00:00') / 1000, now, { natural: true }).text).toBe('剩 1天');
    expect(countdown(cn('2024-10-13T10:00:00') / 1000, now, { paused: true }).level).toBe('paused');
    expect(countdown(null, now).level).toBe('none');
  });
  it('respects a custom calendar', () => {
    const cal = makeCalendar({ hours: [[9 * 60, 17 * 60]] });
    expect(formatWorking(8 * H + H, cal)).toBe('1个工作日1小时');
  });
});

describe('the server calendar', () => {
  it('reads the admin calendar answer with its office hours, and merges years', async () => {
    const { calendarFromJson, mergeCalendars, workingMsPerDay } = await import('../src/lib/worktime.js');
    const a = calendarFromJson({ year: 2024, office_hours: ['09:00-12:00', '13:00-17:00'], holidays: [{ date: '2024-10-01', name: '国庆节' }], workdays: [{ date: '2024-10-12', name: '国庆节调休' }] });
    expect(workingMsPerDay(a)).toBe(7 * 3600000);
    const b = calendarFromJson({ year: 2025, holidays: [{ date: '2025-01-01', name: '元旦' }], workdays: [] });
    const m = mergeCalendars([a, b]);
    expect([...m.holidays].sort()).toEqual(['2024-10-01', '2025-01-01']);
    expect(m.workdays.has('2024-10-12')).toBe(true);
  });
});
