/**
 * The one string lookup (docs/ARCHITECTURE.md, "Texts"): a table of texts per language, English
 * complete and the others possibly partial, `{name}` placeholders filled from `params`. The
 * interface strings, the studio's strings and the credit-line words all go through it.
 */
export type TextTables<K extends string> = { en: Record<K, string> } & Record<string, Partial<Record<K, string>>>;

/** The text for `key` in `language`, falling back to English, with its placeholders filled. */
export function lookupText<K extends string>(tables: TextTables<K>, language: string, key: K, params?: Record<string, string | number>): string {
  const text = tables[language]?.[key] ?? tables.en[key];
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
}
