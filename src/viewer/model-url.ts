import { MODEL_VERSIONS_ELEMENT, versionedUrl, type ModelVersions } from "../shared/model-versions";

let table: ModelVersions | null = null;

/** The content versions the server put in the page (none when the page came from elsewhere, e.g. Vite's dev server). */
function versions(): ModelVersions {
  if (table) return table;
  table = {};
  try {
    const text = typeof document === "undefined" ? null : document.querySelector<HTMLMetaElement>(`meta[name="${MODEL_VERSIONS_ELEMENT}"]`)?.content;
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (parsed && typeof parsed === "object") table = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    // A damaged table only costs caching: models are then asked for by their plain paths.
  }
  return table;
}

/** Where to download a model or poster named `url` in the document: its content-versioned URL when the server gave one (`src/shared/model-versions.ts`). */
export const downloadUrl = (url: string): string => versionedUrl(url, versions());
