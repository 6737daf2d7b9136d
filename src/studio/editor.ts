import { addComment, commentById, commentsOn, deleteComment, editComment, mentionsIn, setThreadResolved, UndoHistory, type Comment, type ExhibitionStore, type Mentionable } from "../collab";
import {
  addAnnotation,
  addDoorway,
  addLanguage,
  addPlacement,
  addRoom,
  addTourStep,
  movePlacement,
  moveTourStep,
  OperationError,
  parseCaptions,
  removeAnnotation,
  removeDoorway,
  removeItem,
  removePlacement,
  removeRoom,
  removeLessonPlan,
  removeTourStep,
  roomsInOrder,
  setLessonPlan,
  setLesson,
  setText,
  setThemes,
  updateItem,
  updatePlacement,
  updateRoom,
  updateTourStep,
  type CameraPose,
  type CatalogueEntry,
  type Exhibition,
  type ItemPatch,
  type Placement,
  type PlacementTransform,
  type Plinth,
  type Room,
  type RoomPatch,
  type TextTarget,
  type Vec3,
  type WallSide,
  type LangMap,
  type LessonPlan,
} from "../shared/exhibition";
import { footprintRadius, freeFloorPoint, keepInside, plinthFor, snap } from "../shared/exhibition/layout";
import { placeItem } from "../shared/exhibition/placing";
import { centreOf, clampOffset, clampScale, distribute, normaliseAngle, round3, scaleLimits, slideOnWall, turnAbout } from "../shared/exhibition/arranging";
import { canEdit, itemRefusal as itemRule, refusalText, rightsRefusal, type Refusal as RuleRefusal, type Role } from "../shared/exhibition/permissions";

/** The person using the editor. */
export interface EditorUser {
  id: string;
  name: string;
  /** Collections this user acts for: museums they are a curator or admin of, and their own collection. */
  museums: string[];
  /** Role on this exhibition. */
  role: Role;
}

/**
 * A command the permission rules refuse: the rule's code (worded by the interface in its
 * language) and the show's museum names; the message is the English wording, for logs and tests.
 */
export class RefusedError extends OperationError {
  constructor(
    readonly refusal: RuleRefusal,
    readonly museums: Record<string, LangMap>,
  ) {
    super(refusalText(refusal).replace(/^./, (c) => c.toUpperCase()));
  }
}

/** A short random record id with a readable prefix. */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(36).padStart(2, "0")).join("").slice(0, 9)}`;
}

/**
 * The studio's commands, framework-free: every tool in the UI calls one of these, and tests drive
 * the same API headlessly. Each command is one document operation (or a few, in one
 * transaction) applied with this user's origin, so each is one step of this user's own undo
 * history. Commands that the user's role or a museum's lock forbids are refused with an
 * `OperationError` saying why; the sync server enforces the same rules.
 */
export class StudioEditor {
  readonly history: UndoHistory;
  /** The origin of this editor's transactions: only these are undone by `undo()`. */
  readonly origin: object;

  constructor(
    readonly store: ExhibitionStore,
    readonly user: EditorUser,
    options: { captureTimeout?: number } = {},
  ) {
    this.origin = { editor: user.id };
    this.history = new UndoHistory(store, this.origin, options.captureTimeout ?? 600);
  }

  get doc(): Exhibition {
    return this.store.getSnapshot();
  }

  /** Applies one command as its own undo step. */
  private run(op: (doc: Exhibition) => Exhibition, merge = false): Exhibition {
    if (!this.canEdit()) throw new OperationError(`a ${this.user.role} cannot change this exhibition`);
    if (!merge) this.history.stopCapturing();
    const out = this.store.apply(op, this.origin);
    if (!merge) this.history.stopCapturing();
    return out;
  }

  // --- permissions -------------------------------------------------------------------------

  /** May this user change the document at all? */
  canEdit(): boolean {
    return canEdit(this.user.role);
  }

  /**
   * Why this user may not change an item's record (labels, removal), or null: the rule the
   * server enforces, as a code the interface words (`src/i18n/refusals.ts`).
   */
  itemRefusal(itemId: string): RuleRefusal | null {
    return itemRule(itemId, this.doc.items[itemId], this.actor());
  }

  /** Why this user may not change an item's credit line, licences or lock, or null: they belong to its institution. */
  rightsRefusal(itemId: string): RuleRefusal | null {
    const it = this.doc.items[itemId];
    return this.itemRefusal(itemId) ?? (it ? rightsRefusal(itemId, it, this.actor()) : null);
  }

  /** The user as the permission rules see them. */
  private actor() {
    return { role: this.user.role, user: this.user.id, museums: this.user.museums };
  }

  /** Throws the refusal (with the show's museum names, for the interface to word it), if any. */
  private enforce(refusal: RuleRefusal | null): void {
    if (refusal) throw new RefusedError(refusal, Object.fromEntries(this.doc.meta.museums.map((m) => [m.id, m.name])));
  }

  private requireItem(itemId: string): void {
    if (this.canEdit() && !this.doc.items[itemId]) throw new OperationError(`item "${itemId}" does not exist`);
    this.enforce(this.itemRefusal(itemId));
  }

  // --- placing -------------------------------------------------------------------------------

  /**
   * Places a catalogue entry in a room. The item record is copied into the show (once; later
   * placements reuse it) and its museum listed. Images hang on the wall nearest `at`; objects stand
   * on a plinth sized for them where {@link freeFloorPoint} finds room: dropped at `at` (`"drop"`),
   * or with the Place button on the next free template spot or the free floor nearest `at`
   * (`"next"`). Never inside another object. Returns the new placement's id.
   */
  place(entry: CatalogueEntry, roomId: string, at: [number, number] = [0, 0], how: "drop" | "next" = "drop"): string {
    if (!entry.placeable) throw new OperationError(entry.note ?? `"${entry.id}" has nothing to show yet`);
    const pid = newId("p");
    this.run((doc) => placeItem(doc, { id: entry.id, item: entry.item, museums: [entry.museum] }, roomId, pid, at, how));
    return pid;
  }

  /**
   * Moves, turns (about any axis: a floor object's x and z turns tilt the object on its plinth, see
   * `Artefact`) or scales a placement. Floor and plinth mounts stay on the floor; the scale is kept
   * within {@link scaleLimits} (a tenth to ten times real size, never through the ceiling).
   */
  move(pid: string, change: PlacementTransform & { room?: string }): void {
    const p = this.doc.placements[pid];
    if (!p) throw new OperationError(`placement "${pid}" does not exist`);
    const next = { ...change };
    if (next.position && p.mount !== "wall") next.position = [next.position[0], 0, next.position[2]];
    if (next.scale !== undefined) next.scale = clampScale(next.scale, this.scaleLimits(pid));
    this.run((doc) => movePlacement(doc, pid, next));
  }

  /** The scales `pid` may take (see {@link scaleLimits}). */
  scaleLimits(pid: string): { min: number; max: number } {
    const p = this.doc.placements[pid];
    if (!p) throw new OperationError(`placement "${pid}" does not exist`);
    return scaleLimits(this.doc.items[p.item]?.dimensions, this.doc.rooms[p.room], p);
  }

  /** The placements of a selection, each checked to exist and to be in one room. */
  private selection(pids: readonly string[]): (readonly [string, Placement])[] {
    const out = pids.map((id) => {
      const p = this.doc.placements[id];
      if (!p) throw new OperationError(`placement "${id}" does not exist`);
      return [id, p] as const;
    });
    const room = out[0]?.[1].room;
    const stray = out.find(([, p]) => p.room !== room);
    if (stray) throw new OperationError(`placement "${stray[0]}" is in another room`);
    return out;
  }

  /**
   * Moves several placements by the same floor offset ([dx, dz], metres) as one undo step. Floor
   * objects stay inside the walls (the whole group stops at the wall, keeping its shape); wall
   * images slide along their wall.
   */
  moveMany(pids: readonly string[], offset: readonly [number, number]): void {
    const sel = this.selection(pids);
    if (sel.length === 0) return;
    const room = this.doc.rooms[sel[0]![1].room]!;
    // The largest part of the offset that keeps every floor object inside (the group keeps its shape).
    let [dx, dz] = offset;
    for (const [, p] of sel) {
      if (p.mount === "wall") continue;
      dx = clampOffset(p.position[0], dx, room.size.w / 2);
      dz = clampOffset(p.position[2], dz, room.size.d / 2);
    }
    this.run((doc) => {
      let next = doc;
      for (const [id, p] of sel) {
        const position: Vec3 = p.mount === "wall" ? slideOnWall(p, dx, dz, room) : [round3(p.position[0] + dx), 0, round3(p.position[2] + dz)];
        next = movePlacement(next, id, { position });
      }
      return next;
    });
  }

  /**
   * Turns several floor objects together by `angle` radians about the vertical axis through
   * `pivot` ([x, z]; by default their centre), as one undo step: each turns by the angle and the
   * group turns round the pivot. Wall images are left on their walls.
   */
  turnMany(pids: readonly string[], angle: number, pivot?: readonly [number, number]): void {
    const sel = this.selection(pids).filter(([, p]) => p.mount !== "wall");
    if (sel.length === 0) return;
    const about = pivot ?? centreOf(sel.map(([, p]) => p));
    const room = this.doc.rooms[sel[0]![1].room]!;
    this.run((doc) => {
      let next = doc;
      for (const [id, p] of sel) {
        const [x, z] = turnAbout([p.position[0], p.position[2]], about, angle);
        const position: Vec3 = [keepInside(x, room.size.w / 2), 0, keepInside(z, room.size.d / 2)];
        next = movePlacement(next, id, { position, rotation: [p.rotation[0], normaliseAngle(p.rotation[1] + angle), p.rotation[2]] });
      }
      return next;
    });
  }

  /** Spreads three or more placements evenly along x or z between the outermost two, as one undo step. */
  distribute(pids: readonly string[], axis: "x" | "z"): void {
    const sel = this.selection(pids);
    if (sel.length < 3) throw new OperationError("select at least three objects to distribute");
    const positions = distribute(sel, axis);
    this.run((doc) => {
      let next = doc;
      for (const [id, position] of positions) next = movePlacement(next, id, { position });
      return next;
    });
  }

  /**
   * Takes several placements out as one undo step (each as {@link remove} would: the item goes
   * too when nothing else places it and no other museum locked it).
   */
  removeMany(pids: readonly string[]): void {
    const sel = this.selection(pids);
    const going = new Set(pids);
    this.run((doc) => {
      let next = doc;
      for (const [id, p] of sel) {
        if (!next.placements[id]) continue;
        const lastOne = !Object.entries(next.placements).some(([other, o]) => other !== id && !going.has(other) && o.item === p.item);
        if (lastOne && this.itemRefusal(p.item) === null && next.items[p.item]) next = removeItem(next, p.item);
        else next = removePlacement(next, id);
      }
      return next;
    });
  }

  /** Stands the object on the floor (no plinth), or back on a plinth sized for it. */
  setMount(pid: string, mount: "floor" | "plinth"): void {
    const p = this.doc.placements[pid];
    if (!p) throw new OperationError(`placement "${pid}" does not exist`);
    if (p.mount === "wall") throw new OperationError("a wall-hung image stays on its wall");
    const dims = this.doc.items[p.item]?.dimensions;
    this.run((doc) =>
      updatePlacement(movePlacement(doc, pid, { position: [p.position[0], 0, p.position[2]] }), pid, mount === "floor" ? { mount, plinth: undefined } : { mount, plinth: p.plinth ?? plinthFor(dims) }),
    );
  }

  /** Changes the plinth (height, size, colour, vitrine). */
  setPlinth(pid: string, change: Partial<Plinth>): void {
    const p = this.doc.placements[pid];
    if (!p?.plinth) throw new OperationError(`placement "${pid}" has no plinth`);
    this.run((doc) => updatePlacement(doc, pid, { plinth: { ...p.plinth!, ...change } }));
  }

  /** Snaps a placement to the 25 cm grid and its turn to the nearest quarter. */
  snapToGrid(pid: string): void {
    const p = this.doc.placements[pid];
    if (!p) throw new OperationError(`placement "${pid}" does not exist`);
    const quarter = Math.PI / 2;
    const yaw = Math.round(p.rotation[1] / quarter) * quarter;
    const position: Vec3 = p.mount === "wall" ? p.position : [snap(p.position[0]), 0, snap(p.position[2])];
    this.run((doc) => movePlacement(doc, pid, { position, rotation: [0, yaw, 0] }));
  }

  /**
   * Lines placements up with the first one: `x` gives them its x (a column), `z` its z (a row),
   * `turn` its rotation.
   */
  align(pids: readonly string[], how: "x" | "z" | "turn"): void {
    if (!this.doc.placements[pids[0] ?? ""]) throw new OperationError("select the placement to align to first");
    const [first, ...rest] = this.selection(pids);
    const ref = first![1];
    this.run((doc) => {
      let next = doc;
      for (const [id, p] of rest) {
        const position: Vec3 = how === "x" ? [ref.position[0], p.position[1], p.position[2]] : how === "z" ? [p.position[0], p.position[1], ref.position[2]] : p.position;
        next = movePlacement(next, id, how === "turn" ? { rotation: ref.rotation } : { position });
      }
      return next;
    });
  }

  /** Places the same item again beside this placement; returns the new placement's id. */
  duplicate(pid: string): string {
    const p = this.doc.placements[pid];
    if (!p) throw new OperationError(`placement "${pid}" does not exist`);
    const room = this.doc.rooms[p.room]!;
    const copy = newId("p");
    if (p.mount === "wall") {
      const x = keepInside(p.position[0] + 0.9, room.size.w / 2);
      this.run((doc) => addPlacement(doc, copy, { ...p, position: [x, p.position[1], p.position[2]] }));
      return copy;
    }
    // Beside it, just clear of it; where that is taken, the free floor nearest there.
    const r = footprintRadius(p);
    const inRoom = Object.values(this.doc.placements).filter((o) => o.room === p.room);
    const spot = freeFloorPoint(room, inRoom, r, [p.position[0] + 2 * r + 0.3, p.position[2]], "drop");
    if (!spot) throw new OperationError("this room has no free floor left for a copy");
    this.run((doc) => addPlacement(doc, copy, { ...p, position: [spot[0], p.position[1], spot[1]] }));
    return copy;
  }

  /**
   * Takes a placement out of the room. The item record goes too when nothing else places it,
   * unless another museum locked it (then only the placement goes).
   */
  remove(pid: string): void {
    const p = this.doc.placements[pid];
    if (!p) throw new OperationError(`placement "${pid}" does not exist`);
    const lastOne = !Object.entries(this.doc.placements).some(([id, o]) => id !== pid && o.item === p.item);
    const mayDropItem = lastOne && this.itemRefusal(p.item) === null;
    this.run((doc) => (mayDropItem ? removeItem(doc, p.item) : removePlacement(doc, pid)));
  }

  // --- rooms -----------------------------------------------------------------------------------

  /** Adds a room after the others, connected by a doorway to `from` when given. Returns its id. */
  addRoom(name: Record<string, string>, from?: { room: string; wall: WallSide }): string {
    const id = newId("room");
    const order = Math.max(0, ...Object.values(this.doc.rooms).map((r) => r.order)) + 1;
    this.run((doc) => {
      const like = from ? doc.rooms[from.room] : roomsInOrder(doc)[0]?.[1];
      let next = addRoom(doc, id, {
        name,
        order,
        size: { w: 8, d: 8, h: like?.size.h ?? 3.6 },
        walls: like?.walls ?? { colour: "#e4ded4", material: "paint" },
        floor: like?.floor ?? { colour: "#7a5a40", material: "wood" },
        lighting: like?.lighting ?? "gallery",
        doors: [],
      });
      if (from) next = addDoorway(next, from.room, id, from.wall);
      return next;
    });
    return id;
  }

  removeRoom(id: string): void {
    this.run((doc) => removeRoom(doc, id));
  }

  /** Resizes a room (metres); objects outside the new walls are pulled in. */
  resizeRoom(id: string, size: Room["size"]): void {
    this.run((doc) => {
      let next = updateRoom(doc, id, { size });
      for (const [pid, p] of Object.entries(next.placements)) {
        if (p.room !== id || p.mount === "wall") continue;
        const x = keepInside(p.position[0], size.w / 2);
        const z = keepInside(p.position[2], size.d / 2);
        if (x !== p.position[0] || z !== p.position[2]) next = movePlacement(next, pid, { position: [x, p.position[1], z] });
      }
      return next;
    });
  }

  /** Wall colour, floor, lighting preset. */
  styleRoom(id: string, patch: Omit<RoomPatch, "size">): void {
    this.run((doc) => updateRoom(doc, id, patch));
  }

  connectRooms(from: string, to: string, wall: WallSide, offset = 0): void {
    this.run((doc) => addDoorway(doc, from, to, wall, offset));
  }

  disconnectRooms(a: string, b: string): void {
    this.run((doc) => removeDoorway(doc, a, b));
  }

  // --- texts -----------------------------------------------------------------------------------

  /**
   * Writes one language of a text. Keystrokes close together form one undo step. Item texts
   * respect museum locks.
   */
  setText(target: TextTarget, lang: string, text: string): void {
    if (target.kind === "item") this.requireItem(target.id);
    this.run((doc) => setText(doc, target, lang, text), true);
  }

  /** Adds a language tab to every text editor of this show. */
  addLanguage(lang: string): void {
    this.run((doc) => addLanguage(doc, lang));
  }

  /** Sets the show's theme tags (folded, each once; see `setThemes`). */
  setThemes(themes: readonly string[]): void {
    this.run((doc) => setThemes(doc, themes));
  }

  /** Marks the show as made for teaching a class, or not. */
  setLesson(lesson: boolean): void {
    this.run((doc) => setLesson(doc, lesson));
  }

  /** Locks (or with null unlocks) an item for the user's museum, which must be its institution. */
  lockItem(itemId: string, locked: boolean): void {
    const it = this.doc.items[itemId];
    if (!it) throw new OperationError(`item "${itemId}" does not exist`);
    this.enforce(this.rightsRefusal(itemId));
    this.run((doc) => updateItem(doc, itemId, { lockedBy: locked ? it.institution : undefined }));
  }

  /**
   * Changes an item's rights: its three licences (record, image, object), rights holder, terms in
   * words (required by the schema when a licence is "custom") and source URL. The same lock rules
   * as any item edit apply, on the server too.
   */
  setRights(itemId: string, patch: Pick<ItemPatch, "licences" | "rightsHolder" | "rightsNote" | "sourceUrl">): void {
    if (!this.doc.items[itemId]) throw new OperationError(`item "${itemId}" does not exist`);
    this.enforce(this.rightsRefusal(itemId));
    this.run((doc) => updateItem(doc, itemId, patch));
  }

  /** Pins a note to a point of an item's model (model space); returns the annotation id. */
  annotate(itemId: string, point: Vec3, text: Record<string, string>, normal?: Vec3): string {
    this.requireItem(itemId);
    const id = newId("a");
    this.run((doc) => addAnnotation(doc, id, { item: itemId, point, text, ...(normal ? { normal } : {}) }));
    return id;
  }

  removeAnnotation(id: string): void {
    const a = this.doc.annotations[id];
    if (a) this.requireItem(a.item);
    this.run((doc) => removeAnnotation(doc, id));
  }

  // --- tour ------------------------------------------------------------------------------------

  /** Adds a tour step that shows what the camera shows now; returns its id. */
  captureTourStep(room: string, camera: CameraPose, text: Record<string, string>, focus?: string): string {
    const id = newId("t");
    this.run((doc) => addTourStep(doc, { id, room, camera, text, ...(focus ? { focus } : {}) }));
    return id;
  }

  /** Replaces a step's camera with the current one. */
  recaptureTourStep(id: string, room: string, camera: CameraPose): void {
    this.run((doc) => updateTourStep(doc, id, { room, camera }));
  }

  /** Sets (or with null clears) the audio guide of one language of a step. */
  setStepAudio(id: string, lang: string, url: string | null): void {
    const step = this.doc.tour.find((s) => s.id === id);
    if (!step) throw new OperationError(`tour step "${id}" does not exist`);
    const audio = { ...step.audio };
    if (url) audio[lang] = url;
    else delete audio[lang];
    this.run((doc) => updateTourStep(doc, id, { audio: Object.keys(audio).length ? audio : undefined }));
  }

  /**
   * Sets (or with null clears) the captions of one language of a step's recording (WebVTT text).
   * Refused with the parser's message, naming the line, when the text is not valid WebVTT.
   */
  setStepCaptions(id: string, lang: string, vtt: string | null): void {
    const step = this.doc.tour.find((s) => s.id === id);
    if (!step) throw new OperationError(`tour step "${id}" does not exist`);
    const captions = { ...step.captions };
    if (vtt?.trim()) {
      const check = parseCaptions(vtt);
      if (!check.ok) throw new OperationError(`captions (${lang}): ${check.message}`);
      captions[lang] = vtt;
    } else delete captions[lang];
    this.run((doc) => updateTourStep(doc, id, { captions: Object.keys(captions).length ? captions : undefined }));
  }

  moveTourStep(id: string, toIndex: number): void {
    this.run((doc) => moveTourStep(doc, id, toIndex));
  }

  removeTourStep(id: string): void {
    this.run((doc) => removeTourStep(doc, id));
  }

  // --- lesson plans ------------------------------------------------------------------------------

  /** Adds a lesson plan titled `title` in `lang`, with one step to start from; returns its id. */
  addLessonPlan(lang: string, title: string, firstStep: string): string {
    const id = newId("plan");
    this.run((doc) => setLessonPlan(doc, id, { title: { [lang]: title }, ages: [10, 14], minutes: 45, steps: [{ title: { [lang]: firstStep }, minutes: 10 }] }));
    return id;
  }

  /**
   * Changes a lesson plan as `change` says, from the plan as the document holds it now (so an edit
   * made after another curator's keeps theirs). Each change is validated whole. Two edits of one
   * plan at the same instant: the last written wins, as for every record (one record per plan).
   */
  updateLessonPlan(id: string, change: (plan: LessonPlan) => LessonPlan): void {
    this.run((doc) => {
      const plan = doc.lessonPlans[id];
      if (!plan) throw new OperationError(`lesson plan "${id}" does not exist`);
      return setLessonPlan(doc, id, change(plan));
    });
  }

  removeLessonPlan(id: string): void {
    this.run((doc) => removeLessonPlan(doc, id));
  }

  // --- comments --------------------------------------------------------------------------------

  /**
   * Adds to an item's comment thread, naming the `people` it mentions with `@name`. Commenters
   * may do this (and nothing else).
   */
  comment(itemId: string, text: string, people: readonly Mentionable[] = []): Comment {
    if (this.user.role === "viewer") throw new OperationError("viewers cannot comment");
    if (!this.doc.items[itemId]) throw new OperationError(`item "${itemId}" does not exist`);
    const mentions = mentionsIn(text, people).filter((id) => id !== this.user.id);
    return addComment(this.store.ydoc, { id: newId("c"), item: itemId, author: this.user.id, authorName: this.user.name, text, at: commentTime(), ...(mentions.length ? { mentions } : {}) }, this.commentOrigin);
  }

  /** Changes one's own comment (the server refuses anyone else's). */
  editComment(id: string, text: string, people: readonly Mentionable[] = []): Comment {
    const c = this.ownComment(id);
    return editComment(this.store.ydoc, c.id, text, mentionsIn(text, people).filter((p) => p !== this.user.id), commentTime(), this.commentOrigin);
  }

  /** Removes one's own comment (the show's owner may remove anyone's). */
  deleteComment(id: string): void {
    const c = commentById(this.store.ydoc, id);
    if (!c) throw new OperationError(`comment "${id}" does not exist`);
    if (c.author !== this.user.id && this.user.role !== "owner") throw new OperationError("a comment can only be removed by its author or the show's owner");
    deleteComment(this.store.ydoc, id, this.commentOrigin);
  }

  /** Resolves (or reopens) an item's thread; anyone who may comment may. */
  resolveThread(itemId: string, resolved: boolean): void {
    if (this.user.role === "viewer") throw new OperationError("viewers cannot comment");
    setThreadResolved(this.store.ydoc, { item: itemId, resolved, by: this.user.id, byName: this.user.name, at: commentTime() }, this.commentOrigin);
  }

  private ownComment(id: string): Comment {
    const c = commentById(this.store.ydoc, id);
    if (!c) throw new OperationError(`comment "${id}" does not exist`);
    if (c.author !== this.user.id) throw new OperationError("a comment can only be edited by its author");
    return c;
  }

  /** Comments are not steps of the document's undo: a comment is withdrawn by deleting it. */
  private readonly commentOrigin = { comments: true };

  comments(itemId: string): Comment[] {
    return commentsOn(this.store.ydoc, itemId);
  }

  // --- history ---------------------------------------------------------------------------------

  /** Undoes this user's last step only. */
  undo(): boolean {
    return this.history.undo();
  }

  redo(): boolean {
    return this.history.redo();
  }

  destroy(): void {
    this.history.destroy();
  }
}

let lastCommentAt = 0;
/**
 * The time a comment is written: never the same millisecond twice on one page, so that a thread
 * (sorted by time) keeps the order its comments were written in here.
 */
function commentTime(): number {
  lastCommentAt = Math.max(Date.now(), lastCommentAt + 1);
  return lastCommentAt;
}
