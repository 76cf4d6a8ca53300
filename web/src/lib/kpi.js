// Reading the KPI endpoint's answer tolerantly, and formatting its numbers.

export function formatKpi(k) {
  if (k == null || k.value == null || Number.isNaN(Number(k.value))) return '—';
  const v = Number(k.value);
  const isRate = k.unit === '%' || k.kind === 'rate' || (k.denominator !== undefined && k.denominator !== null) || (v >= 0 && v <= 1 && !Number.isInteger(v));
  if (isRate) {
    const pct = v <= 1 ? v * 100 : v;
    return `${pct.toFixed(1)}%`;
  }
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

// One row of a breakdown: { key, name, count, value }
export function breakdownRow(r) {
  const name = r.name ?? r.region_name ?? r.unit_name ?? r.category_name ?? r.path ?? r.label ?? String(r.id ?? r.key ?? '');
  const count = r.count ?? r.tickets ?? r.total ?? r.accepted ?? r.value ?? 0;
  return { key: r.id ?? r.key ?? r.code ?? name, name, count: Number(count) || 0, raw: r };
}

export function trendRows(trend) {
  return (trend || []).map((r) => ({
    label: r.date ?? r.day ?? r.period ?? r.month ?? r.week ?? r.label ?? '',
    count: Number(r.count ?? r.tickets ?? r.total ?? r.value ?? 0) || 0,
    raw: r,
  }));
}
