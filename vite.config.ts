import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: built to dist/renderer, loaded by Electron from the asar and served by the
// browser-mode host. Relative base so file:// loading works in the packaged app.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
