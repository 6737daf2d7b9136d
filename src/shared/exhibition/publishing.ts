import type { Licences } from "./schema";
import type { Exhibition } from "./schema";
import { pickText } from "./lang";

/** An item that keeps an exhibition from going public, and why. */
export interface PublishProblem {
  item: string;
  title: string;
  reason: string;
}

/**
 * Why an item's licences do not allow showing it to the public, or null when they do. What
 * visitors see is the object (model or image) and the record's text; a reserved thumbnail does
 * not matter because Atrium does not show museum thumbnails. Custom terms are documented in the
 * item's rights note (the schema requires it) and are taken as allowing display.
 */
export function publicDisplayRefusal(licences: Licences): string | null {
  if (licences.object === "All-Rights-Reserved") return "its 3D model or image is \"All rights reserved\": the rights holder must grant a licence (e.g. CC BY 4.0) before it can be shown publicly";
  if (licences.metadata === "All-Rights-Reserved") return "its record text is \"All rights reserved\": the rights holder must grant a licence before the label can be shown publicly";
  return null;
}

/** Every item that blocks publishing `doc`, with the reason (empty: it may go public). */
export function publishProblems(doc: Pick<Exhibition, "items" | "meta">): PublishProblem[] {
  return Object.entries(doc.items).flatMap(([id, it]) => {
    const reason = publicDisplayRefusal(it.licences);
    return reason ? [{ item: id, title: pickText(it.title, "en", doc.meta.languages), reason }] : [];
  });
}
