// Lists to spreadsheets: the server's xlsx when it has one, else CSV made here (UTF-8 with
// BOM so that Excel opens Chinese text correctly).
import { t } from '../i18n/index.js';
import { request, buildUrl } from '../api/client.js';

export const TICKET_COLUMNS = [
  ['number', () => t('ticket.number')],
  ['state_name', () => t('ticket.state')],
  ['type_name', () => t('ticket.type')],
  ['urgency_name', () => t('ticket.urgency')],
  ['category_path', () => t('ticket.category')],
  ['region_name', () => t('ticket.region')],
  ['address', () => t('ticket.address')],
  ['content', () => t('ticket.content')],
  ['lead_unit_name', () => t('ticket.leadUnit')],
  ['created_at_local', () => t('ticket.createdAt')],
  ['reply_deadline_local', () => t('ticket.replyDeadline')],
  ['satisfaction_name', () => t('ticket.satisfaction')],
];

export function csvCell(v) {
  if (v === null || v === undefined) return '';
  let s = Array.isArray(v) ? v.join('、') : String(v);
  // Formula injection: a cell starting with = + - @ is read as text.
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function toCsv(rows, columns = TICKET_COLUMNS) {
  const head = columns.map(([, label]) => csvCell(typeof label === 'function' ? label() : label)).join(',');
  const body = rows.map((r) => columns.map(([k]) => csvCell(r[k])).join(','));
  return '\ufeff' + [head, ...body].join('\r\n') + '\r\n';
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Returns 'xlsx' or 'csv' (what was downloaded).
export async function exportTickets(query, loadedRows, baseName = 'tickets') {
  try {
    const res = await request('GET', buildUrl('/api/v1/tickets.xlsx', query), { raw: true, silent: (e) => e.missing });
    const blob = await res.blob();
    download(blob, `${baseName}.xlsx`);
    return 'xlsx';
  } catch (e) {
    if (!e.missing) throw e;
  }
  download(new Blob([toCsv(loadedRows)], { type: 'text/csv;charset=utf-8' }), `${baseName}.csv`);
  return 'csv';
}
