import { InvitePage } from "../account/InvitePage";
import { SignInPage } from "../account/SignInPage";
import { ExhibitionListPage } from "../visit/ExhibitionListPage";
import { ExplorePage } from "../visit/ExplorePage";
import { QrCardPage } from "../visit/QrCardPage";
import { embedExtension } from "../embed/embed-extension";
import { VisitPage } from "../visit/VisitPage";
import { JoinPage } from "../session/JoinPage";
import { lazy, Suspense, useEffect } from "react";
import { useReducedMotion, usePreferences } from "../state/preferences";

// The studio's tools load only when someone opens the studio: visitors never download them.
const StudioPage = lazy(() => import("../studio/StudioPage").then((m) => ({ default: m.StudioPage })));
// The statistics page and its chart library load only for owners who open it.
const StatsPage = lazy(() => import("../stats/StatsPage").then((m) => ({ default: m.StatsPage })));
// Collection folders: their own chunk, for signed-in users and readers of a shared folder.
const FoldersPage = lazy(() => import("../folders/FoldersPage").then((m) => ({ default: m.FoldersPage })));
const SharedFolderPage = lazy(() => import("../folders/SharedFolderPage").then((m) => ({ default: m.SharedFolderPage })));
import { navigate, parseRoute, useLocationKey } from "../state/router";
import { useT } from "../i18n/strings";

/** The viewer in another site's page: the embed bridge, nothing else. */
const EMBEDDED = [embedExtension];

/** The app shell: picks the page for the current URL. */
export function App() {
  useLocationKey();
  usePreferencesOnPage();
  const route = parseRoute(window.location.pathname);
  switch (route.name) {
    case "home":
      return <ExhibitionListPage />;
    case "visit":
      return <VisitPage key={route.id} id={route.id} />;
    case "studio":
      return (
        <Suspense fallback={null}>
          <StudioPage key={route.id} id={route.id} />
        </Suspense>
      );
    case "stats":
      return (
        <Suspense fallback={null}>
          <StatsPage key={route.id} id={route.id} />
        </Suspense>
      );
    case "card":
      return <QrCardPage key={route.id} id={route.id} />;
    case "folders":
      return (
        <Suspense fallback={null}>
          <FoldersPage id={route.id} />
        </Suspense>
      );
    case "shared-folder":
      return (
        <Suspense fallback={null}>
          <SharedFolderPage key={route.code} code={route.code} />
        </Suspense>
      );
    case "signin":
      return <SignInPage />;
    case "explore":
      return <ExplorePage />;
    case "embed":
      return <VisitPage key={route.id} id={route.id} extensions={EMBEDDED} embedded />;
    case "invite":
      return <InvitePage token={route.token} />;
    case "join":
      return <JoinPage code={route.code} />;
    case "short-link":
      return <NoSuchLink />;
    case "not-found":
      return (
        <main className="page error-page" role="alert">
          <h1>404</h1>
          <p>
            <code>{route.path}</code>
          </p>
          <a href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
            ←
          </a>
        </main>
      );
  }
}

/** `/s/<code>` the server did not redirect: a mistyped code, or a show that is no longer public. */
function NoSuchLink() {
  const t = useT();
  return (
    <main className="page error-page">
      <h1>{t("noSuchLink")}</h1>
      <p>{t("noSuchLinkWhy")}</p>
      <p>
        <a href="/explore" onClick={(e) => (e.preventDefault(), navigate("/explore"))}>
          {t("exploreTitle")} →
        </a>
      </p>
    </main>
  );
}

/** Text size, high contrast and reduced motion apply to every page (styles.css reads `--text-scale` and `.high-contrast`). */
function usePreferencesOnPage() {
  const textSize = usePreferences((s) => s.textSize);
  const highContrast = usePreferences((s) => s.highContrast);
  const reduced = useReducedMotion();
  useEffect(() => {
    const html = document.documentElement;
    html.style.setProperty("--text-scale", String(textSize));
    html.classList.toggle("high-contrast", highContrast);
    html.classList.toggle("text-scaled", textSize !== 1);
    html.classList.toggle("reduce-motion", reduced);
  }, [textSize, highContrast, reduced]);
}
