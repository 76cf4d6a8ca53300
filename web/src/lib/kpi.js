// Reading the KPI endpoint's answer (GET /api/v1/kpi, docs/kpi.md) and formatting its numbers.
// kpis: [{id, name, value, numerator, denominator, unit}] — rates have unit '%' and a value
// already in percent; breakdowns are [{id, name, kpis}], the trend [{date, kpis}].

export function formatKpi(k) {
  if (k == null || k.value == null || Number.isNaN(Number(k.value))) return '—';
  const v = Number(k.value);
  if (k.unit === '%') return `${v.toFixed(1)}%`;
  if (k.unit === '件' || (k.unit === undefined && Number.isInteger(v))) return String(Math.round(v));
  if (k.unit === undefined && k.denominator != null && v <= 1) return `${(v * 100).toFixed(1)}%`;
  return `${Number.isInteger(v) ? v : v.toFixed(2)}${k.unit && k.unit !== '件' ? ` ${k.unit}` : ''}`;
}

function valueOf(r, kpiId) {
  if (Array.isArray(r.kpis)) {
    const k = r.kpis.find((x) => x.id === kpiId) || r.kpis[0];
    return k ? Number(k.value) || 0 : 0;
  }
  return Number(r.count ?? r.tickets ?? r.total ?? r.value ?? 0) || 0;
}

// One row of a breakdown, valued by the KPI `kpiId`: { key, name, count }
export function breakdownRow(r, kpiId = 'received') {
  const name = r.name ?? r.region_name ?? r.unit_name ?? r.category_name ?? r.path ?? r.label ?? String(r.id ?? r.key ?? '');
  return { key: r.id ?? r.key ?? r.code ?? name, name, count: valueOf(r, kpiId), raw: r };
}

export function trendRows(trend, kpiId = 'received') {
  return (trend || []).map((r) => ({
    label: r.date ?? r.day ?? r.period ?? r.month ?? r.label ?? '',
    count: valueOf(r, kpiId),
    raw: r,
  }));
}
