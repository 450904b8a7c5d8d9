import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is plain browser code: built once, loaded by Electron (attest://app) and by the
// browser end-to-end tests alike.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
