import { useLocalStore } from "../state/local-store";

/** Interface texts. Exhibition texts come from the document; these are Atrium's own words. */
const STRINGS = {
  en: {
    appTagline: "Walk museum exhibitions in 3D, on a computer, a phone or in VR.",
    exhibitions: "Exhibitions",
    open: "Enter",
    rooms: "Rooms",
    artefacts: "artefacts",
    roomsCount: "rooms",
    loading: "Loading",
    loadingRoom: "Loading room",
    brokenExhibitions: "Exhibitions that could not be loaded",
    cannotOpen: "This exhibition could not be opened",
    notFound: "No such exhibition",
    backToList: "All exhibitions",
    startTour: "Guided tour",
    endTour: "End tour",
    next: "Next",
    previous: "Previous",
    step: "Step",
    close: "Close",
    inspectHint: "Drag to turn · scroll or pinch to zoom · Esc to close",
    walkHintDesktop: "W A S D or arrow keys to walk · drag to look · click an object to inspect it · click the floor to walk there",
    walkHintTouch: "Drag to look · pinch to move · tap the floor to walk · tap an object to inspect",
    clickToInspect: "Click to inspect",
    maker: "Maker",
    date: "Date",
    material: "Material",
    culture: "Culture",
    dimensions: "Dimensions",
    credit: "Credit line",
    licence: "Licence",
    licenceObject: "3D model",
    licenceMetadata: "Record",
    source: "Catalogue record",
    annotations: "Notes on the object",
    modelFailed: "A model could not be loaded",
    language: "Language",
    to: "To",
    statusOnline: "Live",
    statusConnecting: "Connecting…",
    statusReconnecting: "Reconnecting…",
    statusOffline: "Offline",
  },
  "zh-Hant": {
    appTagline: "在電腦、手機或 VR 頭盔上，走進 3D 博物館展覽。",
    exhibitions: "展覽",
    open: "進入",
    rooms: "展廳",
    artefacts: "件展品",
    roomsCount: "個展廳",
    loading: "載入中",
    loadingRoom: "正在載入展廳",
    brokenExhibitions: "無法載入的展覽",
    cannotOpen: "無法開啟此展覽",
    notFound: "找不到此展覽",
    backToList: "所有展覽",
    startTour: "導覽",
    endTour: "結束導覽",
    next: "下一步",
    previous: "上一步",
    step: "第",
    close: "關閉",
    inspectHint: "拖曳旋轉．滾輪或雙指縮放．Esc 關閉",
    walkHintDesktop: "W A S D 或方向鍵行走．拖曳環顧．點選展品細看．點選地面前往",
    walkHintTouch: "拖曳環顧．雙指移動．點地面前往．點展品細看",
    clickToInspect: "點選細看",
    maker: "作者",
    date: "年代",
    material: "材質",
    culture: "文化",
    dimensions: "尺寸",
    credit: "來源",
    licence: "授權",
    licenceObject: "3D 模型",
    licenceMetadata: "館藏紀錄",
    source: "館藏紀錄",
    annotations: "展品註記",
    modelFailed: "有模型無法載入",
    language: "語言",
    to: "前往",
    statusOnline: "即時",
    statusConnecting: "連線中…",
    statusReconnecting: "重新連線中…",
    statusOffline: "離線",
  },
  ja: {
    appTagline: "パソコン、スマートフォン、VR で 3D の展覧会を歩く。",
    exhibitions: "展覧会",
    open: "入る",
    rooms: "展示室",
    artefacts: "点",
    roomsCount: "室",
    loading: "読み込み中",
    loadingRoom: "展示室を読み込み中",
    brokenExhibitions: "読み込めなかった展覧会",
    cannotOpen: "この展覧会を開けませんでした",
    notFound: "展覧会が見つかりません",
    backToList: "展覧会一覧",
    startTour: "ガイドツアー",
    endTour: "ツアー終了",
    next: "次へ",
    previous: "前へ",
    step: "ステップ",
    close: "閉じる",
    inspectHint: "ドラッグで回転・スクロールで拡大・Esc で閉じる",
    walkHintDesktop: "WASD・矢印キーで移動・ドラッグで見回す・作品をクリックで詳しく見る",
    walkHintTouch: "ドラッグで見回す・ピンチで移動・床をタップで移動",
    clickToInspect: "クリックで詳しく見る",
    maker: "作者",
    date: "年代",
    material: "材質",
    culture: "文化",
    dimensions: "寸法",
    credit: "クレジット",
    licence: "ライセンス",
    licenceObject: "3D モデル",
    licenceMetadata: "作品データ",
    source: "所蔵品データ",
    annotations: "作品の注記",
    modelFailed: "モデルを読み込めませんでした",
    language: "言語",
    to: "へ",
    statusOnline: "ライブ",
    statusConnecting: "接続中…",
    statusReconnecting: "再接続中…",
    statusOffline: "オフライン",
  },
} as const;

export type StringKey = keyof (typeof STRINGS)["en"];
/** UI languages with a full set of strings. */
export const UI_LANGUAGES = Object.keys(STRINGS) as (keyof typeof STRINGS)[];

/** Native names for the language switch. */
export const LANGUAGE_NAMES: Record<string, string> = {
  "zh-Hant": "繁體中文",
  "zh-Hans": "简体中文",
  en: "English",
  ja: "日本語",
  ko: "한국어",
  fr: "Français",
  es: "Español",
};

/** The UI string for `key` in `language`, falling back to English. */
export function translate(language: string, key: StringKey): string {
  const table = (STRINGS as Record<string, Record<StringKey, string>>)[language] ?? STRINGS.en;
  return table[key] ?? STRINGS.en[key];
}

/** Hook: a translator bound to the current language. */
export function useT(): (key: StringKey) => string {
  const language = useLocalStore((s) => s.language);
  return (key) => translate(language, key);
}

/**
 * The language to show: the remembered choice if the exhibition has it, else the first of the
 * browser's languages the exhibition has, else the exhibition's first language.
 */
export function chooseLanguage(available: readonly string[], remembered: string, browser: readonly string[]): string {
  if (remembered && available.includes(remembered)) return remembered;
  for (const tag of browser) {
    if (available.includes(tag)) return tag;
    // zh-TW / zh-HK readers get traditional characters; zh-CN readers are not forced into them.
    if (/^zh-(TW|HK|MO)$/i.test(tag) && available.includes("zh-Hant")) return "zh-Hant";
    const base = tag.split("-")[0]!;
    if (base !== "zh" && available.includes(base)) return base;
  }
  return available[0] ?? "en";
}
