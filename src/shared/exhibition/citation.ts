import { creditText } from "./credit";
import { pickText } from "./lang";
import { LICENCE_LABELS } from "./licences";
import type { Exhibition } from "./schema";

/**
 * Citations of a show and of an artefact in it (issue 23, "Cite"): plain text in the reader's
 * language (zh-Hant, en or ja; other languages read English), CSL-JSON (what Zotero, Pandoc and
 * most reference managers import) and BibTeX. Pure: the server supplies who made the show, when
 * it was published and its permanent (short) link. An artefact's citation carries its four-part
 * credit line and licence, as the museum asks.
 */

/** What the server knows that the document does not. */
export interface CitationContext {
  /** The permanent link (a short link), absolute. */
  url: string;
  /** Who made the show: a person's name or a museum's name in the reader's language; "" when unknown. */
  author: string;
  /** When the show was published (ms since 1970). */
  published: number;
  /** When the reader looked (ms since 1970). */
  accessed: number;
}

/** A citation in three forms. */
export interface Citation {
  text: string;
  lang: string;
  /** One CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html). */
  csl: Record<string, unknown>;
  bibtex: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const year = (ms: number) => new Date(ms).getUTCFullYear();
const dateParts = (ms: number) => {
  const d = new Date(ms);
  return { "date-parts": [[d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]] };
};

/** The citation's language: the reader's when Atrium writes citations in it, else English. */
function citationLanguage(lang: string): "zh-Hant" | "en" | "ja" {
  return lang === "zh-Hant" || lang === "ja" ? lang : "en";
}

/** Escapes BibTeX's special characters, so a title with "&" or "%" or braces stays text. */
export function bibtexEscape(text: string): string {
  const named: Record<string, string> = { "\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}" };
  return text.replace(/[\\~^{}%&$#_]/g, (c) => named[c] ?? `\\${c}`);
}

/** A BibTeX key from an id: letters, digits and hyphens. */
const bibKey = (id: string) => id.replace(/[^A-Za-z0-9-]/g, "-");

function bibtex(kind: string, key: string, fields: Record<string, string | undefined>): string {
  const lines = Object.entries(fields)
    .filter((e): e is [string, string] => !!e[1])
    .map(([k, v]) => `  ${k} = {${k === "howpublished" ? v : bibtexEscape(v)}}`);
  return `@${kind}{${key},\n${lines.join(",\n")}\n}\n`;
}

/** The citation of a whole show. */
export function showCitation(doc: Exhibition, ctx: CitationContext, readerLang: string): Citation {
  const lang = citationLanguage(readerLang);
  const fallbacks = doc.meta.languages;
  const title = pickText(doc.meta.title, lang, fallbacks);
  const y = year(ctx.published);
  const text =
    lang === "zh-Hant"
      ? `${ctx.author ? `${ctx.author}，` : ""}《${title}》，線上展覽，Atrium，${y}。${ctx.url}（${day(ctx.accessed)} 瀏覽）`
      : lang === "ja"
        ? `${ctx.author ? `${ctx.author}` : ""}「${title}」オンライン展覧会、Atrium、${y}年。${ctx.url}（${day(ctx.accessed)} 閲覧）`
        : `${ctx.author ? `${ctx.author}. ` : ""}${title}. Online exhibition, Atrium, ${y}. ${ctx.url} (accessed ${day(ctx.accessed)}).`;
  const csl = {
    id: doc.id,
    type: "webpage",
    title,
    genre: "Online exhibition",
    ...(ctx.author ? { author: [{ literal: ctx.author }] } : {}),
    "container-title": "Atrium",
    URL: ctx.url,
    issued: dateParts(ctx.published),
    accessed: dateParts(ctx.accessed),
    language: lang,
  };
  return {
    text,
    lang,
    csl,
    bibtex: bibtex("misc", bibKey(doc.id), {
      title,
      author: ctx.author || undefined,
      year: String(y),
      howpublished: `\\url{${ctx.url}}`,
      note: `Online exhibition, Atrium. Accessed ${day(ctx.accessed)}`,
    }),
  };
}

/** The citation of one artefact (a placement) in a show, with its credit line and licence; null for an unknown placement. */
export function artefactCitation(doc: Exhibition, placement: string, ctx: CitationContext, readerLang: string): Citation | null {
  const p = doc.placements[placement];
  const item = p ? doc.items[p.item] : undefined;
  if (!item) return null;
  const lang = citationLanguage(readerLang);
  const fallbacks = doc.meta.languages;
  const museum = doc.meta.museums.find((m) => m.id === item.institution);
  const title = pickText(item.title, lang, fallbacks);
  const maker = pickText(item.maker, lang, fallbacks);
  const date = pickText(item.date, lang, fallbacks);
  const show = pickText(doc.meta.title, lang, fallbacks);
  const credit = creditText(item, museum, lang);
  const museumName = museum ? pickText(museum.name, lang, fallbacks) : item.institution;
  const text =
    lang === "zh-Hant"
      ? `${maker ? `${maker}，` : ""}〈${title}〉${date ? `，${date}` : ""}。${credit}。收錄於《${show}》，Atrium。${ctx.url}（${day(ctx.accessed)} 瀏覽）`
      : lang === "ja"
        ? `${maker ? `${maker}` : ""}「${title}」${date ? `、${date}` : ""}。${credit}。『${show}』所収、Atrium。${ctx.url}（${day(ctx.accessed)} 閲覧）`
        : `${maker ? `${maker}, ` : ""}${title}${date ? `, ${date}` : ""}. ${credit}. In ${show}, Atrium. ${ctx.url} (accessed ${day(ctx.accessed)}).`;
  const csl = {
    id: `${doc.id}/${placement}`,
    type: "document",
    title,
    ...(maker ? { author: [{ literal: maker }] } : {}),
    ...(date ? { issued: { literal: date } } : {}),
    genre: item.asset.kind === "motion" ? "Motion-capture performance" : item.asset.kind === "image" ? "Image" : "3D model",
    archive: museumName,
    ...(item.accession ? { "archive_location": item.accession } : {}),
    ...(museum?.location ? { "archive-place": pickText(museum.location, lang, fallbacks) } : {}),
    "container-title": show,
    publisher: "Atrium",
    URL: ctx.url,
    accessed: dateParts(ctx.accessed),
    license: LICENCE_LABELS[item.licences.object],
    note: credit,
    language: lang,
  };
  return {
    text,
    lang,
    csl,
    bibtex: bibtex("misc", bibKey(`${doc.id}-${placement}`), {
      title,
      author: maker || undefined,
      year: date || undefined,
      howpublished: `\\url{${ctx.url}}`,
      note: `${credit}. In ${show}, Atrium. Accessed ${day(ctx.accessed)}`,
    }),
  };
}
