import { pickText, type Exhibition } from "../../src/shared/exhibition";
import { previewPictureOf } from "./gallery";

/** Escapes text for an HTML attribute or element. */
const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What a page says about itself to search engines and chat apps' link previews. */
export interface PagePreview {
  title: string;
  description: string;
  /** The page's permanent address (absolute). */
  url: string;
  /** An absolute picture URL, or null. */
  image: string | null;
  /** BCP 47 of the texts above. */
  lang: string;
  type: "website" | "article";
}

/**
 * The page's `<title>` replaced and its head given a description, a canonical link and the
 * OpenGraph and Twitter card tags, for the app's single HTML page (`index.html`). Everything
 * is escaped: titles and introductions are written by users.
 */
export function withPreview(html: string, p: PagePreview): string {
  const og = (property: string, content: string) => `<meta property="${property}" content="${esc(content)}">`;
  const tags = [
    `<meta name="description" content="${esc(p.description)}">`,
    `<link rel="canonical" href="${esc(p.url)}">`,
    og("og:site_name", "Atrium"),
    og("og:type", p.type),
    og("og:title", p.title),
    og("og:description", p.description),
    og("og:url", p.url),
    og("og:locale", p.lang.replace("-", "_")),
    ...(p.image ? [og("og:image", p.image), `<meta name="twitter:card" content="summary_large_image">`] : [`<meta name="twitter:card" content="summary">`]),
  ].join("");
  return html.replace(/<title>[^<]*<\/title>/, `<title>${esc(p.title)} · Atrium</title>`).replace("</head>", `${tags}</head>`);
}

/** Cut to at most `max` characters on a word or sentence boundary where there is one. */
function shorten(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const at = Math.max(cut.lastIndexOf(" "), cut.lastIndexOf("。"), cut.lastIndexOf("，"));
  return `${at > max * 0.6 ? cut.slice(0, at) : cut}…`;
}

/** A published show's preview, in the language asked for (`?lang=`) or the show's first. */
export function exhibitionPreview(doc: Exhibition, origin: string, lang: string | null): PagePreview {
  const language = lang && doc.meta.languages.includes(lang) ? lang : doc.meta.languages[0]!;
  const museums = doc.meta.museums.map((m) => pickText(m.name, language, doc.meta.languages)).join(" · ");
  const intro = pickText(doc.meta.intro, language, doc.meta.languages);
  const image = previewPictureOf(doc);
  return {
    title: pickText(doc.meta.title, language, doc.meta.languages),
    description: shorten([intro, museums].filter(Boolean).join(" — ")),
    url: `${origin}/visit/${encodeURIComponent(doc.id)}${lang ? `?lang=${encodeURIComponent(language)}` : ""}`,
    image: image ? new URL(image, origin).toString() : null,
    lang: language,
    type: "article",
  };
}

/** The public gallery's preview. */
export function explorePreview(origin: string): PagePreview {
  return {
    title: "Explore published exhibitions",
    description: "Museum exhibitions in 3D and VR, published on Atrium: search by title, object, maker or museum, in Chinese, English and Japanese.",
    url: `${origin}/explore`,
    image: null,
    lang: "en",
    type: "website",
  };
}
