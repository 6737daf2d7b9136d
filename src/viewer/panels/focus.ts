import { useEffect, useRef, useState, type RefObject } from "react";

const firstOf = (selectors: readonly string[]): HTMLElement | null => {
  for (const s of selectors) {
    const el = document.querySelector<HTMLElement>(s);
    if (el) return el;
  }
  return null;
};

/**
 * Moves focus into a panel when it opens, so keyboard and screen-reader users land where the new
 * content is, and back where they came from when it closes, or to the first of `fallbacks` (CSS
 * selectors, tried in order) when that element has gone: the tour's start button is hidden during
 * the tour. `key` re-focuses the panel when it shows something else (another artefact).
 */
export function useFocusOnOpen(ref: RefObject<HTMLElement | null>, fallbacks: readonly string[], key?: unknown): void {
  // Read while rendering the opening, before anything in this commit moves focus.
  const [opener] = useState(() => (typeof document !== "undefined" && document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null));
  useEffect(() => {
    return () => {
      // Only when focus was inside the closing panel (or lost with it): never steal it from elsewhere.
      const active = document.activeElement;
      if (active && active !== document.body && !ref.current?.contains(active)) return;
      // After the panel has gone: a fallback may be rendered in the same commit.
      requestAnimationFrame(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        (opener?.isConnected && !ref.current?.contains(opener) ? opener : firstOf(fallbacks))?.focus({ preventScroll: true });
      });
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opening
  }, []);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}

/**
 * A small panel over the view (preferences, share and cite): focus moves to its heading when it
 * opens, Esc closes it (before anything else hears the key), and focus returns to what opened it.
 */
export function useClosesOnEscape(heading: RefObject<HTMLElement | null>, onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      close.current();
    };
    window.addEventListener("keydown", onKey, { capture: true });
    return () => {
      window.removeEventListener("keydown", onKey, { capture: true });
      if (opener?.isConnected) opener.focus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opening
  }, []);
}
