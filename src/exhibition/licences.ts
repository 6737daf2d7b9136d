import { z } from "zod";

/**
 * Licences Atrium knows how to display and reason about. Identifiers follow SPDX where SPDX has one.
 * `custom` means the terms are in the item's `rightsNote` (e.g. the CMU mocap database terms).
 */
export const LICENCE_IDS = [
  "CC0-1.0",
  "PDM-1.0",
  "CC-BY-3.0",
  "CC-BY-4.0",
  "CC-BY-SA-4.0",
  "CC-BY-NC-4.0",
  "CC-BY-NC-SA-4.0",
  "CC-BY-ND-4.0",
  "OGDL-Taiwan-1.0",
  "All-Rights-Reserved",
  "custom",
] as const;

export const licenceId = z.enum(LICENCE_IDS);
export type LicenceId = z.infer<typeof licenceId>;

/** Short human labels; the same in every UI language because they are proper names. */
export const LICENCE_LABELS: Record<LicenceId, string> = {
  "CC0-1.0": "CC0 1.0",
  "PDM-1.0": "Public Domain Mark 1.0",
  "CC-BY-3.0": "CC BY 3.0",
  "CC-BY-4.0": "CC BY 4.0",
  "CC-BY-SA-4.0": "CC BY-SA 4.0",
  "CC-BY-NC-4.0": "CC BY-NC 4.0",
  "CC-BY-NC-SA-4.0": "CC BY-NC-SA 4.0",
  "CC-BY-ND-4.0": "CC BY-ND 4.0",
  "OGDL-Taiwan-1.0": "OGDL-Taiwan 1.0",
  "All-Rights-Reserved": "All rights reserved",
  custom: "Custom terms",
};

/** Canonical deed URLs, for links next to credit lines. */
export const LICENCE_URLS: Partial<Record<LicenceId, string>> = {
  "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
  "PDM-1.0": "https://creativecommons.org/publicdomain/mark/1.0/",
  "CC-BY-3.0": "https://creativecommons.org/licenses/by/3.0/",
  "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
  "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
  "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
  "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
  "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
  "OGDL-Taiwan-1.0": "https://data.gov.tw/license",
};
