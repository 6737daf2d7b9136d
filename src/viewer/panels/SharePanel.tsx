import { useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import type { CitationAnswer } from "../../shared/api/links";
import { useClosesOnEscape } from "./focus";

/**
 * "Share and cite" for a show, or one artefact in it: its permanent short link (copy), the QR
 * code of that link (print it for a wall label or a worksheet), and its citation in the
 * interface's language, with CSL-JSON and BibTeX to download. Esc or × closes it and gives focus
 * back to what opened it.
 */
export function SharePanel({ exhibition, placement, onClose }: { exhibition: string; placement?: string; onClose: () => void }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const [cite, setCite] = useState<CitationAnswer | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useClosesOnEscape(heading, onClose);

  useEffect(() => {
    const params = new URLSearchParams({ lang: language, ...(placement ? { placement } : {}) });
    Promise.all([api.cite(exhibition, params), api.links(exhibition)]).then(
      ([c, links]) => {
        setCite(c);
        setQr(placement ? (links.artefacts.find((a) => a.placement === placement)?.qr ?? null) : links.show.qr);
      },
      (e: Error) => setError(e.message),
    );
  }, [exhibition, placement, language]);

  const file = (text: string, type: string) => URL.createObjectURL(new Blob([text], { type }));
  const [downloads, setDownloads] = useState<{ csl: string; bib: string } | null>(null);
  useEffect(() => {
    if (!cite) return;
    const d = { csl: file(JSON.stringify([cite.csl], null, 2), "application/vnd.citationstyles.csl+json"), bib: file(cite.bibtex, "application/x-bibtex") };
    setDownloads(d);
    return () => {
      URL.revokeObjectURL(d.csl);
      URL.revokeObjectURL(d.bib);
    };
  }, [cite]);
  const name = placement ? `${exhibition}-${placement}` : exhibition;

  return (
    <section className="panel share-panel" aria-labelledby="share-title">
      <header>
        <h2 id="share-title" tabIndex={-1} ref={heading}>
          {placement ? t("shareArtefact") : t("shareShow")}
        </h2>
        <button className="close" onClick={onClose} aria-label={t("close")}>
          ×
        </button>
      </header>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      {cite && (
        <>
          <label className="share-link">
            <span>{t("permanentLink")}</span>
            <span className="share-link-row">
              <input readOnly value={cite.url} onFocus={(e) => e.currentTarget.select()} />
              <button
                onClick={() =>
                  void navigator.clipboard?.writeText(cite.url).then(
                    () => setCopied(true),
                    () => setCopied(false),
                  )
                }
              >
                {copied ? t("copied") : t("copy")}
              </button>
            </span>
          </label>
          {qr && (
            <figure className="share-qr">
              <img src={qr} alt={`${t("qrCodeOf")} ${cite.url}`} width={150} height={150} />
              <figcaption>
                <a href={qr} download={`${name}-qr.png`}>
                  {t("downloadQr")}
                </a>{" "}
                <a className="print-card" href={`/card/${encodeURIComponent(exhibition)}?${new URLSearchParams({ ...(placement ? { artefact: placement } : {}), lang: language })}`} target="_blank" rel="noopener">
                  {t("printCard")}
                </a>
              </figcaption>
            </figure>
          )}
          <h3>{t("cite")}</h3>
          <blockquote className="share-citation" lang={cite.lang}>
            {cite.text}
          </blockquote>
          {downloads && (
            <p className="share-formats">
              <a href={downloads.csl} download={`${name}.csl.json`}>
                CSL-JSON
              </a>
              <a href={downloads.bib} download={`${name}.bib`}>
                BibTeX
              </a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The button that opens {@link SharePanel} (the panel shows beside the view while open). */
export function ShareButton({ exhibition, placement }: { exhibition: string; placement?: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button className="share-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {placement ? t("cite") : t("share")}
      </button>
      {open && <SharePanel exhibition={exhibition} {...(placement ? { placement } : {})} onClose={() => setOpen(false)} />}
    </>
  );
}
