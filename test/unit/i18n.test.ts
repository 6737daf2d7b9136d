import { describe, expect, it } from "vitest";
import { pickText } from "../../src/shared/exhibition";
import { chooseLanguage, contentFallbacks, STRINGS, translate } from "../../src/i18n/strings";
import { wrap } from "../../src/viewer/label-texture";

describe("interface strings", () => {
  it("are complete in every interface language: none falls back to English (日本語 said \"Sign in\")", () => {
    const en = Object.keys(STRINGS.en);
    for (const [lang, table] of Object.entries(STRINGS)) expect({ lang, missing: en.filter((k) => !(k in table)) }).toEqual({ lang, missing: [] });
  });
});

describe("show texts in a language the show lacks", () => {
  it("fall back the same way for every show: the visitor's browser languages, then English, then the show's order", () => {
    // Two shows listing their languages in opposite orders: a Japanese reader sees both in English.
    expect(contentFallbacks(["zh-Hant", "en"], ["ja"])[0]).toBe("en");
    expect(contentFallbacks(["en", "zh-Hant"], ["ja"])[0]).toBe("en");
    // A Japanese reader who also reads Traditional Chinese (browser: ja, zh-TW) sees both in Chinese.
    expect(contentFallbacks(["en", "zh-Hant"], ["ja", "zh-TW"])).toEqual(["zh-Hant", "en"]);
    // A show without English falls back in its own order.
    expect(contentFallbacks(["zh-Hant", "ko"], ["ja"])).toEqual(["zh-Hant", "ko"]);
    const bowl = { "zh-Hant": "茶碗", en: "Tea bowl" };
    expect(pickText(bowl, "ja", contentFallbacks(["zh-Hant", "en"], ["ja"]))).toBe("Tea bowl");
  });
});

describe("language choice", () => {
  it("prefers the remembered choice, then the browser's languages, then the show's first", () => {
    expect(chooseLanguage(["zh-Hant", "en"], "en", ["zh-TW"])).toBe("en");
    expect(chooseLanguage(["zh-Hant", "en"], "", ["zh-TW", "en"])).toBe("zh-Hant");
    expect(chooseLanguage(["zh-Hant", "en"], "", ["en-GB"])).toBe("en");
    expect(chooseLanguage(["zh-Hant", "en"], "", ["zh-CN"])).toBe("zh-Hant");
    expect(chooseLanguage(["en", "zh-Hant"], "fr", ["de"])).toBe("en");
  });

  it("picks a text by tag, base tag, fallbacks, then anything", () => {
    const m = { "zh-Hant": "茶碗", en: "Tea bowl" };
    expect(pickText(m, "zh-Hant-TW")).toBe("茶碗");
    expect(pickText(m, "ja", ["en"])).toBe("Tea bowl");
    expect(pickText({ ja: "", fr: "Bol" }, "ja")).toBe("Bol");
    expect(pickText(undefined, "en")).toBe("");
  });

  it("falls back to English for missing UI strings", () => {
    expect(translate("ko", "next")).toBe("Next");
    expect(translate("zh-Hant", "next")).toBe("下一步");
  });
});

describe("label wrapping", () => {
  const ctx = { measureText: (s: string) => ({ width: [...s].length * 10 }) as TextMetrics };
  it("breaks Latin text at spaces", () => {
    expect(wrap(ctx, "Tea bowl with hare's fur glaze", 100)).toEqual(["Tea bowl", "with", "hare's fur", "glaze"]);
  });
  it("breaks Chinese text between characters", () => {
    expect(wrap(ctx, "宋代文人以茶筅擊拂茶湯", 50)).toEqual(["宋代文人以", "茶筅擊拂茶", "湯"]);
  });
});

describe("studio strings", () => {
  it("has every studio string in Traditional Chinese, distinct from the English where words differ", async () => {
    const { STUDIO_KEYS, studioText } = await import("../../src/studio/studio-strings");
    for (const key of STUDIO_KEYS) {
      expect(studioText("zh-Hant", key), key).toBeTruthy();
      expect(studioText("zh-Hant", key), key).not.toBe(studioText("en", key));
    }
    expect(studioText("fr", "undo")).toBe("Undo"); // unknown languages fall back to English
  });
  it("has every studio string in every interface language (Japanese too), none left empty", async () => {
    const { STUDIO_STRINGS } = await import("../../src/studio/studio-strings");
    const en = Object.keys(STUDIO_STRINGS.en);
    expect(Object.keys(STUDIO_STRINGS).sort()).toEqual(Object.keys(STRINGS).sort());
    for (const [lang, table] of Object.entries(STUDIO_STRINGS) as [string, Record<string, string>][])
      expect({ lang, missing: en.filter((k) => !table[k]?.trim()) }).toEqual({ lang, missing: [] });
  });
});

describe("licences in the reader's language", () => {
  it("names a Creative Commons licence the same everywhere, and puts the ones that are words into words", async () => {
    const { licenceLabel, creditParts, LICENCE_IDS } = await import("../../src/shared/exhibition");
    expect(licenceLabel("CC-BY-4.0", "zh-Hant")).toBe("CC BY 4.0");
    expect(licenceLabel("All-Rights-Reserved", "en")).toBe("All rights reserved");
    expect(licenceLabel("All-Rights-Reserved", "zh-Hant")).toBe("保留所有權利");
    expect(licenceLabel("custom", "ja")).toBe("個別の利用条件");
    // No interface language shows an English phrase for a licence that is a phrase.
    for (const lang of ["zh-Hant", "ja"]) for (const id of ["All-Rights-Reserved", "custom", "PDM-1.0"] as const) expect(licenceLabel(id, lang), `${id} in ${lang}`).not.toMatch(/[A-Za-z]{3,}/);
    for (const id of LICENCE_IDS) expect(licenceLabel(id, "xx").length).toBeGreaterThan(0);
    // The credit line: full-width colon and brackets in Chinese.
    const item = { institution: "atrium", creditLine: { en: "" }, licences: { object: "custom", metadata: "CC0-1.0", thumbnail: "CC0-1.0" } } as unknown as Parameters<typeof creditParts>[0];
    expect(creditParts(item, undefined, "zh-Hant").licence).toBe("授權：自訂條款（詳見條款）");
    expect(creditParts(item, undefined, "en").licence).toBe("Licence: Custom terms (see the terms)");
  });
});
