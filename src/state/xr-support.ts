import { useEffect, useState } from "react";

/**
 * Whether this browser can start an immersive session of `mode` (undefined while asking). Asked
 * again when a headset is plugged in or out (`devicechange`). Used by the visit page to decide
 * whether to load the XR layer at all, and by that layer's buttons.
 */
export function useSessionSupported(mode: XRSessionMode): boolean | undefined {
  const [supported, setSupported] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    const xr = typeof navigator !== "undefined" ? navigator.xr : undefined;
    if (!xr) {
      setSupported(false);
      return;
    }
    let live = true;
    const ask = () =>
      xr.isSessionSupported(mode).then(
        (s) => live && setSupported(s),
        () => live && setSupported(false),
      );
    void ask();
    xr.addEventListener("devicechange", ask);
    return () => {
      live = false;
      xr.removeEventListener("devicechange", ask);
    };
  }, [mode]);
  return supported;
}
