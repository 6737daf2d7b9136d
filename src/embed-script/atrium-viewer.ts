/**
 * `<atrium-viewer>`: a show of an Atrium site in another site's page (issue 23), served as
 * `/embed.js` (bundled by `scripts/finish-build.ts`; it stands alone, like the service worker):
 *
 *   <script src="https://atrium.example/embed.js"></script>
 *   <atrium-viewer exhibition="tea-and-its-vessels" lang="en" style="height: 480px"></atrium-viewer>
 *
 * It frames `/embed/<id>` of the site the script came from, and offers a small API:
 * `setLanguage(tag)`, `goToStep(index)`, `openArtefact(placement)`, `closeArtefact()`, and the
 * events `atrium-ready`, `atrium-artefact-opened`, `atrium-artefact-closed`, `atrium-step` and
 * `atrium-language` (the message as `detail`). Messages go only to the framed Atrium page and
 * are taken only from it.
 */
import { EMBED_SOURCE, isEmbedEvent, type EmbedCommand, type EmbedEvent } from "../shared/embed-protocol";

/** The Atrium site this script was loaded from. */
const ATRIUM_ORIGIN = new URL((document.currentScript as HTMLScriptElement | null)?.src ?? location.href).origin;

type Payload<T extends EmbedCommand["type"]> = Omit<Extract<EmbedCommand, { type: T }>, "source" | "type">;

class AtriumViewer extends HTMLElement {
  static observedAttributes = ["exhibition", "lang"];
  private frame: HTMLIFrameElement | null = null;
  /** The last "ready" message, or null before the show is drawn. */
  ready: EmbedEvent | null = null;
  private readonly onMessage = (e: MessageEvent) => {
    if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== ATRIUM_ORIGIN || !isEmbedEvent(e.data)) return;
    if (e.data.type === "ready") this.ready = e.data;
    this.dispatchEvent(new CustomEvent(`atrium-${e.data.type}`, { detail: e.data, bubbles: true }));
  };

  connectedCallback(): void {
    window.addEventListener("message", this.onMessage);
    this.render();
  }

  disconnectedCallback(): void {
    window.removeEventListener("message", this.onMessage);
    this.frame?.remove();
    this.frame = null;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.isConnected || old === value) return;
    // A new language is a message (the view stays where it is); a new show is a new frame.
    if (name === "lang" && value && this.ready) this.setLanguage(value);
    else this.render();
  }

  private render(): void {
    const id = this.getAttribute("exhibition");
    if (!id) return;
    const lang = this.getAttribute("lang");
    const src = `${ATRIUM_ORIGIN}/embed/${encodeURIComponent(id)}${lang ? `?lang=${encodeURIComponent(lang)}` : ""}`;
    if (!this.frame) {
      this.frame = document.createElement("iframe");
      this.frame.allow = "fullscreen; xr-spatial-tracking";
      // The frame fills the element, whose size is the page's to choose (see the sheet below).
      this.frame.style.cssText = "border:0;position:absolute;inset:0;width:100%;height:100%";
      this.appendChild(this.frame);
    }
    this.frame.title = this.getAttribute("title") ?? "Atrium exhibition";
    this.ready = null;
    this.frame.src = src;
  }

  private send<T extends EmbedCommand["type"]>(type: T, payload: Payload<T>): void {
    this.frame?.contentWindow?.postMessage({ source: EMBED_SOURCE, type, ...payload }, ATRIUM_ORIGIN);
  }

  setLanguage(lang: string): void {
    this.send("set-language", { lang });
  }
  goToStep(step: number): void {
    this.send("go-to-step", { step });
  }
  openArtefact(placement: string): void {
    this.send("open-artefact", { placement });
  }
  closeArtefact(): void {
    this.send("close-artefact", {});
  }
}

if (!customElements.get("atrium-viewer")) {
  // The element's defaults, weaker than anything the page says (a type selector): a block 480 px
  // high that the frame fills. A constructed sheet, which a page's CSP allows where it would
  // refuse an inline <style>.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("atrium-viewer { display: block; position: relative; height: 480px; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  customElements.define("atrium-viewer", AtriumViewer);
}
