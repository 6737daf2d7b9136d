import { createXRStore, type XRStore } from "@react-three/xr";
import { chooseFrameRate } from "./xr-logic";

/**
 * Where the vendored controller and hand models are served (see `scripts/vendor-xr-profiles.ts`).
 * An absolute URL is built from it at run time because the loaders resolve it with `new URL`.
 */
export const XR_PROFILES_PATH = "/vendor/webxr-input-profiles/";

/**
 * Foveation asked of the headset (0 none … 1 most). Labels are read at the centre of the view,
 * where foveation never lowers resolution; 0.5 saves fill rate at the edges without the banding
 * the strongest setting shows on wall text seen from the corner of the eye.
 */
export const XR_FOVEATION = 0.5;
/** A trigger (or pinch) released within this long on what it pressed selects it. */
export const CLICK_WITHIN_MS = 5000;

let store: XRStore | null = null;

/**
 * The app's one XR store (created on first use, so pages and tests that never touch XR never
 * build one). Never emulates a headset itself: `emulate: false` keeps IWER out of the visitor's
 * page; tests install it on purpose. Sessions are entered only from the buttons, never offered
 * or entered automatically. Pointers: the ray selects what it meets first (an artefact to inspect,
 * a panel button, or the floor to teleport to: a straight ray means pointing at an artefact never
 * teleports by accident), and grab (squeeze, or a pinch close up) holds an artefact. The
 * library's bent teleport arc is not used: it competes with the ray for the nearest hit, so it
 * could win over an artefact the visitor points at, and its smoothing overshoots below 10 fps.
 */
export function xrStore(): XRStore {
  if (store) return store;
  const base = new URL(XR_PROFILES_PATH, window.location.href).href;
  store = createXRStore({
    emulate: false,
    offerSession: false,
    enterGrantedSession: false,
    baseAssetPath: base,
    defaultControllerProfileId: "generic-trigger",
    defaultXRHandProfileId: "generic-hand",
    frameRate: (rates) => chooseFrameRate(rates),
    foveation: XR_FOVEATION,
    // Features: hands and hit-test (AR) are used; anchors, planes, meshes, layers and depth are
    // not, and asking for them makes some browsers show extra permission prompts.
    handTracking: true,
    hitTest: true,
    domOverlay: true,
    anchors: false,
    planeDetection: false,
    meshDetection: false,
    layers: false,
    depthSensing: false,
    bodyTracking: false,
    // A press and release on the same thing selects it even when slow (the library's 0.3 s is
    // short for children, older visitors and first-time headset users, and for a headset that
    // drops frames: a school's old headset or software rendering can take a second or more per
    // frame, and the press and the release are seen in different frames); the trigger has no
    // drag gesture here that a long press could be (grabbing is the grip).
    controller: { rayPointer: { clickThresholdMs: CLICK_WITHIN_MS } },
    hand: { rayPointer: { clickThresholdMs: CLICK_WITHIN_MS } },
  });
  return store;
}
