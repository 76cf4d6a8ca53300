import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus, { ElMessage } from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router/index.js';
import { setNotifier, setUnauthenticatedHandler } from './api/client.js';
import { useSession } from './stores/session.js';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);
app.use(ElementPlus, { locale: zhCn });

// Every API error is shown once, with the server's Chinese message.
setNotifier((msg) => ElMessage({ type: 'error', message: msg, grouping: true, showClose: true }));
setUnauthenticatedHandler(() => {
  const session = useSession(pinia);
  if (session.user) {
    session.expire();
    const cur = router.currentRoute.value;
    if (!cur.meta.public) router.push({ path: '/login', query: { redirect: cur.fullPath } });
  }
});

app.mount('#app');
