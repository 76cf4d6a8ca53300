import { describe, it, expect } from 'vitest';
import { toCsv, csvCell } from '../src/lib/export.js';
import { formatKpi, breakdownRow, trendRows } from '../src/lib/kpi.js';
import { regionsFromUnits, buildTree } from '../src/stores/reference.js';

describe('CSV export', () => {
  it('quotes, escapes and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('他说"好"')).toBe('"他说""好"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(null)).toBe('');
  });
  it('starts with a BOM and a Chinese header', () => {
    const csv = toCsv([{ number: 'SM1', content: '路灯,不亮' }], [['number', '工单编号'], ['content', '诉求内容']]);
    expect(csv).toBe('\ufeff工单编号,诉求内容\r\nSM1,"路灯,不亮"\r\n');
  });
});

describe('KPI formatting', () => {
  it('shows rates in percent, counts as integers, other units with their unit', () => {
    expect(formatKpi({ value: 87.34, numerator: 873, denominator: 1000, unit: '%' })).toBe('87.3%');
    expect(formatKpi({ value: 0.5, numerator: 1, denominator: 200, unit: '%' })).toBe('0.5%');
    expect(formatKpi({ value: 120, numerator: 120, denominator: null, unit: '件' })).toBe('120');
    expect(formatKpi({ value: 2.35, unit: '工作日' })).toBe('2.35 工作日');
    expect(formatKpi({ value: null })).toBe('—');
  });
  it('values breakdown and trend rows by the chosen KPI', () => {
    const row = { id: 3, name: '三元区', kpis: [{ id: 'received', value: 12 }, { id: 'satisfaction_rate', value: 91.5 }] };
    expect(breakdownRow(row)).toMatchObject({ key: 3, name: '三元区', count: 12 });
    expect(breakdownRow(row, 'satisfaction_rate').count).toBe(91.5);
    expect(breakdownRow({ unit: 2, unit_name: '住建局', tickets: 5 })).toMatchObject({ name: '住建局', count: 5 });
    expect(trendRows([{ date: '2024-10-09', kpis: [{ id: 'received', value: 7 }] }])).toMatchObject([{ label: '2024-10-09', count: 7 }]);
  });
});

describe('reference data', () => {
  it('derives regions from the units that serve them', () => {
    const units = [
      { id: 1, name: '三明市12345政务服务便民热线中心', kind: 'centre', level: 'city', parent: 0, region: 1 },
      { id: 2, name: '三明市住房和城乡建设局', kind: 'department', level: 'city', parent: 1, region: 1 },
      { id: 19, name: '三元区12345分平台', kind: 'platform', level: 'county', parent: 1, region: 2 },
      { id: 20, name: '三元区城关街道办事处', kind: 'department', level: 'township', parent: 19, region: 3 },
    ];
    const regions = regionsFromUnits(units);
    expect(regions.map((r) => r.name)).toEqual(['三明市', '三元区', '三元区城关街道']);
    const tree = buildTree(regions);
    expect(tree).toHaveLength(1);
    expect(tree[0].children[0].children[0].name).toBe('三元区城关街道');
  });
});
