import { catalogueEntry, pickText, type CatalogueEntry, type CatalogueResult, type Exhibition } from "../../src/shared/exhibition";

/** Filters a search may apply, by facet name. */
export const FACETS = ["institution", "material", "period", "licence", "kind"] as const;
export type FacetName = (typeof FACETS)[number];

export interface CatalogueQuery {
  q?: string;
  filters?: Partial<Record<FacetName, string>>;
  /** Account id of the caller: their own uploads are included. */
  user?: string | null;
  /** Museums the caller belongs to: their museums' uploads are included. */
  museums?: string[];
  limit?: number;
  offset?: number;
}

/** Lower-case words of every language of a text, for matching. */
function words(...texts: (Record<string, string> | undefined | string)[]): string {
  return texts
    .flatMap((t) => (typeof t === "string" ? [t] : t ? Object.values(t) : []))
    .join(" ")
    .toLowerCase();
}

/**
 * The catalogue the studio searches: museum open-data records, the items of the sample shows and
 * users' uploads. In memory (a few thousand entries at most per server for now); every query
 * matches all its words against titles, makers, dates, materials, cultures, institutions and
 * descriptions in every language, filters by facets, and counts facet values over the matches.
 */
export class Catalogue {
  private readonly entries = new Map<string, { entry: CatalogueEntry; text: string }>();

  /** Adds (or replaces) entries; each is validated, and an invalid one is reported, not added. */
  add(entries: CatalogueEntry[], log: (line: string) => void = () => {}): number {
    let added = 0;
    for (const e of entries) {
      const r = catalogueEntry.safeParse(e);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        log(`[catalogue] skipped ${e.id}: ${issue.path.join(".")}: ${issue.message}`);
        continue;
      }
      const it = r.data.item;
      const text = words(it.title, it.maker, it.date, it.material, it.culture, it.description, r.data.museum.name, r.data.facets.material, r.data.facets.period, r.data.id);
      this.entries.set(r.data.id, { entry: r.data, text });
      added++;
    }
    return added;
  }

  get(id: string): CatalogueEntry | undefined {
    return this.entries.get(id)?.entry;
  }

  get size(): number {
    return this.entries.size;
  }

  search(query: CatalogueQuery): CatalogueResult {
    const terms = (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const visible = [...this.entries.values()].filter(({ entry, text }) => {
      if (entry.uploadedBy && entry.uploadedBy !== query.user && !(query.museums ?? []).includes(entry.museum.id)) return false;
      return terms.every((t) => text.includes(t));
    });
    const filters = query.filters ?? {};
    const passes = (e: CatalogueEntry, except?: FacetName) =>
      FACETS.every((f) => f === except || filters[f] === undefined || e.facets[f] === filters[f]);
    const facets: Record<string, Record<string, number>> = {};
    for (const f of FACETS) {
      const counts: Record<string, number> = {};
      for (const { entry } of visible) {
        const v = entry.facets[f];
        if (v !== undefined && passes(entry, f)) counts[v] = (counts[v] ?? 0) + 1;
      }
      facets[f] = counts;
    }
    const matches = visible
      .filter(({ entry }) => passes(entry))
      .map(({ entry }) => entry)
      // Placeable first (what a curator can use now), then uploads, then by title.
      .sort((a, b) => Number(b.placeable) - Number(a.placeable) || Number(!!b.uploadedBy) - Number(!!a.uploadedBy) || pickText(a.item.title, "en").localeCompare(pickText(b.item.title, "en")));
    const offset = query.offset ?? 0;
    // Museums by name, not by id, in the institution filter.
    const museums: Record<string, Record<string, string>> = {};
    for (const { entry } of visible) museums[entry.museum.id] ??= entry.museum.name;
    return { total: matches.length, entries: matches.slice(offset, offset + (query.limit ?? 40)), facets, labels: { institution: museums } };
  }
}

/** Catalogue entries for the items of a sample exhibition (their curated, bilingual records). */
export function exhibitionEntries(doc: Exhibition): CatalogueEntry[] {
  return Object.entries(doc.items).flatMap(([id, it]) => {
    const museum = doc.meta.museums.find((m) => m.id === it.institution);
    if (!museum) return [];
    const { lockedBy: _lock, ...item } = it;
    return [
      {
        id: `${doc.id}--${id}`,
        museum,
        item,
        facets: {
          institution: museum.id,
          ...(it.material ? { material: pickText(it.material, "en").toLowerCase().split(/[,;(]/)[0]!.trim() } : {}),
          licence: it.licences.object,
          kind: it.asset.kind,
        },
        placeable: true,
      } satisfies CatalogueEntry,
    ];
  });
}

/** How much curated text an entry carries (its description, in every language). */
const curatedText = (e: CatalogueEntry) => Object.values(e.item.description ?? {}).join("").length;
/** The file an item shows (two parts of one specimen share a source but not a model). */
const assetOf = (e: CatalogueEntry) => (e.item.asset.kind === "model" ? (e.item.asset.tiers.high ?? "") : e.item.asset.kind === "motion" || e.item.asset.kind === "image" ? e.item.asset.src : "");

/**
 * The sample shows' items as catalogue entries, each object once: items citing the same source
 * and showing the same file (a vessel shown in two shows, or copied into the reference show) are
 * listed from the one with the most curated text; on a tie, from the more focused show (fewer
 * items), then by id. `records` are the ids of the open-data records also listed: a show's item
 * without curated text of its own adds nothing to its record and is left out; one with curated
 * text replaces the record (see `recordsShown`).
 */
export function showEntries(docs: Exhibition[], records: ReadonlySet<string> = new Set()): CatalogueEntry[] {
  const ordered = [...docs].sort((a, b) => Object.keys(a.items).length - Object.keys(b.items).length || a.id.localeCompare(b.id));
  const best = new Map<string, CatalogueEntry>();
  for (const e of ordered.flatMap(exhibitionEntries)) {
    const key = e.item.sourceId ? `${e.item.sourceId}|${assetOf(e)}` : e.id;
    const current = best.get(key);
    if (!current || curatedText(e) > curatedText(current)) best.set(key, e);
  }
  return [...best.values()].filter((e) => !(e.item.sourceId && records.has(e.item.sourceId) && curatedText(e) === 0));
}

/** Sources whose record is shown by a show's curated item instead (listed once, from the show). */
export function recordsShown(entries: CatalogueEntry[]): Set<string> {
  return new Set(entries.filter((e) => curatedText(e) > 0 && e.item.sourceId).map((e) => e.item.sourceId!));
}
