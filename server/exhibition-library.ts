import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseExhibitionText, roomsInOrder, type Exhibition, type FieldProblem } from "../src/shared/exhibition";

/** One exhibition file that loaded. */
export interface LoadedExhibition {
  id: string;
  file: string;
  doc: Exhibition;
}

/** One exhibition file that did not: which file, and each field that is wrong. */
export interface BrokenExhibition {
  /** The id visitors would use: the file name without `.json`. */
  id: string;
  file: string;
  message: string;
  problems: FieldProblem[];
}

/** What the exhibition list shows of one exhibition. */
export function summarize(doc: Exhibition) {
  return {
    id: doc.id,
    title: doc.meta.title,
    intro: doc.meta.intro,
    languages: doc.meta.languages,
    museums: doc.meta.museums,
    rooms: Object.keys(doc.rooms).length,
    artefacts: Object.keys(doc.placements).length,
    firstRoom: roomsInOrder(doc)[0]![0],
  };
}

/**
 * The exhibitions a server shows, read from a folder of JSON documents at start-up. A broken file
 * never stops the server: it is logged (file and field) and reported by the API and the UI.
 */
export class ExhibitionLibrary {
  readonly loaded = new Map<string, LoadedExhibition>();
  readonly broken = new Map<string, BrokenExhibition>();

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void = (l) => console.error(l),
  ) {
    this.reload();
  }

  reload(): void {
    this.loaded.clear();
    this.broken.clear();
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith(".json")).sort();
    } catch (e) {
      this.log(`[atrium] cannot read exhibitions folder ${this.dir}: ${(e as Error).message}`);
      return;
    }
    for (const name of files) {
      const path = join(this.dir, name);
      const file = relative(process.cwd(), path) || path;
      const fileId = basename(name, ".json");
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (e) {
        this.addBroken({ id: fileId, file, message: `${file}: cannot be read: ${(e as Error).message}`, problems: [] });
        continue;
      }
      const result = parseExhibitionText(text, file);
      if (!result.ok) {
        this.addBroken({ id: fileId, file, message: result.error.message, problems: result.error.problems });
        continue;
      }
      const id = result.doc.id;
      if (this.loaded.has(id)) {
        this.addBroken({ id: fileId, file, message: `${file}: id: "${id}" is already used by ${this.loaded.get(id)!.file}`, problems: [{ field: "id", message: `"${id}" is already used by ${this.loaded.get(id)!.file}` }] });
        continue;
      }
      if (result.migratedFrom) this.log(`[atrium] ${file}: migrated from schema version ${result.migratedFrom}`);
      this.loaded.set(id, { id, file, doc: result.doc });
    }
  }

  private addBroken(entry: BrokenExhibition): void {
    this.broken.set(entry.id, entry);
    this.log(`[atrium] exhibition not loaded:\n${entry.message}`);
  }
}
