import type { AccountStore, User } from "../accounts/account-store";
import type { CatalogueEntry } from "../../src/shared/exhibition";

/** Who may read an uploaded file, and whether shared caches may keep it. */
export interface UploadVerdict {
  allowed: boolean;
  /** A published exhibition shows it: anyone may read it, and caches may keep it. */
  public: boolean;
}

export interface UploadAccessDeps {
  accounts: AccountStore;
  /** Every stored catalogue entry of uploads and imports (read once, then kept up to date by `entrySaved`). */
  entries: () => Promise<CatalogueEntry[]>;
  /** Every exhibition's id. */
  exhibitionIds: () => Promise<string[]>;
  /** An exhibition's document as it is now (live or stored), or null. */
  documentOf: (id: string) => Promise<unknown>;
  /** Does a class seat token let its holder read this exhibition? */
  seatGrants: (token: string, exhibition: string) => Promise<boolean>;
}

/** The upload URLs (`/uploads/...`) anywhere in a JSON value. */
function uploadUrls(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === "string") {
    if (value.startsWith("/uploads/")) out.add(value);
  } else if (Array.isArray(value)) for (const v of value) uploadUrls(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) uploadUrls(v, out);
  return out;
}

/**
 * Private uploads stay private (docs/ARCHITECTURE.md, "Uploads"): a file under `/uploads/` is
 * readable by its uploader and their museum's members, by anyone who may see an exhibition that
 * shows it (published: everyone; a draft: its members, and the students of a class on it), and
 * by nobody else, whoever knows its hash. Which exhibitions show which files is indexed from the
 * documents once, then again for a document only after it changed.
 */
export class UploadAccess {
  private readonly owners = new Map<string, { uploadedBy?: string; museum: string }[]>();
  private readonly shownIn = new Map<string, Set<string>>();
  private readonly urlsOf = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  private indexed = false;
  /** The refresh under way, if any: concurrent checks share it. */
  private refreshing: Promise<void> | null = null;

  constructor(private readonly deps: UploadAccessDeps) {}

  /** A catalogue entry was stored (an upload, its tiers, an import): its files are its owners'. */
  entrySaved(entry: CatalogueEntry): void {
    if (!this.indexed) return;
    for (const url of uploadUrls(entry.item, new Set())) {
      const list = this.owners.get(url) ?? [];
      if (!list.some((o) => o.uploadedBy === entry.uploadedBy && o.museum === entry.museum.id)) list.push({ ...(entry.uploadedBy ? { uploadedBy: entry.uploadedBy } : {}), museum: entry.museum.id });
      this.owners.set(url, list);
    }
  }

  /** An exhibition's document changed: its files are read again when next needed. */
  documentChanged(id: string): void {
    if (this.indexed) this.dirty.add(id);
  }

  async check(url: string, user: User | null, seat: string | null): Promise<UploadVerdict> {
    if (this.refreshing || !this.indexed || this.dirty.size > 0) await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = null)));
    let allowed = false;
    if (user) {
      for (const o of this.owners.get(url) ?? []) if (o.uploadedBy === user.id || user.isAdmin || (await this.deps.accounts.museumRole(o.museum, user.id))) allowed = true;
    }
    for (const id of this.shownIn.get(url) ?? []) {
      const rec = await this.deps.accounts.exhibition(id);
      if (rec?.published) return { allowed: true, public: true };
      if (!allowed && ((await this.deps.accounts.roleOf(id, user)) || (seat && (await this.deps.seatGrants(seat, id))))) allowed = true;
    }
    return { allowed, public: false };
  }

  private async refresh(): Promise<void> {
    if (!this.indexed) {
      this.indexed = true;
      for (const e of await this.deps.entries()) this.entrySaved(e);
      for (const id of await this.deps.exhibitionIds()) this.dirty.add(id);
    }
    while (this.dirty.size > 0) {
      // Taken off before reading: a change while it is read marks it dirty again.
      const id = this.dirty.values().next().value!;
      this.dirty.delete(id);
      const doc = await this.deps.documentOf(id);
      for (const url of this.urlsOf.get(id) ?? []) this.shownIn.get(url)?.delete(id);
      const urls = uploadUrls(doc, new Set());
      this.urlsOf.set(id, urls);
      for (const url of urls) {
        const set = this.shownIn.get(url) ?? new Set();
        set.add(id);
        this.shownIn.set(url, set);
      }
    }
  }
}
