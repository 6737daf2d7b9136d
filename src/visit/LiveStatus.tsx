import { useSyncExternalStore } from "react";
import type { LiveExhibition } from "../collab";
import { useT } from "../i18n/strings";

/** A small pill saying whether the exhibition is followed live, reconnecting or offline. */
export function LiveStatus({ live }: { live: LiveExhibition }) {
  const t = useT();
  const state = useSyncExternalStore(live.subscribe, live.getState);
  const label = {
    online: t("statusOnline"),
    connecting: t("statusConnecting"),
    reconnecting: t("statusReconnecting"),
    offline: t("statusOffline"),
  }[state.status];
  return (
    <p className={`live-status status-${state.status}`} data-status={state.status} role="status">
      <span className="dot" aria-hidden="true" />
      {label}
    </p>
  );
}
