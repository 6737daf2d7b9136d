import { useLayoutEffect, useRef, type CSSProperties, type FocusEvent } from "react";
import type { Peer, Presence } from "../collab";
import { mapThroughSplice, textSplice, textTargetName } from "../shared/collab/co-texts";
import type { TextTarget } from "../shared/exhibition";

interface Props {
  /** What the field writes: a co-written text (`setText`'s target) in `lang`. */
  target: TextTarget;
  lang: string;
  /** The document's text now. */
  value: string;
  /** Writes the field's whole new value (the editor's `setText`: the layout turns it into a splice). */
  onText: (value: string) => void;
  presence?: Presence;
  /** The other people here (for their carets in this text). */
  peers: readonly Peer[];
  multiline?: boolean;
  rows?: number;
  name?: string;
  label?: string;
  disabled?: boolean;
  onFocus?: (e: FocusEvent) => void;
  onBlur?: (e: FocusEvent) => void;
  data?: Record<string, string>;
}

type Field = HTMLTextAreaElement | HTMLInputElement;

/** Styles the caret layer copies from its field, so its text wraps exactly as the field's. */
const MIRRORED = ["fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing", "lineHeight", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "textAlign", "textIndent", "wordSpacing", "tabSize"] as const;

/**
 * A text field of a co-written text (docs/ARCHITECTURE.md, "Co-writing"). Typing writes the whole
 * value through the editor, which the layout turns into the smallest splice of the Y.Text, so a
 * co-writer's keystrokes elsewhere in the text are kept. When their words arrive, this field keeps
 * the caret and selection by the text they were next to (the browser would jump to the end),
 * tells the others where its caret is (presence), and draws theirs in their colour and name
 * (hidden from assistive technology: the inspector's "Also here" names who is on the item, and
 * the field's own name stays its label).
 */
export function CoTextField({ target, lang, value, onText, presence, peers, multiline, rows, name, label, disabled, onFocus, onBlur, data }: Props) {
  const field = useRef<Field>(null);
  const layer = useRef<HTMLDivElement>(null);
  /** The value the field showed after its last change, and the selection in it. */
  const shown = useRef({ value, start: 0, end: 0, backward: false });
  const textName = textTargetName(target, lang);

  const share = () => {
    const el = field.current;
    if (!el || !presence || document.activeElement !== el) return;
    const start = el.selectionStart ?? 0;
    const end = el.selectionEnd ?? start;
    const backward = el.selectionDirection === "backward";
    shown.current = { value: el.value, start, end, backward };
    presence.update({ caret: { text: textName, anchor: backward ? end : start, head: backward ? start : end } });
  };

  // Someone else's words arrived (the value changed, not by typing here): put the caret and
  // selection back beside the text they were next to.
  useLayoutEffect(() => {
    const el = field.current;
    const before = shown.current;
    if (!el || before.value === value) return;
    shown.current = { ...before, value };
    if (document.activeElement !== el) return;
    const splice = textSplice(before.value, value);
    if (!splice) return;
    const start = mapThroughSplice(before.start, splice);
    const end = mapThroughSplice(before.end, splice);
    el.setSelectionRange(start, end, before.backward ? "backward" : "forward");
    shown.current = { value, start, end, backward: before.backward };
  }, [value]);

  const here = peers.filter((p) => p.caret?.text === textName);

  // The caret layer wraps its text as the field does: same box, font and scroll.
  useLayoutEffect(() => {
    const el = field.current;
    const over = layer.current;
    if (!el || !over) return;
    const cs = getComputedStyle(el);
    for (const k of MIRRORED) over.style[k] = cs[k];
    over.style.width = `${el.offsetWidth}px`;
    over.style.height = `${el.offsetHeight}px`;
    over.style.left = `${el.offsetLeft}px`;
    over.style.top = `${el.offsetTop}px`;
    follow();
  });

  /** The layer's text moves with the field's scroll (translated: the layer lets names stand above its top edge). */
  const follow = () => {
    const inner = layer.current?.firstElementChild as HTMLElement | null | undefined;
    const el = field.current;
    if (inner && el) inner.style.transform = `translate(${-el.scrollLeft}px, ${-el.scrollTop}px)`;
  };

  const common = {
    name,
    lang,
    "aria-label": label,
    disabled,
    value,
    onChange: (e: { target: Field }) => {
      shown.current = { ...shown.current, value: e.target.value };
      onText(e.target.value);
      share();
    },
    onSelect: share,
    onScroll: follow,
    onFocus: (e: FocusEvent) => {
      share();
      onFocus?.(e);
    },
    onBlur: (e: FocusEvent) => {
      presence?.update({ caret: null });
      onBlur?.(e);
    },
    ...Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v])),
  };

  return (
    <span className={`co-text${multiline ? " multiline" : ""}`}>
      {multiline ? <textarea ref={field as React.RefObject<HTMLTextAreaElement>} rows={rows} {...common} /> : <input ref={field as React.RefObject<HTMLInputElement>} {...common} />}
      {here.length > 0 && (
        <div ref={layer} className="co-text-carets" aria-hidden="true">
          <div>{carets(value, here)}</div>
        </div>
      )}
    </span>
  );
}

/**
 * The others' carets and selections over `value`: the text itself (transparent), cut where a
 * selection starts or ends or a caret stands, so each mark sits where the field draws that text.
 */
function carets(value: string, peers: readonly Peer[]) {
  const marks = peers.map((p) => {
    const c = p.caret!;
    const a = Math.min(c.anchor, value.length);
    const h = Math.min(c.head, value.length);
    return { peer: p, from: Math.min(a, h), to: Math.max(a, h), head: h };
  });
  const cuts = [...new Set([0, value.length, ...marks.flatMap((m) => [m.from, m.to, m.head])])].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i < cuts.length; i++) {
    const at = cuts[i]!;
    for (const m of marks) {
      if (m.head !== at) continue;
      const style = { "--peer": m.peer.user.colour } as CSSProperties;
      out.push(
        <span key={`c${m.peer.clientId}`} className="co-caret" style={style} data-peer={m.peer.user.name}>
          <span className="co-caret-name">{m.peer.user.name}</span>
        </span>,
      );
    }
    const next = cuts[i + 1];
    if (next === undefined) break;
    const piece = value.slice(at, next);
    const selectedBy = marks.find((m) => m.from <= at && next <= m.to && m.from !== m.to);
    out.push(
      selectedBy ? (
        <mark key={`s${at}`} style={{ "--peer": selectedBy.peer.user.colour } as CSSProperties}>
          {piece}
        </mark>
      ) : (
        <span key={`t${at}`}>{piece}</span>
      ),
    );
  }
  // A final newline takes no line in the layer unless something follows it.
  out.push(<span key="end">{"\u200b"}</span>);
  return out;
}
