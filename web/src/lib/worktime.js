// Working time on China's official calendar, computed in China time (UTC+8) whatever the
// browser's time zone: office hours on working days, weekends off unless they are make-up
// working days (调休), statutory holidays off. Same rules as the server's calendar
// (data/calendar/cn.txt); the holiday list comes from the server when it shares it.
import { t } from '../i18n/index.js';

const CN_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_HOURS = [
  [8 * 60 + 30, 12 * 60],
  [14 * 60 + 30, 17 * 60 + 30],
];

// Merges calendars of several years (same office hours).
export function mergeCalendars(cals) {
  const c = makeCalendar({ hours: cals.length ? cals[0].hours : DEFAULT_HOURS });
  for (const x of cals) {
    x.holidays.forEach((d) => c.holidays.add(d));
    x.workdays.forEach((d) => c.workdays.add(d));
  }
  return c;
}

export function makeCalendar({ holidays = [], workdays = [], hours = DEFAULT_HOURS } = {}) {
  return { holidays: new Set(holidays), workdays: new Set(workdays), hours };
}

export const defaultCalendar = makeCalendar();

// 'YYYY-MM-DD' of the China-time day containing `ms`.
export function cnDateKey(ms) {
  return new Date(ms + CN_OFFSET_MS).toISOString().slice(0, 10);
}

export function isWorkday(ms, cal = defaultCalendar) {
  const key = cnDateKey(ms);
  if (cal.workdays.has(key)) return true;
  if (cal.holidays.has(key)) return false;
  const dow = new Date(ms + CN_OFFSET_MS).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export function workingMsPerDay(cal = defaultCalendar) {
  return cal.hours.reduce((s, [a, b]) => s + (b - a) * 60000, 0);
}

// Working milliseconds between two instants (negative when b < a).
export function workingMsBetween(a, b, cal = defaultCalendar) {
  if (b < a) return -workingMsBetween(b, a, cal);
  let total = 0;
  // Midnight (China time) of a's day, as a UTC instant.
  let dayStart = Math.floor((a + CN_OFFSET_MS) / DAY_MS) * DAY_MS - CN_OFFSET_MS;
  for (let i = 0; dayStart < b && i < 3700; i++, dayStart += DAY_MS) {
    if (!isWorkday(dayStart + 12 * 3600 * 1000, cal)) continue;
    for (const [from, to] of cal.hours) {
      const s = Math.max(a, dayStart + from * 60000);
      const e = Math.min(b, dayStart + to * 60000);
      if (e > s) total += e - s;
    }
  }
  return total;
}

// “2个工作日3小时”, “3小时20分”, “20分”: working days of the calendar's office hours.
export function formatWorking(ms, cal = defaultCalendar) {
  ms = Math.abs(ms);
  const perDay = workingMsPerDay(cal);
  const days = Math.floor(ms / perDay);
  let rest = ms - days * perDay;
  const hours = Math.floor(rest / 3600000);
  rest -= hours * 3600000;
  const minutes = Math.floor(rest / 60000);
  const parts = [];
  if (days) parts.push(t('countdown.day', { n: days }));
  if (hours) parts.push(t('countdown.hour', { n: hours }));
  if (minutes && !days) parts.push(t('countdown.minute', { n: minutes }));
  return parts.length ? parts.join('') : t('countdown.lessThanMinute');
}

// Natural time, for limits counted day and night (特急 24h).
export function formatNatural(ms) {
  ms = Math.abs(ms);
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / 3600000);
  const minutes = Math.floor((ms % 3600000) / 60000);
  const parts = [];
  if (days) parts.push(`${days}天`);
  if (hours) parts.push(t('countdown.hour', { n: hours }));
  if (minutes && !days) parts.push(t('countdown.minute', { n: minutes }));
  return parts.length ? parts.join('') : t('countdown.lessThanMinute');
}

// The countdown of a deadline (unix seconds) at `now` (ms):
// { text, level: 'ok'|'warn'|'over'|'none'|'paused', ms }
export function countdown(deadlineSec, nowMs, { cal = defaultCalendar, natural = false, paused = false } = {}) {
  if (!deadlineSec) return { text: t('countdown.none'), level: 'none', ms: 0 };
  if (paused) return { text: t('countdown.paused'), level: 'paused', ms: 0 };
  const deadline = deadlineSec * 1000;
  const ms = natural ? deadline - nowMs : workingMsBetween(nowMs, deadline, cal);
  const over = deadline <= nowMs;
  const text = natural ? formatNatural(ms) : formatWorking(ms, cal);
  if (over) return { text: t('countdown.over', { text }), level: 'over', ms: -Math.abs(ms) };
  const warnBelow = natural ? 4 * 3600000 : workingMsPerDay(cal);
  return { text: t('countdown.left', { text }), level: ms < warnBelow ? 'warn' : 'ok', ms };
}

// Tolerant reader for the server's calendar JSON: {holidays:[...], workdays:[...]} or
// {days:[{date, kind|type: 'holiday'|'workday'}]} (dates 'YYYY-MM-DD', or {from,to} ranges).
export function calendarFromJson(j) {
  const holidays = [];
  const workdays = [];
  const expand = (d) => {
    if (typeof d === 'string') {
      const m = d.match(/^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?/);
      if (!m) return [];
      return m[2] ? range(m[1], m[2]) : [m[1]];
    }
    if (d && d.from) return range(d.from, d.to || d.from);
    if (d && d.date) return [d.date];
    return [];
  };
  for (const d of j.holidays || []) holidays.push(...expand(d));
  for (const d of j.workdays || []) workdays.push(...expand(d));
  for (const d of j.days || j.entries || []) {
    const kind = d.kind || d.type;
    (kind === 'workday' ? workdays : kind === 'holiday' ? holidays : []).push(...expand(d));
  }
  // office_hours: ["08:30-12:00", "14:30-17:30"]
  const hours = (j.office_hours || [])
    .map((h) => String(h).match(/^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/))
    .filter(Boolean)
    .map((m) => [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])]);
  return makeCalendar({ holidays, workdays, hours: hours.length ? hours : DEFAULT_HOURS });
}

function range(from, to) {
  const out = [];
  let ms = Date.parse(from + 'T00:00:00Z');
  const end = Date.parse(to + 'T00:00:00Z');
  for (let i = 0; ms <= end && i < 400; i++, ms += DAY_MS) out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
}

export function formatTime(sec) {
  if (!sec) return '';
  const d = new Date(sec * 1000 + CN_OFFSET_MS).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}
