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

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
