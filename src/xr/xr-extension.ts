import type { ViewerExtension } from "../viewer/extension";
import { ImmersiveGallery, XRSceneWrapper } from "./ImmersiveGallery";
import { EnterVRButton, ViewInARButton } from "./XRButtons";

/**
 * Headsets and AR phones as a viewer extension: the scene inside the XR store, the gallery with
 * the VR rig and the AR view, "Enter VR" in the HUD and "View in AR" under a label. The visit page
 * loads this module only where the browser offers an immersive session, so other visitors never
 * download it.
 */
export const xrExtension: ViewerExtension = {
  name: "xr",
  SceneWrapper: XRSceneWrapper,
  Gallery: ImmersiveGallery,
  HudActions: EnterVRButton,
  InspectActions: ViewInARButton,
};
