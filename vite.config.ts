import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The app is a single page served by `server/` in production (`npm start`). In `npm run dev`
 * Vite serves it and proxies `/api` and `/models` to a running `npm run serve` on port 8080.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    // No source maps in production: they would publish the sources, and the server never serves `.map` files.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    // The headset and class layers are lazily loaded chunks, so code both they and the visit page
    // use goes into shared chunks. Modules must still run in import order across those chunks:
    // `main.tsx` first tells zod not to probe `new Function`, which the CSP forbids.
    rolldownOptions: { output: { strictExecutionOrder: true } },
  },
  server: {
    proxy: {
      "/api": "http://localhost:8080",
      "/models": "http://localhost:8080",
    },
  },
});
