import type { AccountStore } from "./account-store";

/** Creates the site administrator if there is no account for `email` yet; says what it did. */
export async function ensureAdmin(accounts: AccountStore, email: string, password: string, name = "Administrator"): Promise<string> {
  if (await accounts.userByEmail(email)) return `administrator ${email} already exists`;
  if (password.length < 10) throw new Error("the administrator password must be at least 10 characters");
  await accounts.createUser({ email, name, password, isAdmin: true });
  return `created administrator ${email}`;
}
