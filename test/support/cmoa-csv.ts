import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "./fixtures";

/** The CMOA fixture records (200 CC0 records of Asian ceramics and tea ware). */
export const CMOA_TEXT = readFileSync(join(FIXTURES, "museum-records/cmoa_asian_ceramics_teaware_sample.json"), "utf8");
export const CMOA = JSON.parse(CMOA_TEXT) as Record<string, unknown>[];

/**
 * The records as a spreadsheet would export them, with its own column names and three flawed
 * rows: row 4 has no title, row 6 an unreadable licence, row 8 a size that is not a number.
 */
export function cmoaCsv(): string {
  const cols: [string, (r: Record<string, unknown>) => unknown][] = [
    ["Object Number", (r) => r.accession_number],
    ["Object Title", (r) => r.title],
    ["Medium", (r) => r.medium],
    ["Dated", (r) => r.creation_date],
    ["Height (in)", (r) => r.item_height],
    ["Licence", () => "CC0"],
    ["Link", (r) => r.web_url],
  ];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = CMOA.map((r, i) =>
    cols
      .map(([name, get]) => {
        if (i === 3 && name === "Object Title") return "";
        if (i === 5 && name === "Licence") return cell("free to use, ask us");
        if (i === 7 && name === "Height (in)") return "about 7";
        return cell(get(r));
      })
      .join(","),
  );
  return [cols.map(([n]) => n).join(","), ...rows].join("\r\n");
}
