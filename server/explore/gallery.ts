import { roomsInOrder, THEME_SUGGESTIONS, type Exhibition, type Item, type LangMap } from "../../src/shared/exhibition";
import { posterFileOf } from "../../src/shared/exhibition/tiers";
import type { ExploreAnswer, ExploreCard, ExploreKind, ExploreQuery } from "../../src/shared/api/explore";

/**
 * The public gallery's cards and its search, pure (docs/ARCHITECTURE.md, "The public floor"):
 * what a published show offers a passer-by (a picture, its museums, its licences) and the text
 * it is found by. Search is a substring match over text folded with NFKC and lower case, so a
 * Chinese or Japanese word is found anywhere in a label without a word splitter, and full-width
 * Latin letters match their ASCII spelling.
 */

/** A published show as the gallery knows it: its card and the folded text it is found by. */
export interface GalleryEntry {
  card: ExploreCard;
  /** Every searchable text of the show, folded (see {@link fold}), one string. */
  haystack: string;
  /** Views in the last 30 days (visit statistics), for "most visited". */
  views: number;
}

/** Text folded for matching: NFKC (full-width to ASCII, compatibility ideographs), lower case, spaces collapsed. */
export function fold(text: string): string {
  return text.normalize("NFKC").toLocaleLowerCase("en").replace(/\s+/g, " ").trim();
}

const texts = (map: LangMap | undefined): string[] => (map ? Object.values(map) : []);

/** A lesson made for a class is "class"; else owner and museums decide: a person's show is personal, a museum's show with others' items is joint. */
export function kindOf(doc: Exhibition): ExploreKind {
  if (doc.meta.lesson) return "class";
  if (doc.meta.owner.kind === "person") return "personal";
  return doc.meta.museums.length > 1 ? "joint" : "museum";
}

/**
 * The card's picture: the show's cover, else its first room's panorama (the card shows the
 * front face, the strip's first sixth), else the first artefact's poster; null when it has none.
 */
export function pictureOf(doc: Exhibition): ExploreCard["picture"] {
  if (doc.meta.cover) return { url: doc.meta.cover, panorama: false };
  const first = roomsInOrder(doc)[0];
  const room = first ? doc.rooms[first[0]] : undefined;
  if (room?.panorama) return { url: room.panorama, panorama: true };
  const poster = firstPoster(doc);
  return poster ? { url: poster, panorama: false } : null;
}

/**
 * The picture a link preview shows (OpenGraph): the cover, else an artefact's poster (a whole
 * object reads better in a chat app's small square than a crop of a panorama), else the panorama.
 */
export function previewPictureOf(doc: Exhibition): string | null {
  return doc.meta.cover ?? firstPoster(doc) ?? pictureOf(doc)?.url ?? null;
}

/** The first placed artefact's picture (see {@link itemPicture}). */
function firstPoster(doc: Exhibition): string | null {
  for (const placement of Object.values(doc.placements)) {
    const item = doc.items[placement.item];
    const picture = item ? itemPicture(item) : null;
    if (picture) return picture;
  }
  return null;
}

/** An artefact's picture: its poster, the poster shipped beside a sample model, or an image's thumbnail; null when it has none. */
export function itemPicture(item: Item): string | null {
  const a = item.asset;
  if (a.kind === "model") {
    if (a.poster) return a.poster;
    const model = a.tiers.low ?? a.tiers.high;
    if (model?.startsWith("/models/")) return posterFileOf(model);
  }
  if (a.kind === "image") return a.thumb ?? a.src;
  return null;
}

/** The gallery entry of a published show; `published` is when it was (last) published, ms since 1970. */
export function galleryEntry(doc: Exhibition, published: number, views = 0): GalleryEntry {
  const items = Object.values(doc.items);
  const licences = [...new Set(items.map((i) => i.licences.object))].sort();
  const card: ExploreCard = {
    id: doc.id,
    title: doc.meta.title,
    intro: doc.meta.intro,
    languages: doc.meta.languages,
    museums: doc.meta.museums.map((m) => ({ id: m.id, name: m.name })),
    kind: kindOf(doc),
    themes: doc.meta.themes ?? [],
    licences,
    rooms: Object.keys(doc.rooms).length,
    artefacts: Object.keys(doc.placements).length,
    picture: pictureOf(doc),
    published,
  };
  const parts = [
    ...texts(doc.meta.title),
    ...texts(doc.meta.intro),
    // A theme is found by its stored word and by its name in every interface language.
    ...(doc.meta.themes ?? []).flatMap((t) => [t, ...texts(THEME_SUGGESTIONS[t])]),
    ...doc.meta.museums.flatMap((m) => [...texts(m.name), ...texts(m.location)]),
    ...Object.values(doc.rooms).flatMap((r) => texts(r.name)),
    ...items.flatMap((i) => [...texts(i.title), ...texts(i.description), ...texts(i.maker), ...texts(i.culture), ...texts(i.material), ...texts(i.date), i.accession ?? ""]),
  ];
  return { card, haystack: fold(parts.join("\n")), views };
}

/** The cards matching a query (every word of `q` somewhere in the show, and every filter), sorted, and how many matched. */
export function searchGallery(entries: readonly GalleryEntry[], query: ExploreQuery): { total: number; cards: ExploreCard[] } {
  // Words split on spaces; a CJK phrase without spaces is one substring, found as written.
  const words = query.q ? fold(query.q).split(" ").filter(Boolean) : [];
  const found = entries.filter(({ card, haystack }) => {
    if (query.museum && !card.museums.some((m) => m.id === query.museum)) return false;
    if (query.lang && !card.languages.includes(query.lang)) return false;
    if (query.kind && card.kind !== query.kind) return false;
    if (query.theme && !card.themes.includes(query.theme)) return false;
    return words.every((w) => haystack.includes(w));
  });
  const title = (c: ExploreCard) => c.title.en ?? Object.values(c.title)[0] ?? "";
  const newest = (a: GalleryEntry, b: GalleryEntry) => b.card.published - a.card.published || a.card.id.localeCompare(b.card.id);
  if (query.sort === "title") found.sort((a, b) => title(a.card).localeCompare(title(b.card)) || a.card.id.localeCompare(b.card.id));
  else if (query.sort === "visited") found.sort((a, b) => b.views - a.views || newest(a, b));
  else found.sort(newest);
  return { total: found.length, cards: found.slice(query.offset, query.offset + query.limit).map((e) => e.card) };
}

/** The museums, languages and themes that occur in the gallery, for the filters (each museum once, by id; themes the most used first). */
export function galleryFacets(entries: readonly GalleryEntry[]): ExploreAnswer["facets"] {
  const museums = new Map<string, ExploreCard["museums"][number]>();
  const languages = new Set<string>();
  const themes = new Map<string, number>();
  for (const { card } of entries) {
    for (const m of card.museums) if (!museums.has(m.id)) museums.set(m.id, m);
    for (const l of card.languages) languages.add(l);
    for (const t of card.themes) themes.set(t, (themes.get(t) ?? 0) + 1);
  }
  return {
    museums: [...museums.values()].sort((a, b) => a.id.localeCompare(b.id)),
    languages: [...languages].sort(),
    themes: [...themes].map(([theme, shows]) => ({ theme, shows })).sort((a, b) => b.shows - a.shows || a.theme.localeCompare(b.theme)),
  };
}
