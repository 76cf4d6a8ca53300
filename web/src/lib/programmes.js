// Themes and programmes (docs/programmes.md): which tabs a role sees, the campaign's headline
// indicators, QA score sheets and scores checked in the browser before they are sent (the
// server checks them again), and how a difficult case's age is shown.

export const TABS = ['campaigns', 'leaderDays', 'difficult', 'qa'];

const VIEW = {
  campaigns: ['leader', 'supervisor', 'inspector', 'dispatcher', 'admin'],
  leaderDays: ['leader', 'supervisor', 'inspector', 'dispatcher', 'operator', 'admin'],
  difficult: ['supervisor', 'dispatcher', 'admin', 'leader', 'inspector'],
  qa: ['inspector', 'supervisor', 'leader', 'admin', 'operator', 'callback'],
};
const MANAGE = {
  campaigns: ['leader', 'supervisor', 'admin'],
  leaderDays: ['leader', 'supervisor', 'admin'],
  difficult: ['supervisor', 'dispatcher', 'admin'],
  qaSheets: ['inspector', 'admin'],
  qaInspect: ['inspector'],
};

// Every role that sees at least one tab (the route's roles).
export const PROGRAMME_ROLES = [...new Set(Object.values(VIEW).flat())];

export function tabsFor(role) {
  return TABS.filter((tab) => VIEW[tab].includes(role));
}

export function mayManage(role, what) {
  return (MANAGE[what] || []).includes(role);
}

// The KPIs named by `headline` (ids), in that order, from the indicators' kpis.
export function headlineKpis(indicators) {
  if (!indicators || !Array.isArray(indicators.kpis)) return [];
  const ids = indicators.headline || ['received', 'on_time_completion_rate', 'satisfaction_rate', 'resolution_rate'];
  return ids.map((id) => indicators.kpis.find((k) => k.id === id)).filter(Boolean);
}

export function sheetMaxTotal(items) {
  return (items || []).reduce((sum, i) => sum + (Number(i.max_points) || 0), 0);
}

// null when the sheet can be sent, else the i18n key of the problem.
export function sheetProblem(sheet) {
  if (!sheet.name || !sheet.name.trim()) return 'programmes.qa.needName';
  if (!sheet.items || sheet.items.length === 0) return 'programmes.qa.needItems';
  const names = new Set();
  for (const item of sheet.items) {
    if (!item.name || !item.name.trim()) return 'programmes.qa.needItemName';
    if (names.has(item.name)) return 'programmes.qa.duplicateItem';
    names.add(item.name);
    const p = Number(item.max_points);
    if (!Number.isInteger(p) || p < 1 || p > 100) return 'programmes.qa.badPoints';
  }
  return null;
}

// The total of `scores` against `sheet`, or null when a score is missing or out of range.
export function scoreTotal(sheet, scores) {
  if (!sheet || !Array.isArray(scores) || scores.length !== sheet.items.length) return null;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = Number(scores[i]);
    if (!Number.isInteger(v) || v < 0 || v > sheet.items[i].max_points) return null;
    total += v;
  }
  return total;
}

// Element Plus tag type for a difficult case open `days` days.
export function ageType(days) {
  if (days >= 30) return 'danger';
  if (days >= 7) return 'warning';
  return 'info';
}
