import type { AccountStore } from "../accounts/account-store";
import type { Documents } from "../documents/documents";
import type { AccessChanges } from "../security/access-changes";
import { galleryEntry, type GalleryEntry } from "./gallery";

/**
 * The published shows as the public gallery searches them, built once and shared by every
 * search (a flood of searches costs a filter over this list, never a read of every document).
 * Rebuilt at most every `maxAgeMs` (live edits to a published show's texts show within that
 * time) and at the next search after a show is published or unpublished (here or, in the scaled
 * mode, in any process: access changes travel over Redis). Concurrent searches share one build.
 */
export class GalleryIndex {
  private entries: GalleryEntry[] | null = null;
  private builtAt = 0;
  private building: Promise<GalleryEntry[]> | null = null;
  /** Bumped by every publish or unpublish: a build started before it is not kept. */
  private generation = 0;

  constructor(
    private readonly accounts: AccountStore,
    private readonly documents: Documents,
    accessChanges: AccessChanges,
    /** Views of each show in the last 30 days (visit statistics); none when not given. */
    private readonly views: () => Promise<ReadonlyMap<string, number>> = async () => new Map(),
    private readonly maxAgeMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    accessChanges.on((change) => {
      if (change.kind === "exhibition") this.invalidate();
    });
  }

  /** Forget the list: the next search rebuilds it. */
  invalidate(): void {
    this.generation++;
    this.entries = null;
  }

  /** Every published show's gallery entry, most recent publication first. */
  async all(): Promise<readonly GalleryEntry[]> {
    if (this.entries && this.now() - this.builtAt < this.maxAgeMs) return this.entries;
    if (!this.building) {
      const generation = this.generation;
      this.building = this.build().then(
        (entries) => {
          this.building = null;
          if (generation === this.generation) {
            this.entries = entries;
            this.builtAt = this.now();
          }
          return entries;
        },
        (e: unknown) => {
          this.building = null;
          throw e;
        },
      );
    }
    return this.building;
  }

  private async build(): Promise<GalleryEntry[]> {
    const published = await this.accounts.publishedExhibitions();
    const [docs, views] = await Promise.all([Promise.all(published.map((p) => this.documents.read(p.id))), this.views()]);
    return published.flatMap((p, i) => {
      const doc = docs[i];
      return doc ? [galleryEntry(doc, p.published, views.get(p.id) ?? 0)] : [];
    });
  }
}
