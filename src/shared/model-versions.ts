/**
 * Content versions of the sample models (docs/ARCHITECTURE.md, "Caching"). The document names a
 * model by its path (`/models/tea/tenmoku-bowl.glb`), which stays stable for exports and old
 * versions; the server knows each file's content hash and hands the page that table, and every
 * download (the viewer's, and the page's `<link rel="preload">`) asks for `path?v=<hash>`. The
 * server marks an answer to the current hash immutable, so a browser or the service worker keeps
 * it for a year without asking again, and a changed model has a new URL.
 *
 * One rule for both sides: `versionedUrl`.
 */

/** Path (`/models/...`) -> content hash (12 base64url characters). */
export type ModelVersions = Readonly<Record<string, string>>;

/** The name of the page's `<meta>` that carries the table (JSON in its `content`). */
export const MODEL_VERSIONS_ELEMENT = "atrium-model-versions";

/** What a hash looks like: anything else in `?v=` is ignored by the server. */
export const VERSION_PATTERN = /^[A-Za-z0-9_-]{12}$/;

/**
 * The URL to download `url` from: the same with `?v=<hash>` when it is a sample model this
 * server knows, else unchanged (uploads are content-addressed already; other sites' models are
 * theirs to cache).
 */
export function versionedUrl(url: string, versions: ModelVersions): string {
  if (!url.startsWith("/models/") || url.includes("?")) return url;
  const v = versions[url];
  return v ? `${url}?v=${v}` : url;
}
