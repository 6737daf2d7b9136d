/**
 * The web address (`/visit/<id>`) of a new exhibition, made from its title so that nobody has to
 * invent one: "Tea vessels for class 5" -> "tea-vessels-for-class-5". A title with no Latin letters
 * or digits (a Chinese-only title) gets "exhibition"; the server adds "-2", "-3"... when the address
 * is taken. Shared by the server, which decides, and the form, which previews it.
 */
export function addressFromTitle(title: Record<string, string | undefined>): string {
  const candidates = [title["en"], ...Object.values(title)].filter((t): t is string => !!t && /[A-Za-z0-9]/.test(t));
  const slug = (candidates[0] ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // é -> e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug.length >= 3 ? slug : "exhibition";
}

/** The `n`th address tried for a title's base address: the base, then base-2, base-3... */
export const nthAddress = (base: string, n: number) => (n <= 1 ? base : `${base}-${n}`);
