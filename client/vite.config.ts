import { defineConfig } from 'vite';

/**
 * The browser client: root is this folder, the build goes to client/dist (served by the game server at `/`).
 * `npm run dev:client` serves it with hot reload; it then talks to the game server at LAIRMIND_SERVER
 * (default http://localhost:2567), since the page's own origin is Vite's.
 */
export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  base: './',
  clearScreen: false,
  define: {
    __LAIRMIND_SERVER__: JSON.stringify(command === 'serve' ? (process.env.LAIRMIND_SERVER ?? 'http://localhost:2567') : ''),
  },
  server: {
    port: 5173,
    // The client imports procgen/ and shared/ from the repository root.
    fs: { allow: [`${import.meta.dirname}/..`] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
}));
