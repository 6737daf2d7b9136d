import type { Exhibition } from "../../src/shared/exhibition";
import { chooseQuality, roomDownloads } from "../../src/shared/exhibition/tiers";
import { versionedUrl, type ModelVersions } from "../../src/shared/model-versions";

/** The exhibition id of a `/visit/<id>` page path, or null for any other page. */
export function visitedExhibition(path: string): string | null {
  const m = /^\/visit\/([a-z0-9][a-z0-9-]{0,63})\/?$/.exec(path);
  return m ? m[1]! : null;
}

const escapeAttribute = (s: string) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * `<link rel="preload">` tags for the models of the room the visit page of `doc` opens in
 * (`?room=`, else the first), at the tier a walking visitor gets (`?quality=` honoured, and the
 * light tiers when the browser sends `Save-Data: on`), chosen by the same rules the viewer uses
 * (`chooseQuality`, `roomDownloads`). The browser fetches them while the app's
 * script downloads and starts, instead of after it. (Not the document: the API answers it
 * `no-store`, and Chromium then fetches it again instead of using the preload.)
 *
 * `as="fetch"` with `crossorigin` matches how the app asks for them (fetch() and three's loaders:
 * CORS mode, same-origin credentials), so each is downloaded once. Only this site's own files are
 * named: a museum's remote model is left to the viewer. Each is named by its content version
 * (`versionedUrl`), as the viewer asks for it.
 */
export function preloadLinks(doc: Exhibition, search: string, versions: ModelVersions = {}, saveData = false): string {
  const params = new URLSearchParams(search);
  const wanted = params.get("room");
  const room = wanted && doc.rooms[wanted] ? wanted : undefined;
  const urls = roomDownloads(doc, chooseQuality(search, null, saveData), room).filter((u) => u.startsWith("/") && !u.startsWith("//"));
  return urls.map((u) => `<link rel="preload" as="fetch" crossorigin href="${escapeAttribute(versionedUrl(u, versions))}">`).join("");
}

/**
 * The exhibitions behind recently asked visit pages, so a crowd (or a flood) opening the same
 * exhibition costs one lookup every few seconds, not one per request. Bounded: the oldest entry
 * goes first.
 */
export class PreloadCache {
  private readonly entries = new Map<string, { at: number; doc: Promise<Exhibition | null> }>();

  constructor(
    private readonly lookup: (id: string) => Promise<Exhibition | null>,
    private readonly ttlMs = 5_000,
    private readonly max = 256,
    private readonly now = () => Date.now(),
  ) {}

  /** The tags for `/visit/<id>?<search>`: "" when the exhibition is not open to anonymous visitors. */
  async links(id: string, search: string, versions: ModelVersions = {}, saveData = false): Promise<string> {
    const doc = await this.doc(id);
    return doc ? preloadLinks(doc, search, versions, saveData) : "";
  }

  /** Forgets what is known of `id` (published or unpublished just now): the next page reads it again. */
  forget(id: string): void {
    this.entries.delete(id);
  }

  /** The exhibition, when anonymous visitors may see it (else null), read at most once per `ttlMs`. */
  async doc(id: string): Promise<Exhibition | null> {
    let hit = this.entries.get(id);
    if (!hit || this.now() - hit.at >= this.ttlMs) {
      this.entries.delete(id);
      hit = { at: this.now(), doc: this.lookup(id).catch(() => null) };
      this.entries.set(id, hit);
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return hit.doc;
  }
}
