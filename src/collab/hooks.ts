import { createContext, createElement, useContext, useRef, useSyncExternalStore, type ReactNode } from "react";
import type { Exhibition } from "../shared/exhibition";
import type { ExhibitionStore } from "./exhibition-store";

const StoreContext = createContext<ExhibitionStore | null>(null);

/** Makes an exhibition available to `useExhibition` below it. */
export function ExhibitionProvider({ store, children }: { store: ExhibitionStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

/** The store of the exhibition being shown, for tools that apply operations. */
export function useExhibitionStore(): ExhibitionStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useExhibitionStore() needs an <ExhibitionProvider> above it");
  return store;
}

/**
 * Reads part of the exhibition document; re-renders only when the selected value changes
 * (by `isEqual`, identity by default, which suits records since unchanged ones keep identity).
 */
export function useExhibition<T>(selector: (doc: Exhibition) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  const store = useExhibitionStore();
  const memo = useRef<{ doc: Exhibition; selector: (doc: Exhibition) => T; value: T } | null>(null);
  const getSelection = () => {
    const doc = store.getSnapshot();
    const last = memo.current;
    if (last && last.doc === doc && last.selector === selector) return last.value;
    const value = selector(doc);
    if (last && isEqual(last.value, value)) {
      memo.current = { doc, selector, value: last.value };
      return last.value;
    }
    memo.current = { doc, selector, value };
    return value;
  };
  return useSyncExternalStore(store.subscribe, getSelection, getSelection);
}
