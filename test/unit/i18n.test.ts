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
