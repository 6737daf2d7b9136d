import type { CatalogueEntry } from "../../src/shared/exhibition";
import type { Bus } from "./bus";

/**
 * Carries catalogue additions between processes (uploads, their quality tiers, record and IIIF
 * imports): the entry is stored in the host's uploads store by the process that received it, and
 * every other process adds it to its in-memory search index and its upload-access index, so a
 * curator finds an upload whichever process answers the search. Entries from the bus are
 * validated like any other (`Catalogue.add` parses them). Returns `publish` and the unsubscribe.
 */
export async function bridgeCatalogue(bus: Bus, received: (entry: CatalogueEntry) => void): Promise<{ publish: (entry: CatalogueEntry) => void; stop: () => void }> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const stop = await bus.subscribe("catalogue", (payload) => {
    let entry: unknown;
    try {
      entry = JSON.parse(decoder.decode(payload));
    } catch {
      return; // not ours
    }
    if (entry && typeof entry === "object" && typeof (entry as { id?: unknown }).id === "string") received(entry as CatalogueEntry);
  });
  return { publish: (entry) => bus.publish("catalogue", encoder.encode(JSON.stringify(entry))), stop };
}
