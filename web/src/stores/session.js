import { defineStore } from 'pinia';
import { api, setCsrf, getCsrf } from '../api/client.js';

export const UNIT_ROLES = ['unit_handler', 'unit_admin'];

// The first page of each role.
export function homeFor(role) {
  switch (role) {
    case 'operator':
      return '/intake';
    case 'dispatcher':
      return '/dispatch';
    case 'unit_handler':
    case 'unit_admin':
      return '/unit';
    case 'callback':
      return '/callback';
    case 'supervisor':
      return '/supervise';
    case 'leader':
      return '/dashboard';
    case 'admin':
      return '/admin/users';
    default:
      return '/tickets';
  }
}

export const useSession = defineStore('session', {
  state: () => ({ user: null, restored: false }),
  getters: {
    loggedIn: (s) => !!s.user,
    role: (s) => (s.user ? s.user.role : ''),
    isUnit: (s) => !!s.user && UNIT_ROLES.includes(s.user.role),
    home: (s) => homeFor(s.user ? s.user.role : ''),
  },
  actions: {
    async login(login, password) {
      const r = await api.post('/auth/login', { login, password }, { silent: true });
      setCsrf(r.csrf_token);
      this.user = {
        login: r.login,
        name: r.name,
        role: r.role,
        role_name: r.role_name,
        unit: r.unit,
        unit_name: r.unit_name,
      };
      this.restored = true;
      return this.user;
    },
    // After a reload the cookie still holds the session; ask the server who we are.
    async restore() {
      if (this.restored) return this.user;
      try {
        const me = await api.get('/me', undefined, { silent: true });
        this.user = { ...me, login: me.login || '' };
        if (!getCsrf()) this.user.noCsrf = true;
      } catch {
        this.user = null;
      }
      this.restored = true;
      return this.user;
    },
    async logout() {
      try {
        await api.post('/auth/logout', {}, { silent: true });
      } catch {
        /* the session is dropped locally anyway */
      }
      setCsrf('');
      this.user = null;
    },
    expire() {
      setCsrf('');
      this.user = null;
      this.restored = true;
    },
  },
});
