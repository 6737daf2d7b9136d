import { useExhibition } from "../collab";
import { useT } from "../i18n/strings";
import type { ViewerExtension } from "../viewer/extension";
import { SaveToFolder } from "./SaveToFolder";

/** "Save show" in the HUD. */
function SaveShow({ exhibition }: { exhibition: string }) {
  const t = useT();
  return <SaveToFolder exhibition={exhibition} label={t("saveShow")} />;
}

/** "Save to folder" under an inspected artefact. */
function SaveArtefact({ placementId }: { placementId: string }) {
  const t = useT();
  const exhibition = useExhibition((d) => d.id);
  return <SaveToFolder exhibition={exhibition} placement={placementId} label={t("saveToFolder")} />;
}

/**
 * Collection folders on a visit page (issue 23): a signed-in visitor saves the show, or the
 * artefact they are looking at, into their folders. Not in the studio, an embedded viewer or a
 * class (a student has no account there).
 */
export const foldersExtension: ViewerExtension = { name: "folders", HudActions: SaveShow, InspectActions: SaveArtefact };
