import { useExhibition } from "../collab";
import { useState } from "react";
import { useSessionSupported } from "../state/xr-support";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { xrStore } from "./xr-store";
import { useXRLocal } from "./xr-local-store";

/**
 * "Enter VR", shown only where an immersive-vr session is supported, with the comfort options a
 * visitor may want to set before putting the headset on (they are also in the in-VR menu).
 */
export function EnterVRButton() {
  const t = useT();
  const supported = useSessionSupported("immersive-vr");
  const comfort = useXRLocal((s) => s.comfort);
  const immersive = useLocalStore((s) => s.immersive);
  const [error, setError] = useState<string | null>(null);
  if (!supported || immersive) return null;
  const set = useXRLocal.getState().setComfort;
  return (
    <div className="vr-entry">
      <button
        className="primary enter-vr"
        name="enter-vr"
        onClick={() => {
          setError(null);
          xrStore()
            .enterVR()
            .catch((e: Error) => setError(e.message));
        }}
      >
        {t("enterVR")}
      </button>
      <details className="vr-options">
        <summary>{t("vrOptions")}</summary>
        <label>
          <input type="checkbox" name="vr-seated" checked={comfort.seated} onChange={(e) => set({ seated: e.currentTarget.checked })} /> {t("seated")}
        </label>
        <label>
          <input type="checkbox" name="vr-fade" checked={comfort.fade} onChange={(e) => set({ fade: e.currentTarget.checked })} /> {t("comfortFade")}
        </label>
        <label>
          <input type="checkbox" name="vr-tour-moves" checked={comfort.tourMoves} onChange={(e) => set({ tourMoves: e.currentTarget.checked })} /> {t("tourMovesMe")}
        </label>
      </details>
      {error && <p className="notice" role="alert">{error}</p>}
    </div>
  );
}

/** "View in AR" for one artefact, shown only where an immersive-ar session is supported. */
export function ViewInARButton({ placementId }: { placementId: string }) {
  const t = useT();
  const supported = useSessionSupported("immersive-ar");
  const [error, setError] = useState<string | null>(null);
  // Only a 3D model can stand in the room; an image or a performance has no AR view.
  const isModel = useExhibition((d) => {
    const p = d.placements[placementId];
    return p ? d.items[p.item]?.asset.kind === "model" : false;
  });
  if (!supported || !isModel) return null;
  return (
    <>
      <button
        className="view-in-ar"
        name="view-in-ar"
        onClick={() => {
          setError(null);
          useXRLocal.getState().setArPlacement(placementId);
          xrStore()
            .enterAR()
            .catch((e: Error) => setError(e.message));
        }}
      >
        {t("viewInAR")}
      </button>
      {error && <p className="notice" role="alert">{error}</p>}
    </>
  );
}
