import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Served by the host at /admin; `npm run dev` proxies the API to a host on :6306.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: { proxy: { '/api': 'http://localhost:6306' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
  },
});
