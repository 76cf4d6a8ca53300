// The ticket actions the console offers: where each applies, who may take it and the fields
// its dialog asks for. Mirrors docs/ticket_lifecycle.md; the server checks again.
import { t } from '../i18n/index.js';

const OPEN_UNIT = ['dispatched', 'signed'];

// field kinds: text, textarea, unit, units, childUnit, number, bool, satisfaction, level, datetime, file
export const ACTIONS = {
  answer: { states: ['registered'], roles: ['operator', 'dispatcher'], fields: [{ key: 'answer', kind: 'textarea', required: true }] },
  reject: {
    states: ['registered'],
    roles: ['operator', 'dispatcher'],
    fields: [{ key: 'reason', kind: 'textarea', required: true }, { key: 'told_channel', kind: 'text' }],
  },
  dispatch: { states: ['registered'], roles: ['dispatcher'], fields: [{ key: 'lead_unit', kind: 'unit', required: true }, { key: 'co_units', kind: 'units' }, { key: 'note', kind: 'text' }] },
  escalate: { states: ['registered'], roles: ['dispatcher'], fields: [{ key: 'reason', kind: 'textarea', required: true }] },
  province_reply: { states: ['escalated'], roles: ['dispatcher'], fields: [{ key: 'reply', kind: 'textarea', required: true }] },
  sign: { states: ['dispatched'], roles: ['lead'], fields: [] },
  sub_dispatch: { states: OPEN_UNIT, roles: ['lead_admin'], fields: [{ key: 'lead_unit', kind: 'childUnit', required: true }, { key: 'note', kind: 'text' }] },
  request_return: { states: OPEN_UNIT, roles: ['lead'], fields: [{ key: 'reason', kind: 'textarea', required: true }] },
  approve_return: { states: ['return_requested'], roles: ['authority'], fields: [{ key: 'comment', kind: 'text' }] },
  reject_return: { states: ['return_requested'], roles: ['authority'], fields: [{ key: 'comment', kind: 'textarea', required: true }] },
  redispatch: { states: OPEN_UNIT, roles: ['authority'], fields: [{ key: 'lead_unit', kind: 'unit', required: true }, { key: 'co_units', kind: 'units' }, { key: 'reason', kind: 'textarea', required: true }] },
  request_extension: {
    states: ['signed'],
    roles: ['lead'],
    when: (tk) => !tk.extension_pending,
    fields: [{ key: 'days', kind: 'number', required: true, min: 1, max: 60, default: 3 }, { key: 'reason', kind: 'textarea', required: true }],
  },
  approve_extension: { states: ['signed'], roles: ['authority'], when: (tk) => tk.extension_pending, fields: [{ key: 'days', kind: 'number', min: 1, max: 60 }, { key: 'comment', kind: 'text' }] },
  reject_extension: { states: ['signed'], roles: ['authority'], when: (tk) => tk.extension_pending, fields: [{ key: 'comment', kind: 'textarea', required: true }] },
  reply: { states: ['signed'], roles: ['lead'], fields: [{ key: 'reply', kind: 'textarea', required: true }, { key: 'files', kind: 'file' }] },
  review_pass: { states: ['replied'], roles: ['authority'], fields: [{ key: 'comment', kind: 'text' }] },
  review_fail: { states: ['replied'], roles: ['authority'], fields: [{ key: 'reason', kind: 'textarea', required: true }] },
  callback: {
    states: ['reviewed'],
    roles: ['callback'],
    fields: [
      { key: 'reached', kind: 'bool', default: true },
      { key: 'resolved', kind: 'bool', default: true, showIf: (f) => f.reached },
      { key: 'satisfaction', kind: 'satisfaction', required: true, default: '满意', showIf: (f) => f.reached },
      { key: 'comment', kind: 'text' },
    ],
  },
  rehandle: {
    states: ['callback_done'],
    roles: ['callback', 'dispatcher'],
    when: (tk) => tk.resolved === false || tk.satisfaction === 'unsatisfied',
    fields: [{ key: 'reason', kind: 'textarea', required: true }],
  },
  archive: { states: ['closed', 'callback_done', 'rejected', 'merged', 'withdrawn'], roles: ['dispatcher', 'admin'], fields: [] },
  merge: { states: ['registered', 'dispatched', 'signed'], roles: ['dispatcher'], fields: [{ key: 'into', kind: 'text', required: true }, { key: 'reason', kind: 'text' }] },
  withdraw: {
    states: ['registered', 'dispatched', 'signed', 'return_requested', 'suspended', 'escalated'],
    roles: ['operator', 'dispatcher'],
    fields: [{ key: 'reason', kind: 'text' }],
  },
  suspend: { states: OPEN_UNIT, roles: ['dispatcher', 'supervisor'], fields: [{ key: 'reason', kind: 'textarea', required: true }] },
  resume: { states: ['suspended'], roles: ['dispatcher', 'supervisor'], fields: [{ key: 'comment', kind: 'text' }] },
  urge: { states: OPEN_UNIT, roles: ['supervisor', 'dispatcher'], fields: [{ key: 'comment', kind: 'text' }] },
  supervise: {
    states: ['dispatched', 'signed', 'return_requested', 'suspended', 'replied'],
    roles: ['supervisor'],
    fields: [{ key: 'level', kind: 'level', required: true, default: 1 }, { key: 'comment', kind: 'text' }],
  },
  add_co_unit: { states: OPEN_UNIT, roles: ['authority'], fields: [{ key: 'unit', kind: 'unit', required: true }] },
  change_deadline: {
    states: ['dispatched', 'signed', 'suspended'],
    roles: ['dispatcher', 'supervisor'],
    fields: [{ key: 'reply_deadline', kind: 'datetime', required: true }, { key: 'reason', kind: 'textarea', required: true }],
  },
  note: { states: 'open', roles: ['centre', 'involved'], fields: [{ key: 'text', kind: 'textarea', required: true }] },
  attach: { states: 'open', roles: ['centre', 'involved'], fields: [{ key: 'files', kind: 'file', required: true }] },
};

const CENTRE = ['operator', 'dispatcher', 'callback', 'supervisor', 'inspector', 'leader', 'admin'];
const UNIT = ['unit_handler', 'unit_admin'];

function roleMatches(r, user, tk) {
  const unitStaff = UNIT.includes(user.role);
  switch (r) {
    case 'lead':
      return unitStaff && tk.lead_unit === user.unit;
    case 'lead_admin':
      return user.role === 'unit_admin' && tk.lead_unit === user.unit;
    case 'authority':
      return user.role === 'dispatcher' || (user.role === 'unit_admin' && tk.dispatching_unit === user.unit && tk.dispatching_unit !== 1);
    case 'centre':
      return CENTRE.includes(user.role);
    case 'involved':
      return unitStaff && (tk.lead_unit === user.unit || (tk.co_units || []).includes(user.unit) || tk.dispatching_unit === user.unit);
    default:
      return user.role === r;
  }
}

export function allowed(code, user, tk) {
  const a = ACTIONS[code];
  if (!a || !user || !tk) return false;
  const stateOk = a.states === 'open' ? tk.state !== 'archived' : a.states.includes(tk.state);
  if (!stateOk) return false;
  if (a.when && !a.when(tk)) return false;
  return a.roles.some((r) => roleMatches(r, user, tk));
}

// Every action `user` may take on `tk`, main ones first.
export function availableActions(user, tk) {
  return Object.keys(ACTIONS).filter((c) => allowed(c, user, tk));
}

export function actionName(code) {
  return t(`actions.${code}`);
}

// The request body of an action from its dialog's form values (files are sent separately).
export function actionBody(code, form) {
  const a = ACTIONS[code];
  const body = {};
  for (const f of a.fields) {
    if (f.kind === 'file') continue;
    if (f.showIf && !f.showIf(form)) continue;
    const v = form[f.key];
    if (v === undefined || v === null || v === '') continue;
    if (f.kind === 'units') {
      if (Array.isArray(v) && v.length) body[f.key] = v;
    } else if (f.kind === 'datetime') {
      body[f.key] = v; // 'YYYY-MM-DDTHH:mm:ss+08:00'
    } else {
      body[f.key] = v;
    }
  }
  return body;
}

// Missing required fields' labels.
export function missingFields(code, form) {
  const a = ACTIONS[code];
  return a.fields
    .filter((f) => f.required && (!f.showIf || f.showIf(form)))
    .filter((f) => {
      const v = form[f.key];
      return v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length);
    })
    .map((f) => t(`fields.${f.key}`));
}
