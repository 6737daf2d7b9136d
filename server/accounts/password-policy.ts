import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

let checker: ZxcvbnFactory | null = null;

/**
 * Why a new password is refused, or null (NIST SP 800-63B: length and a check against what
 * attackers try first, no composition rules). zxcvbn-ts estimates how many guesses it takes,
 * with its lists of common passwords, words and names, keyboard walks, repeats and sequences, and
 * the account's own e-mail and name; below "safely unguessable" (score 3) it is refused with the
 * estimator's own hint. Costs about a millisecond; only sign-up and password changes call it.
 */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 4) return "repeats too few different characters: use a few words or a longer phrase";
  checker ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations, useLevenshteinDistance: false });
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[@.\s_-]+/)]).filter((s) => s.length >= 3);
  const result = checker.check(password.slice(0, 100), inputs);
  if (result.score >= 3) return null;
  const hint = result.feedback.warning || result.feedback.suggestions[0] || "";
  return `is too easy to guess${hint ? `: ${hint.replace(/\.$/, "")}` : ""}`;
}
