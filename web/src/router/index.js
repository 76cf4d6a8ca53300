import { createRouter, createWebHistory } from 'vue-router';
import { useSession, homeFor, UNIT_ROLES } from '../stores/session.js';
import { PROGRAMME_ROLES } from '../lib/programmes.js';

const CENTRE_VIEW = ['operator', 'dispatcher', 'callback', 'supervisor', 'inspector', 'leader', 'admin'];
const ALL_STAFF = [...CENTRE_VIEW, ...UNIT_ROLES];

export const routes = [
  { path: '/login', component: () => import('../views/LoginView.vue'), meta: { public: true } },
  { path: '/portal', component: () => import('../views/portal/PortalView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('../layouts/ConsoleLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('../views/NotFound.vue'), meta: { roles: ALL_STAFF } },
      { path: 'intake', component: () => import('../views/operator/IntakeView.vue'), meta: { roles: ['operator', 'dispatcher'], menu: 'intake' } },
      { path: 'dispatch', component: () => import('../views/dispatcher/DispatchView.vue'), meta: { roles: ['dispatcher'], menu: 'dispatch' } },
      { path: 'unit', component: () => import('../views/unit/UnitQueues.vue'), meta: { roles: [...UNIT_ROLES, 'dispatcher', 'supervisor'], menu: 'unit' } },
      { path: 'callback', component: () => import('../views/callback/CallbackView.vue'), meta: { roles: ['callback', 'dispatcher'], menu: 'callback' } },
      { path: 'supervise', component: () => import('../views/supervisor/SuperviseView.vue'), meta: { roles: ['supervisor', 'dispatcher', 'leader'], menu: 'supervise' } },
      { path: 'dashboard', component: () => import('../views/leader/DashboardView.vue'), meta: { roles: ['leader', 'supervisor', 'inspector', 'admin', 'dispatcher'], menu: 'dashboard' } },
      { path: 'programmes', component: () => import('../views/programmes/ProgrammesView.vue'), meta: { roles: PROGRAMME_ROLES, menu: 'programmes' } },
      { path: 'tickets', component: () => import('../views/TicketsView.vue'), meta: { roles: ALL_STAFF, menu: 'tickets' } },
      { path: 'tickets/:number', component: () => import('../views/TicketDetail.vue'), meta: { roles: ALL_STAFF }, props: true },
      { path: 'admin/:tab(users|org|categories|policies|calendar|routing)', component: () => import('../views/admin/AdminView.vue'), meta: { roles: ['admin'], menu: 'admin' }, props: true },
      { path: 'admin', redirect: '/admin/users' },
      { path: 'kb', component: () => import('../views/kb/KbView.vue'), meta: { roles: ['admin', ...UNIT_ROLES], menu: 'kb' } },
      { path: 'kb/:tab(articles|due|lexicon|files)', component: () => import('../views/kb/KbView.vue'), meta: { roles: ['admin', ...UNIT_ROLES] }, props: true },
      { path: ':rest(.*)*', component: () => import('../views/NotFound.vue'), meta: { roles: ALL_STAFF } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const session = useSession();
  await session.restore();
  if (!session.loggedIn) return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (to.path === '/') return homeFor(session.role);
  const roles = to.meta.roles;
  if (roles && !roles.includes(session.role)) return homeFor(session.role);
  return true;
});
