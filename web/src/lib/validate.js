// Form rules shared by the intake form and the citizen portal.
import { t } from '../i18n/index.js';

export const MAX_CONTENT = 4000;
export const MAX_NAME = 50;

// Mobile (13800001111), landline with or without area code and extension (0598-1234567-8),
// or a short service number (95598).
const PHONE_RE = /^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8}|9\d{4,5})$/;

export function normalizePhone(p) {
  return String(p || '').replace(/[\s()（）]/g, '');
}

export function isPhone(p) {
  return PHONE_RE.test(normalizePhone(p));
}

// Returns { field: message } for every invalid field (empty when valid).
export function validateIntake(f) {
  const errors = {};
  const phone = normalizePhone(f.citizen_phone);
  if (phone && !isPhone(phone)) errors.citizen_phone = t('intake.phoneInvalid');
  if (!f.type) errors.type = t('intake.typeRequired');
  const content = String(f.content || '').trim();
  if (!content) errors.content = t('intake.contentRequired');
  else if ([...content].length > MAX_CONTENT) errors.content = t('intake.contentTooLong', { n: MAX_CONTENT });
  if (f.citizen_name && [...f.citizen_name].length > MAX_NAME) errors.citizen_name = t('intake.nameTooLong', { n: MAX_NAME });
  return errors;
}

export function validatePortal(f) {
  const errors = {};
  if (!isPhone(f.phone)) errors.phone = t('intake.phoneInvalid');
  const content = String(f.content || '').trim();
  if (!content) errors.content = t('intake.contentRequired');
  else if ([...content].length > MAX_CONTENT) errors.content = t('intake.contentTooLong', { n: MAX_CONTENT });
  if (f.name && [...f.name].length > MAX_NAME) errors.name = t('intake.nameTooLong', { n: MAX_NAME });
  return errors;
}

// The body POST /tickets expects, from the intake form.
export function intakeBody(f) {
  const body = {
    type: f.type,
    urgency: f.urgency || '普通',
    channel: f.channel || 'phone',
    content: String(f.content || '').trim(),
    citizen_phone: normalizePhone(f.citizen_phone),
    anonymous: !!f.anonymous,
    confidential: !!f.confidential,
  };
  if (f.citizen_name && !f.anonymous) body.citizen_name = f.citizen_name.trim();
  if (f.address) body.address = f.address.trim();
  if (f.title) body.title = f.title.trim();
  if (f.region) body.region = Number(f.region);
  if (f.category) body.category = Number(f.category);
  return body;
}
