import { useSyncExternalStore } from "react";
import type { LiveExhibition } from "../../collab";
import { useT } from "../../i18n/strings";

/**
 * A small pill saying whether the exhibition is followed live, reconnecting or offline, and for
 * editors whether their changes are saved. Visitors see it only when it is not live (kept, hidden,
 * for assistive technology and tests).
 */
export function LiveStatus({ live, canEdit }: { live: LiveExhibition; canEdit: boolean }) {
  const t = useT();
  const state = useSyncExternalStore(live.subscribe, live.getState);
  const label = {
    online: t("statusOnline"),
    connecting: t("statusConnecting"),
    reconnecting: t("statusReconnecting"),
    offline: t("statusOffline"),
  }[state.status];
  return (
    // A visitor only needs to hear about it when the show stops following along; editors see it always.
    <p className={`live-status status-${state.status}${!canEdit && state.status === "online" ? " quiet" : ""}`} data-status={state.status} data-saved={String(state.saved)} role="status">
      <span className="dot" aria-hidden="true" />
      {label}
      {canEdit && state.status === "online" && <span className="save-state"> · {state.saved ? t("saved") : t("saving")}</span>}
      {state.refused && <span className="refused"> · {t("readOnlyRefused")}</span>}
      {state.rolledBack && (
        <span className="rolled-back" role="alert">
          {t("changesUndone")}: {state.rolledBack}
        </span>
      )}
    </p>
  );
}
