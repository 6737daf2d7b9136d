import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  addAnnotation,
  addItem,
  addPlacement,
  addRoom,
  addTourStep,
  movePlacement,
  moveTourStep,
  OperationError,
  parseExhibition,
  removeAnnotation,
  removePlacement,
  removeRoom,
  removeTourStep,
  setText,
  type Exhibition,
} from "../../src/shared/exhibition";
import { ROOT } from "../support/server";

let doc: Exhibition;
beforeEach(() => {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
  if (!r.ok) throw r.error;
  doc = r.doc;
});

const valid = (d: Exhibition) => {
  const r = parseExhibition(d, "after");
  return r.ok ? "valid" : r.error.message;
};

describe("placement operations", () => {
  it("adds a placement with defaults and keeps every other record identical", () => {
    const next = addPlacement(doc, "p-new", { room: "bowls", item: "teapot", position: [1, 0, 1], mount: "floor" });
    expect(next.placements["p-new"]).toEqual({ room: "bowls", item: "teapot", position: [1, 0, 1], rotation: [0, 0, 0], scale: 1, mount: "floor" });
    expect(next.placements["p-tenmoku"]).toBe(doc.placements["p-tenmoku"]);
    expect(next.items).toBe(doc.items);
    expect(doc.placements["p-new"]).toBeUndefined();
    expect(valid(next)).toBe("valid");
  });

  it("refuses placements that point nowhere or repeat an id", () => {
    expect(() => addPlacement(doc, "p-x", { room: "attic", item: "teapot", position: [0, 0, 0], mount: "floor" })).toThrow('placements.p-x.room: room "attic" does not exist');
    expect(() => addPlacement(doc, "p-x", { room: "bowls", item: "vase", position: [0, 0, 0], mount: "floor" })).toThrow('placements.p-x.item: item "vase" does not exist');
    expect(() => addPlacement(doc, "p-teapot", { room: "bowls", item: "teapot", position: [0, 0, 0], mount: "floor" })).toThrow('placement "p-teapot" already exists');
    expect(() => addPlacement(doc, "bad id!", { room: "bowls", item: "teapot", position: [0, 0, 0] })).toThrow(OperationError);
    expect(() => addPlacement(doc, "p-y", { room: "bowls", item: "teapot", position: [0, 0, 0], mount: "plinth" })).toThrow("is required when mount is \"plinth\"");
  });

  it("moves, turns and scales a placement, and into another room", () => {
    const next = movePlacement(doc, "p-teapot", { position: [0.5, 0, 0.5], rotation: [0, 1, 0], scale: 2, room: "bowls" });
    expect(next.placements["p-teapot"]).toMatchObject({ position: [0.5, 0, 0.5], rotation: [0, 1, 0], scale: 2, room: "bowls" });
    expect(doc.placements["p-teapot"]!.room).toBe("brewing");
    expect(() => movePlacement(doc, "p-teapot", { position: [Number.NaN, 0, 0] })).toThrow(/placements\.p-teapot\.position/);
    expect(() => movePlacement(doc, "p-teapot", { scale: -1 })).toThrow(/placements\.p-teapot\.scale/);
    expect(() => movePlacement(doc, "p-gone", { scale: 1 })).toThrow('placement "p-gone" does not exist');
  });

  it("removes a placement and drops the tour focus on it", () => {
    const next = removePlacement(doc, "p-teapot");
    expect(next.placements["p-teapot"]).toBeUndefined();
    const step = next.tour.find((s) => s.id === "t4")!;
    expect(step.focus).toBeUndefined();
    expect(step.camera).toEqual(doc.tour.find((s) => s.id === "t4")!.camera);
    expect(next.tour[0]).toBe(doc.tour[0]);
    expect(valid(next)).toBe("valid");
  });
});

describe("rooms, items and annotations", () => {
  it("removes a room with its placements, the doors leading to it and its tour steps", () => {
    const next = removeRoom(doc, "brewing");
    expect(Object.keys(next.rooms)).toEqual(["bowls"]);
    expect(next.rooms["bowls"]!.doors).toEqual([]);
    expect(Object.values(next.placements).every((p) => p.room === "bowls")).toBe(true);
    expect(next.tour.map((s) => s.id)).toEqual(["t1", "t2", "t3"]);
    // The lesson plan steps that showed its tour stops keep their text and show none.
    expect(next.lessonPlans.vessels!.steps.map((s) => s.tourStep)).toEqual(["t1", "t2", "t3", undefined, undefined]);
    expect(valid(next)).toBe("valid");
    expect(() => removeRoom(next, "bowls")).toThrow("last room");
  });

  it("adds a room whose doors lead to existing rooms only", () => {
    const room = { name: { en: "Garden" }, size: { w: 5, d: 5, h: 3 }, walls: { colour: "#ffffff" }, floor: { colour: "#336633", material: "stone" as const } };
    const next = addRoom(doc, "garden", { ...room, doors: [{ wall: "north", width: 1.2, to: "bowls" }] });
    expect(next.rooms["garden"]!.lighting).toBe("gallery");
    expect(() => addRoom(doc, "garden", { ...room, doors: [{ wall: "north", width: 1.2, to: "moon" }] })).toThrow('room "moon" does not exist');
    expect(() => addRoom(doc, "g2", { ...room, size: { w: 1, d: 5, h: 3 } })).toThrow(/rooms\.g2\.size\.w/);
  });

  it("adds an item only from a museum of the show", () => {
    const item = { ...doc.items["teapot"]!, institution: "louvre" };
    expect(() => addItem(doc, "vase", item)).toThrow('items.vase.institution: museum "louvre" is not part of this exhibition');
    const next = addItem(doc, "vase", { ...item, institution: "cmoa" });
    expect(next.items["vase"]!.title).toEqual(doc.items["teapot"]!.title);
  });

  it("pins and unpins an annotation", () => {
    const next = addAnnotation(doc, "a-new", { item: "teapot", point: [0, 0.05, 0], text: { en: "Lid", "zh-Hant": "壺蓋" } });
    expect(next.annotations["a-new"]!.point).toEqual([0, 0.05, 0]);
    expect(() => addAnnotation(doc, "a-bad", { item: "ghost", point: [0, 0, 0], text: { en: "x" } })).toThrow('item "ghost" does not exist');
    expect(() => addAnnotation(doc, "a-empty", { item: "teapot", point: [0, 0, 0], text: { en: "" } })).toThrow("needs text in at least one language");
    expect(removeAnnotation(next, "a-new").annotations["a-new"]).toBeUndefined();
  });

  it("writes one language of a text and leaves the others", () => {
    const next = setText(doc, { kind: "item", id: "teapot", field: "title" }, "ja", "急須");
    expect(next.items["teapot"]!.title).toEqual({ ...doc.items["teapot"]!.title, ja: "急須" });
    const named = setText(doc, { kind: "room", id: "bowls" }, "en", "The Bowl Room");
    expect(named.rooms["bowls"]!.name["zh-Hant"]).toBe(doc.rooms["bowls"]!.name["zh-Hant"]);
    expect(setText(doc, { kind: "tour", id: "t2" }, "en", "Look closely.").tour[1]!.text.en).toBe("Look closely.");
    expect(() => setText(doc, { kind: "item", id: "teapot", field: "title" }, "English", "x")).toThrow(/language/);
    expect(() => setText(doc, { kind: "annotation", id: "nope" }, "en", "x")).toThrow('annotation "nope" does not exist');
  });
});

describe("tour operations", () => {
  const step = { id: "t9", room: "bowls", camera: { position: [0, 1.6, 2] as [number, number, number], target: [0, 1, 0] as [number, number, number] }, text: { en: "Here." } };

  it("inserts a step at an index", () => {
    const next = addTourStep(doc, step, 1);
    expect(next.tour.map((s) => s.id)).toEqual(["t1", "t9", "t2", "t3", "t4", "t5"]);
    expect(() => addTourStep(doc, { ...step, id: "t1" })).toThrow('tour step "t1" already exists');
    expect(() => addTourStep(doc, { ...step, room: "attic" })).toThrow('room "attic" does not exist');
    expect(() => addTourStep(doc, step, 99)).toThrow("outside");
  });

  it("reorders steps as a drag would", () => {
    expect(moveTourStep(doc, "t5", 0).tour.map((s) => s.id)).toEqual(["t5", "t1", "t2", "t3", "t4"]);
    expect(moveTourStep(doc, "t1", 4).tour.map((s) => s.id)).toEqual(["t2", "t3", "t4", "t5", "t1"]);
    expect(moveTourStep(doc, "t3", 2)).toBe(doc);
    expect(() => moveTourStep(doc, "t3", 5)).toThrow("outside 0..4");
  });

  it("removes a step", () => {
    expect(removeTourStep(doc, "t3").tour.map((s) => s.id)).toEqual(["t1", "t2", "t4", "t5"]);
    expect(() => removeTourStep(doc, "t3x")).toThrow("does not exist");
  });
});
