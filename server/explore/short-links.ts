import { randomInt } from "node:crypto";
import type { SqlDb } from "../db/sql";

/**
 * Short links (`/s/<code>`) of shows and of the artefacts in them, kept in the accounts database
 * (table `short_links`: SQLite here, PostgreSQL schema step 5 in the scaled mode), so a code
 * printed on a gallery wall or a worksheet keeps leading to the same place whichever process
 * answers, after a restart, and after the show is renamed. A code is made the first time a link
 * is asked for, once per show and per artefact (a unique pair), and is random: it tells nothing
 * of the show and cannot be guessed from its address.
 */

/** Letters and digits that cannot be mistaken for one another when typed from print (no 0/o, 1/l/i). */
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
/** 31^7 ≈ 2.8e10 codes: a random guess finds one of a million links once in 27,000 tries. */
export const CODE_LENGTH = 7;
/** What a short code looks like; anything else is not looked up. */
export const SHORT_CODE = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

/** Where a short link leads: a show, or one artefact (a placement id) in it. */
export interface ShortTarget {
  exhibition: string;
  /** The placement, or null for the show itself. */
  placement: string | null;
}

/** A random code of `length` characters from {@link ALPHABET} (short links, folder ids and their shared links). */
export function newCode(length = CODE_LENGTH): string {
  let code = "";
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What a code of `length` from {@link newCode} looks like; anything else is not looked up. */
export const codePattern = (length: number) => new RegExp(`^[${ALPHABET}]{${length}}$`);

export class ShortLinks {
  constructor(
    private readonly db: SqlDb,
    private readonly makeCode: () => string = newCode,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The codes of a show ("" names the show itself) and of the placements given, made where
   * missing. Two processes asking at once agree: the pair is unique, so one insert wins and both
   * read its code back. A new code that happens to be taken already is drawn again.
   */
  async codes(exhibition: string, placements: readonly string[]): Promise<Map<string, string>> {
    const wanted = ["", ...placements];
    let known = await this.read(exhibition);
    for (let round = 0; round < 5; round++) {
      const missing = wanted.filter((p) => !known.has(p));
      if (missing.length === 0) break;
      for (const placement of missing)
        await this.db.run("INSERT INTO short_links (code, exhibition_id, placement, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [this.makeCode(), exhibition, placement, this.now()]);
      known = await this.read(exhibition);
    }
    const missing = wanted.filter((p) => !known.has(p));
    if (missing.length > 0) throw new Error(`no free short code for ${exhibition} (${missing.length} link(s)) after 5 draws`);
    return known;
  }

  /** Where a code leads, or null when no link has it. */
  async resolve(code: string): Promise<ShortTarget | null> {
    if (!SHORT_CODE.test(code)) return null;
    const row = await this.db.one<{ exhibition_id: string; placement: string }>("SELECT exhibition_id, placement FROM short_links WHERE code = ?", [code]);
    return row ? { exhibition: row.exhibition_id, placement: row.placement || null } : null;
  }

  private async read(exhibition: string): Promise<Map<string, string>> {
    const rows = await this.db.all<{ code: string; placement: string }>("SELECT code, placement FROM short_links WHERE exhibition_id = ?", [exhibition]);
    return new Map(rows.map((r) => [r.placement, r.code]));
  }
}
