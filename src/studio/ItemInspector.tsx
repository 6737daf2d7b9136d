import { useState } from "react";
import { useExhibition } from "../collab";
import { CommentThread } from "./comments-panel";
import { pickText, publicDisplayRefusal, type LicenceId, type Vec3 } from "../shared/exhibition";
import { CreditLine } from "../viewer/panels/CreditLine";
import { refusalMessage } from "../i18n/refusals";
import { useLocalStore } from "../state/local-store";
import { LangLabel, LanguageTabs, LicenceOptions, NumberField, useEditLanguage } from "./fields";
import { attempt, usePeers } from "./studio-hooks";
import { CoTextField } from "./co-text-field";
import { captureTourStep } from "./tour-capture";
import { useStudio } from "./studio-context";
import { useStudioStore } from "./studio-store";
import { useStudioT } from "./studio-strings";

const DEG = 180 / Math.PI;

/**
 * The inspector of the selected placement: who else is on it, the item's texts per language
 * (respecting museum locks), credit and licences, notes pinned on the model, the placement's
 * transform, mount and plinth, arranging tools, and the item's comment thread.
 */
export function ItemInspector({ placementId }: { placementId: string }) {
  const t = useStudioT();
  const studio = useStudio();
  const placement = useExhibition((d) => d.placements[placementId]);
  const item = useExhibition((d) => (placement ? d.items[placement.item] : undefined));
  const museums = useExhibition((d) => d.meta.museums);
  const annotations = useExhibition((d) => d.annotations);
  const language = useLocalStore((s) => s.language);
  const lang = useEditLanguage();
  const peers = usePeers(studio?.presence);
  const selection = useStudioStore((s) => s.picked);
  if (!studio || !placement || !item) return null;
  const { editor } = studio;
  const itemId = placement.item;
  const canEdit = editor.canEdit();
  const refusal = editor.itemRefusal(itemId);
  const museum = museums.find((m) => m.id === item.institution);
  const here = peers.filter((p) => p.selection === placementId || p.editing === itemId);
  const notes = Object.entries(annotations).filter(([, a]) => a.item === itemId);
  const ownMuseum = editor.rightsRefusal(itemId) === null;
  const lockedBy = item.lockedBy ? museums.find((m) => m.id === item.lockedBy) : undefined;
  const text = (field: "title" | "description") => item[field]?.[lang] ?? "";
  const editing = (on: boolean) => studio.presence.update({ editing: on ? itemId : null });

  return (
    <aside className="studio-drawer inspector" aria-label={pickText(item.title, language)} data-placement={placementId}>
      <header>
        <h2>{pickText(item.title, language)}</h2>
        <button className="icon" aria-label="×" onClick={() => useStudioStore.getState().pick(null)}>
          ×
        </button>
      </header>
      <SelectionTools />
      {here.length > 0 && (
        <p className="who-here">
          {t("editingNow")}{" "}
          {here.map((p) => (
            <span key={p.clientId} className="peer-tag" style={{ background: p.user.colour }}>
              {p.user.name}
            </span>
          ))}
        </p>
      )}
      <div className="credit">
        <CreditLine item={item} museum={museum} lang={language} />
        {item.modelNote && <p className="muted">{pickText(item.modelNote, language)}</p>}
      </div>
      {lockedBy && (
        <p className="lock-note" role="note">
          {t("lockedBy")} {pickText(lockedBy.name, language)}
          {refusal && <span className="muted"> — {refusalMessage(language, refusal, Object.fromEntries(museums.map((m) => [m.id, m.name])))}</span>}
        </p>
      )}
      {!canEdit && <p className="lock-note">{t("readOnly")}</p>}

      <section aria-label={t("texts")}>
        <h3>{t("texts")}</h3>
        <LanguageTabs onAdd={canEdit ? (l) => attempt(() => editor.addLanguage(l)) : undefined} />
        <label>
          <LangLabel text={t("title")} lang={lang} />
          <CoTextField
            target={{ kind: "item", id: itemId, field: "title" }}
            lang={lang}
            name="item-title"
            value={text("title")}
            presence={studio.presence}
            peers={peers}
            disabled={refusal !== null}
            onFocus={() => editing(true)}
            onBlur={() => editing(false)}
            onText={(v) => attempt(() => editor.setText({ kind: "item", id: itemId, field: "title" }, lang, v))}
          />
        </label>
        <label>
          <LangLabel text={t("description")} lang={lang} />
          <CoTextField
            multiline
            rows={4}
            target={{ kind: "item", id: itemId, field: "description" }}
            lang={lang}
            name="item-description"
            value={text("description")}
            presence={studio.presence}
            peers={peers}
            disabled={refusal !== null}
            onFocus={() => editing(true)}
            onBlur={() => editing(false)}
            onText={(v) => attempt(() => editor.setText({ kind: "item", id: itemId, field: "description" }, lang, v))}
          />
        </label>
        {canEdit && (
          // One click: a tour step that frames this object, titled after it.
          <button name="add-to-tour" onClick={() => attempt(() => void captureTourStep(studio, lang, placementId))}>
            + {t("addToTour")}
          </button>
        )}
        {ownMuseum && canEdit && (
          <button onClick={() => attempt(() => editor.lockItem(itemId, !item.lockedBy))} name="lock">
            {item.lockedBy ? t("unlock") : t("lock")}
          </button>
        )}
      </section>

      <RightsSection itemId={itemId} disabled={editor.rightsRefusal(itemId) !== null} />

      <section aria-label={t("annotations")}>
        <h3>{t("annotations")}</h3>
        {notes.length === 0 && <p className="muted">{t("pinHint")}</p>}
        <ol className="notes">
          {notes.map(([id, a]) => (
            <li key={id}>
              <CoTextField
                multiline
                rows={2}
                data={{ note: id }}
                target={{ kind: "annotation", id }}
                lang={lang}
                value={a.text[lang] ?? ""}
                presence={studio.presence}
                peers={peers}
                disabled={refusal !== null}
                onText={(v) => attempt(() => editor.setText({ kind: "annotation", id }, lang, v))}
              />
              {refusal === null && (
                <button className="icon" aria-label={t("remove")} onClick={() => attempt(() => editor.removeAnnotation(id))}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-label={t("placement")}>
        <h3>{t("placement")}</h3>
        <div className="row">
          <span>{t("position")}</span>
          {[0, 1, 2].map((axis) =>
            axis === 1 && placement.mount !== "wall" ? null : (
              <NumberField
                key={axis}
                name={`position-${"xyz"[axis]}`}
                label={`${t("position")} ${"xyz"[axis]}`}
                value={placement.position[axis]!}
                disabled={!canEdit}
                onCommit={(v) => {
                  const position = [...placement.position] as Vec3;
                  position[axis] = v;
                  attempt(() => editor.move(placementId, { position }));
                }}
              />
            ),
          )}
        </div>
        <div className="row">
          <span>{t("rotation")}</span>
          <NumberField
            name="rotation"
            label={t("rotation")}
            step={15}
            value={Math.round(placement.rotation[1] * DEG)}
            disabled={!canEdit}
            onCommit={(v) => attempt(() => editor.move(placementId, { rotation: [0, v / DEG, 0] }))}
          />
          <span>{t("scale")}</span>
          <NumberField name="scale" label={t("scale")} step={0.1} value={placement.scale} disabled={!canEdit} onCommit={(v) => attempt(() => editor.move(placementId, { scale: v }))} />
        </div>
        {placement.mount !== "wall" && (
          <div className="row">
            <span>{t("mount")}</span>
            <select name="mount" value={placement.mount} disabled={!canEdit} onChange={(e) => attempt(() => editor.setMount(placementId, e.target.value as "floor" | "plinth"))}>
              <option value="plinth">{t("mountPlinth")}</option>
              <option value="floor">{t("mountFloor")}</option>
            </select>
            {placement.plinth && (
              <>
                <input type="color" aria-label={t("plinthColour")} value={placement.plinth.colour} disabled={!canEdit} onChange={(e) => attempt(() => editor.setPlinth(placementId, { colour: e.target.value }))} />
                <label className="inline">
                  <input type="checkbox" checked={placement.plinth.vitrine} disabled={!canEdit} onChange={(e) => attempt(() => editor.setPlinth(placementId, { vitrine: e.target.checked }))} /> {t("vitrine")}
                </label>
              </>
            )}
          </div>
        )}
        {canEdit && (
          <div className="buttons">
            <button name="duplicate" onClick={() => attempt(() => useStudioStore.getState().pick(editor.duplicate(placementId)))}>
              {t("duplicate")}
            </button>
            <button name="snap" onClick={() => attempt(() => editor.snapToGrid(placementId))}>
              {t("snap")}
            </button>
            <AlignButtons placementId={placementId} selection={selection} />
            <button
              name="remove"
              className="danger"
              onClick={() =>
                attempt(() => {
                  editor.remove(placementId);
                  useStudioStore.getState().pick(null);
                })
              }
            >
              {t("remove")}
            </button>
          </div>
        )}
      </section>
      <CommentThread studio={studio} item={itemId} />
    </aside>
  );
}

/**
 * With several objects selected: how many, and what the studio does to them together (each one
 * undo step): line them up with the last picked, space them evenly, turn the group, remove them.
 */
function SelectionTools() {
  const t = useStudioT();
  const studio = useStudio();
  const selected = useStudioStore((s) => s.selected);
  const picked = useStudioStore((s) => s.picked);
  const present = useExhibition((d) => selected.filter((id) => d.placements[id]).join(","));
  if (!studio || selected.length < 2) return null;
  const ids = present ? present.split(",") : [];
  // The picked one is the reference the others line up with.
  const ordered = picked && ids.includes(picked) ? [picked, ...ids.filter((id) => id !== picked)] : ids;
  const canEdit = studio.editor.canEdit();
  return (
    <section className="selection-tools" aria-label={t("nSelected").replace("{n}", String(ids.length))}>
      <h3>{t("nSelected").replace("{n}", String(ids.length))}</h3>
      <div className="buttons">
        <button name="align-selection-x" disabled={!canEdit} onClick={() => attempt(() => studio.editor.align(ordered, "x"))}>
          {t("alignX")}
        </button>
        <button name="align-selection-z" disabled={!canEdit} onClick={() => attempt(() => studio.editor.align(ordered, "z"))}>
          {t("alignZ")}
        </button>
        <button name="align-selection-turn" disabled={!canEdit} onClick={() => attempt(() => studio.editor.align(ordered, "turn"))}>
          {t("alignTurn")}
        </button>
        <button name="distribute-x" disabled={!canEdit || ids.length < 3} onClick={() => attempt(() => studio.editor.distribute(ids, "x"))}>
          {t("distributeX")}
        </button>
        <button name="distribute-z" disabled={!canEdit || ids.length < 3} onClick={() => attempt(() => studio.editor.distribute(ids, "z"))}>
          {t("distributeZ")}
        </button>
        <button name="turn-selection" disabled={!canEdit} onClick={() => attempt(() => studio.editor.turnMany(ids, Math.PI / 2))}>
          {t("turnGroup")}
        </button>
        <button
          name="remove-selection"
          className="danger"
          disabled={!canEdit}
          onClick={() =>
            attempt(() => {
              studio.editor.removeMany(ids);
              useStudioStore.getState().pick(null);
            })
          }
        >
          {t("removeSelected")}
        </button>
        <button name="clear-selection" onClick={() => useStudioStore.getState().pick(null)}>
          {t("clearSelection")}
        </button>
      </div>
    </section>
  );
}

/** Aligns every other placement in the room to this one (a row or a column). */
function AlignButtons({ placementId }: { placementId: string; selection: string | null }) {
  const t = useStudioT();
  const studio = useStudio();
  const room = useExhibition((d) => d.placements[placementId]?.room);
  const others = useExhibition((d) => Object.keys(d.placements).filter((id) => id !== placementId && d.placements[id]!.room === room && d.placements[id]!.mount !== "wall").join(","));
  if (!studio || !others) return null;
  const ids = [placementId, ...others.split(",")];
  return (
    <>
      <button name="align-x" onClick={() => attempt(() => studio.editor.align(ids, "x"))}>
        {t("alignX")}
      </button>
      <button name="align-z" onClick={() => attempt(() => studio.editor.align(ids, "z"))}>
        {t("alignZ")}
      </button>
    </>
  );
}

const LICENCE_KINDS = [
  ["metadata", "licenceRecord"],
  ["thumbnail", "licenceImage"],
  ["object", "licenceModel"],
] as const;

/**
 * An item's rights: the three licences a museum grants separately (record, image, 3D object),
 * rights holder, terms and source. A licence that forbids public display shows here and blocks
 * publishing (see the publish dialog).
 */
function RightsSection({ itemId, disabled }: { itemId: string; disabled: boolean }) {
  const t = useStudioT();
  const { editor } = useStudio()!;
  const item = useExhibition((d) => d.items[itemId]);
  if (!item) return null;
  const custom = Object.values(item.licences).includes("custom");
  return (
    <section aria-label={t("rights")} className="rights-editor">
      <h3>{t("rights")}</h3>
      {LICENCE_KINDS.map(([kind, label]) => (
        <label key={kind}>
          {t(label)}
          <select
            name={`licence-${kind}`}
            value={item.licences[kind]}
            disabled={disabled}
            onChange={(e) => {
              const licences = { ...item.licences, [kind]: e.target.value as LicenceId };
              const needsNote = Object.values(licences).includes("custom") && !item.rightsNote;
              attempt(() => editor.setRights(itemId, { licences, ...(needsNote ? { rightsNote: t("customTermsPlaceholder") } : {}) }));
            }}
          >
            <LicenceOptions />
          </select>
        </label>
      ))}
      {publicDisplayRefusal(item.licences) && <p className="lock-note">{t("notPublic")}: {publicDisplayRefusal(item.licences)}</p>}
      <label>
        {t("rightsHolder")}
        <input name="rights-holder" value={item.rightsHolder ?? ""} disabled={disabled} onChange={(e) => attempt(() => editor.setRights(itemId, { rightsHolder: e.target.value || undefined }))} />
      </label>
      {(custom || item.rightsNote) && (
        <label>
          {t("rightsNote")}
          <textarea name="rights-note" rows={2} value={item.rightsNote ?? ""} disabled={disabled} onChange={(e) => attempt(() => editor.setRights(itemId, { rightsNote: e.target.value || undefined }))} />
        </label>
      )}
    </section>
  );
}
