// Before anything that builds a schema: zod must not try `new Function` under the CSP.
import "./zod-config";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { UI_LANGUAGES, chooseLanguage } from "./i18n/strings";
import { useLocalStore } from "./state/local-store";
import "./styles.css";

// First visit: speak the browser's language if Atrium has it (an exhibition may narrow it later).
if (!useLocalStore.getState().language) useLocalStore.setState({ language: chooseLanguage(UI_LANGUAGES, "", navigator.languages ?? []) });
// Every page's language is the interface's (a screen reader picks its voice from it); passages in
// another language carry their own `lang` (useShowText).
document.documentElement.lang = useLocalStore.getState().language;
useLocalStore.subscribe((s, before) => {
  if (s.language !== before.language) document.documentElement.lang = s.language;
});

// The service worker keeps the app and the models for the next visit (src/sw/service-worker.ts).
// Only in a built app (no hot reloading): in `npm run dev` Vite serves changing files under the same names.
if (!import.meta.hot && "serviceWorker" in navigator)
  addEventListener("load", () =>
    void navigator.serviceWorker
      .register("/sw.js", { type: "module" })
      .then(() => navigator.serviceWorker.ready)
      // What this page fetched before the worker ran: it keeps those too.
      .then((registration) => registration.active?.postMessage({ type: "keep", urls: performance.getEntriesByType("resource").map((e) => e.name) }))
      .catch((e: Error) => console.warn(`[atrium] no offline copy: ${e.message}`)),
  );

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
