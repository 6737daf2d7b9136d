import { createContext, createElement, useContext, type ReactNode } from "react";
import { useSyncExternalStoreWithSelector } from "use-sync-external-store/with-selector";
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
  return useSyncExternalStoreWithSelector(store.subscribe, store.getSnapshot, store.getSnapshot, selector, isEqual);
}
