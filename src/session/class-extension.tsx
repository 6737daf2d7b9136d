import { useMemo, type ReactNode } from "react";
import type { ViewerExtension } from "../viewer/extension";
import { GuideContext } from "../viewer/guide";
import { ClassChannel, ClassChannelContext } from "./class-channel";
import { ClassGuide, ClassGuideContext } from "./class-guide";
import { ClassLink } from "./ClassLink";
import { ClassPanels } from "./ClassPanels";
import { ClassScene } from "./ClassScene";
import { ClassVR } from "./ClassVR";

/**
 * A class session as a viewer extension, for the visit page of `?class=<session>`: the class's
 * guide (one per page) given to the viewer as its `Guide`, its channel (connection and activity), the link to the class channel, the
 * teacher's figure and highlight in the scene, and the teacher's panel or the student's bar. The
 * visit page loads this module only for a class.
 */
export function classExtension(session: string): ViewerExtension {
  function ClassWrapper({ children }: { children: ReactNode }) {
    const guide = useMemo(() => new ClassGuide(), []);
    const channel = useMemo(() => new ClassChannel(), []);
    return (
      <ClassChannelContext.Provider value={channel}>
        <ClassGuideContext.Provider value={guide}>
          <GuideContext.Provider value={guide}>{children}</GuideContext.Provider>
        </ClassGuideContext.Provider>
      </ClassChannelContext.Provider>
    );
  }
  function ClassPanelsWithLink() {
    return (
      <>
        <ClassLink session={session} />
        <ClassPanels />
      </>
    );
  }
  return { name: "class", Wrapper: ClassWrapper, SceneTools: ClassScene, Panels: ClassPanelsWithLink, VR: ClassVR, presenting: true };
}
