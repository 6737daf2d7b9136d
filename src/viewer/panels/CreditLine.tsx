import { creditParts, type Item, type Museum } from "../../shared/exhibition";

/**
 * An item's four-part credit line — institution (with the museum's own line), licence, link to
 * the record, location — in the visitor's language. Shown wherever the item is shown.
 */
export function CreditLine({ item, museum, lang }: { item: Item; museum: Museum | undefined; lang: string }) {
  const p = creditParts(item, museum, lang);
  return (
    <p className="credit-line" lang={lang}>
      <span className="credit-institution">{p.institution}</span>
      {p.credit && <span className="credit-own"> · {p.credit}</span>}
      {" · "}
      {p.licenceUrl ? (
        <a className="credit-licence" href={p.licenceUrl} target="_blank" rel="noreferrer license">
          {p.licence}
        </a>
      ) : (
        <span className="credit-licence">{p.licence}</span>
      )}
      {p.link && (
        <>
          {" · "}
          <a className="credit-link" href={p.link} target="_blank" rel="noreferrer">
            {linkLabel(p.link)}
          </a>
        </>
      )}
      {p.location && <span className="credit-location"> · {p.location}</span>}
    </p>
  );
}

/** A record link as shown: its site's name (the full address is the link's target). */
export function linkLabel(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, "");
  } catch {
    return url;
  }
}
