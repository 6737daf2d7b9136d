import type { LangMap } from "../shared/exhibition";
import { pickText } from "../shared/exhibition";
import type { Refusal } from "../shared/exhibition/permissions";
import { translate, type StringKey } from "./strings";

/**
 * A permission refusal (`src/shared/exhibition/permissions.ts`) in the interface language: the
 * rules give codes, the interface words them, in zh-Hant and English like every other text.
 * `museums` names the show's museums, so a refusal says "Palace Museum", not "palace".
 */
export function refusalMessage(language: string, refusal: Refusal, museums: Record<string, LangMap> = {}): string {
  const museum = "museum" in refusal ? (museums[refusal.museum] ? pickText(museums[refusal.museum], language) : refusal.museum) : "";
  const role = "role" in refusal ? translate(language, `role_${refusal.role}` as StringKey) : "";
  return translate(language, `refusal_${refusal.code}` as StringKey, { museum, role });
}
