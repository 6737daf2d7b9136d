/**
 * Generates the reference show `exhibitions/large-show.json` (issue 24): 40 artefacts in 4 rooms,
 * the size of a real museum show, for the benchmarks (visitor frame cost, draw calls and triangles
 * per view, the headset budget) and the tests. Made from what the repository ships: 30 Carnegie
 * Museum of Art records of Asian ceramics and tea ware (CC0 records; illustrative stand-in models,
 * sized from each record, as the studio's catalogue places them), the tea show's seven vessels
 * and its motion-capture performer, and the two Smithsonian whale scans (CC0). Every item keeps
 * its credit line and licences. Deterministic: running it again writes the same file.
 *
 *   npm run make-large-show
 *
 * It writes no room panoramas: make them again afterwards (`scripts/make-panoramas.ts`).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cmoaEntry, type CmoaRecord } from "../server/catalogue/cmoa";
import { measureStandIns, STAND_INS, type StandIn } from "../server/catalogue/stand-ins";
import { parseExhibition, type Exhibition } from "../src/shared/exhibition";

const ROOT = resolve(import.meta.dirname, "..");
const read = (file: string) => {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions", file), "utf8")), file);
  if (!r.ok) throw r.error;
  return r.doc;
};
const tea = read("tea-and-its-vessels.json");
const bone = read("bone-and-clay.json");
const heights = await measureStandIns(join(ROOT, "models"));
const records = JSON.parse(readFileSync(join(ROOT, "catalogue/cmoa-asian-ceramics-teaware.json"), "utf8")) as CmoaRecord[];
// Placeable records with a height, in the file's order (stable), each shape in turn so the rooms vary.
const entries = records.map((r) => cmoaEntry(r, heights)).filter((e) => e.placeable && e.item.dimensions?.height && e.item.dimensions.height < 60);
const byShape = new Map<string, typeof entries>();
for (const e of entries) {
  const key = e.item.asset.kind === "model" ? (e.item.asset.tiers.high ?? "") : "";
  byShape.set(key, [...(byShape.get(key) ?? []), e]);
}
const picked: typeof entries = [];
for (let i = 0; picked.length < 30; i++) {
  let added = false;
  for (const list of byShape.values()) if (list[i] && picked.length < 30) (picked.push(list[i]!), (added = true));
  if (!added) throw new Error(`only ${picked.length} placeable CMOA records with a height`);
}

// Grouped by shape, so each room holds one family of vessels; rooms are named after what they hold.
const ORDER: StandIn[] = ["tea-bowl", "bowl", "cup", "jar", "teapot", "caddy", "whisk"];
const NAMES: Record<StandIn, [string, string]> = { "tea-bowl": ["tea bowls", "茶碗"], bowl: ["bowls", "碗"], cup: ["cups", "杯"], jar: ["jars", "罐"], teapot: ["teapots", "茶壺"], caddy: ["caddies", "茶罐"], whisk: ["whisks", "茶筅"] };
const shapeOf = (e: (typeof picked)[number]): StandIn => {
  const url = e.item.asset.kind === "model" ? e.item.asset.tiers.high : "";
  return (Object.entries(STAND_INS).find(([, u]) => u === url)?.[0] ?? "jar") as StandIn;
};
picked.sort((a, b) => ORDER.indexOf(shapeOf(a)) - ORDER.indexOf(shapeOf(b)));
const roomName = (n: number, from: number): { en: string; "zh-Hant": string } => {
  const shapes = [...new Set(picked.slice(from, from + 10).map(shapeOf))];
  const list = (k: 0 | 1, sep: string, last: string) => shapes.map((s) => NAMES[s][k]).reduce((a, w, i, all) => (i === 0 ? w : a + (i === all.length - 1 ? last : sep) + w), "");
  const en = list(0, ", ", " and ");
  return { en: `Room ${n}: ${en[0]!.toUpperCase()}${en.slice(1)}`, "zh-Hant": `第${["一", "二", "三"][n - 1]}展廳：${list(1, "、", "與")}` };
};

const ROOMS = [
  { id: "bowls", name: roomName(1, 0), walls: "#d9d0c1", wallMaterial: "plaster", floor: "#6e4f36", floorMaterial: "wood", lighting: "warm" },
  { id: "jars", name: roomName(2, 10), walls: "#c9d3d6", wallMaterial: "paint", floor: "#8a8378", floorMaterial: "stone", lighting: "gallery" },
  { id: "tea", name: roomName(3, 20), walls: "#3f4a45", wallMaterial: "paint", floor: "#8a8378", floorMaterial: "stone", lighting: "dramatic" },
  { id: "bone", name: { en: "Room 4: Bone, Clay and Gesture", "zh-Hant": "第四展廳：骨、土與手勢" }, walls: "#e4e0d8", wallMaterial: "plaster", floor: "#5b4a3c", floorMaterial: "wood", lighting: "warm" },
] as const;

const items: Exhibition["items"] = {};
const placements: Exhibition["placements"] = {};
// Ten plinths per room: two staggered rows of five, 2.2 m apart, in the far half of the room,
// so a visitor entering sees all ten and walks between them.
const SPOTS: [number, number][] = [-4.4, -2.2, 0, 2.2, 4.4].flatMap((x, i) => [[x, -3.2] as [number, number], [x + (i < 4 ? 1.1 : -1.1), -0.6] as [number, number]]);
const place = (room: string, slot: number, id: string, item: Exhibition["items"][string]) => {
  items[id] = item;
  const [x, z] = SPOTS[slot]!;
  placements[`p-${id}`] = { room, item: id, position: [x, 0, z], rotation: [0, 0, 0], scale: 1, mount: "plinth", plinth: { height: 1.0, width: 0.6, depth: 0.6, colour: "#f1ede6", vitrine: slot % 2 === 0 } };
};
// The records as the catalogue gives them (no curated text added: the catalogue lists the record).
picked.forEach((e, i) => place(ROOMS[Math.floor(i / 10)]!.id, i % 10, e.id, e.item));
// Room 4: the scans, the tea show's own vessels (curated texts) and its performer.
const fourth = [
  ["whale-cranium", bone.items["whale-cranium"]!],
  ["whale-mandible", bone.items["whale-mandible"]!],
  ...(["tenmoku-bowl", "qingbai-cup", "korean-bowl", "teapot", "tea-caddy", "water-jar", "whisk", "cmu-131"] as const).map((k) => [k, tea.items[k]!] as const),
] as const;
fourth.slice(0, 10).forEach(([id, item], i) => place("bone", i, id, item));
if (Object.keys(items).length !== 40) throw new Error(`made ${Object.keys(items).length} artefacts, not 40`);

const rooms: Exhibition["rooms"] = Object.fromEntries(
  ROOMS.map((r, i) => [
    r.id,
    {
      name: r.name,
      order: i,
      size: { w: 12, d: 10, h: 4 },
      walls: { colour: r.walls, material: r.wallMaterial },
      floor: { colour: r.floor, material: r.floorMaterial },
      lighting: r.lighting,
      doors: [...(i > 0 ? [{ wall: "west" as const, offset: 0, width: 1.6, to: ROOMS[i - 1]!.id }] : []), ...(i < ROOMS.length - 1 ? [{ wall: "east" as const, offset: 0, width: 1.6, to: ROOMS[i + 1]!.id }] : [])],
    },
  ]),
) as Exhibition["rooms"];

const show: Exhibition = {
  ...tea,
  id: "large-show",
  meta: {
    ...tea.meta,
    title: { en: "Clay, Bone and Tea: a Reference Show", "zh-Hant": "土、骨與茶：參考大展" },
    intro: {
      en: "Forty objects in four rooms: thirty Carnegie Museum of Art records of Asian ceramics and tea ware (shown with illustrative stand-in models sized from each record), the tea show's vessels and performer, and two Smithsonian whale scans. Atrium's reference for what a real museum show costs a visitor's device.",
      "zh-Hant": "四間展廳、四十件展品：三十筆卡內基藝術博物館的亞洲陶瓷與茶器紀錄（以依紀錄尺寸縮放的示意模型呈現）、「茶與器」的器物與動作捕捉表演，以及兩件史密森尼學會的鯨骨掃描。這是 Atrium 用來衡量一檔真實規模展覽在觀眾裝置上成本的參考展。",
    },
    museums: [...tea.meta.museums, ...bone.meta.museums.filter((m) => !tea.meta.museums.some((t) => t.id === m.id))],
    published: true,
    themes: ["ceramics", "tea", "dance"],
  },
  rooms,
  items,
  placements,
  annotations: Object.fromEntries(Object.entries({ ...tea.annotations, ...bone.annotations }).filter(([, a]) => items[a.item])),
  tour: [
    { id: "t1", room: "bowls", camera: { position: [0, 1.65, 4], target: [0, 1, -1] }, text: { en: `Four rooms, forty objects. ${ROOMS[0].name.en}.`, "zh-Hant": `四間展廳、四十件展品。${ROOMS[0].name["zh-Hant"]}。` } },
    { id: "t2", room: "jars", camera: { position: [0, 1.65, 4], target: [0, 1, -1] }, text: { en: `${ROOMS[1].name.en}.`, "zh-Hant": `${ROOMS[1].name["zh-Hant"]}。` } },
    { id: "t3", room: "tea", camera: { position: [0, 1.65, 4], target: [0, 1, -1] }, text: { en: `${ROOMS[2].name.en}.`, "zh-Hant": `${ROOMS[2].name["zh-Hant"]}。` } },
    { id: "t4", room: "bone", camera: { position: [0, 1.65, 4], target: [0, 1, -1] }, text: { en: "Bone, clay and gesture: scans, vessels and a recorded walk.", "zh-Hant": "骨、土與手勢：掃描、器物與一段錄下的行走。" } },
  ],
};
const checked = parseExhibition(JSON.parse(JSON.stringify(show)), "large-show");
if (!checked.ok) throw checked.error;
writeFileSync(join(ROOT, "exhibitions/large-show.json"), JSON.stringify(checked.doc, null, 2) + "\n");
console.log(`wrote exhibitions/large-show.json: ${Object.keys(items).length} artefacts in ${Object.keys(rooms).length} rooms`);
