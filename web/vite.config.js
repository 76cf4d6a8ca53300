import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev` proxies the API to a running `hotline serve` (HOTLINE_API, default :8080).
const api = process.env.HOTLINE_API || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  base: '/',
  server: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.js'],
  },
});
