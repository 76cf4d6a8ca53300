import zh from './zh-CN.js';

const messages = zh;

// t('intake.registered'), t('common.selected', { n: 3 }); an unknown key returns the key.
export function t(key, params) {
  let v = key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), messages);
  if (v == null) return key;
  if (typeof v === 'string' && params) {
    v = v.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m));
  }
  return v;
}

export default messages;
