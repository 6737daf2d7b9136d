import { useEffect, useState } from "react";
import { api } from "../api/client";
import { usePageLanguage, useT } from "../i18n/strings";
import { creditText, pickText, type Exhibition } from "../shared/exhibition";
import type { LinksAnswer } from "../shared/api/links";
import { useLocalStore } from "../state/local-store";

/** What the card shows, once the show and its links are read. */
interface Card {
  doc: Exhibition;
  link: LinksAnswer["show"];
}

/**
 * `/card/<id>[?artefact=<placement>]`: a printable QR card (A6) for a gallery wall, a plinth or
 * a worksheet (issue 23): the show's or the object's title, "scan to see it in 3D", its QR code
 * and short link, and the object's credit line and licence (or the show's museums), in the
 * interface's language. The screen view has a Print button; the printed page is the card alone.
 */
export function QrCardPage({ id }: { id: string }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const params = new URLSearchParams(window.location.search);
  const placement = params.get("artefact");
  const [card, setCard] = useState<Card | null>(null);
  const [error, setError] = useState<string | null>(null);

  usePageLanguage();
  useEffect(() => {
    Promise.all([api.exhibition(id).then((r) => (r.ok ? (r.json() as Promise<Exhibition>) : Promise.reject(new Error(t("noSuchLink"))))), api.links(id)]).then(
      ([doc, links]) => {
        const link = placement ? links.artefacts.find((a) => a.placement === placement) : links.show;
        if (!link) return setError(t("noSuchLink"));
        setCard({ doc, link });
      },
      (e: Error) => setError(e.message),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, placement]);

  const doc = card?.doc;
  const fallbacks = doc?.meta.languages ?? [];
  const item = doc && placement ? doc.items[doc.placements[placement]?.item ?? ""] : undefined;
  const showTitle = doc ? pickText(doc.meta.title, language, fallbacks) : "";
  const title = item ? pickText(item.title, language, fallbacks) : showTitle;
  useEffect(() => {
    if (title) document.title = `${title} · ${t("printCard")} · Atrium`;
  }, [title, t]);

  if (error)
    return (
      <main className="page error-page" role="alert">
        <h1>{error}</h1>
      </main>
    );
  if (!card || !doc) return <main className="page loading-page">{t("loading")}…</main>;
  const museum = item ? doc.meta.museums.find((m) => m.id === item.institution) : undefined;
  const details = item ? [item.maker, item.date, item.material].map((m) => pickText(m, language, fallbacks)).filter(Boolean).join(" · ") : "";

  return (
    <main className="qr-card-page">
      <p className="qr-card-actions">
        <button className="primary" onClick={() => window.print()}>
          {t("printThis")}
        </button>
      </p>
      <article className="qr-card" lang={language} data-code={card.link.code}>
        <header>
          <h1>{title}</h1>
          {item && <p className="qr-card-show">{showTitle}</p>}
          {details && <p className="qr-card-details">{details}</p>}
        </header>
        <figure>
          <img src={card.link.qr} alt={`${t("qrCodeOf")} ${card.link.url}`} width={300} height={300} />
          <figcaption>
            <strong>{t("scanToVisit")}</strong>
            <span className="qr-card-url">{card.link.url.replace(/^https?:\/\//, "")}</span>
          </figcaption>
        </figure>
        <footer>
          {item ? <p className="qr-card-credit">{creditText(item, museum, language)}</p> : <p className="qr-card-credit">{doc.meta.museums.map((m) => pickText(m.name, language)).join(" · ")}</p>}
          <p className="qr-card-brand">Atrium</p>
        </footer>
      </article>
    </main>
  );
}
