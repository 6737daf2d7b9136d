/**
 * `npm run admin -- <email> <password> [name]`: creates a site administrator in the data dir's
 * database (ATRIUM_DATABASE_URL in the scaled mode, else the SQLite file in ATRIUM_DATA_DIR,
 * default ./data). Run it once on a new server, or set
 * ATRIUM_ADMIN_EMAIL and ATRIUM_ADMIN_PASSWORD for `npm start` to do it.
 */
import { resolve } from "node:path";
import { AccountStore } from "./accounts/account-store";
import { ensureAdmin } from "./accounts/admin";

const [email, password, name] = process.argv.slice(2);
if (!email || !password) {
  console.error("usage: npm run admin -- <email> <password> [name]");
  process.exit(2);
}
const accounts = new AccountStore(process.env.ATRIUM_DATABASE_URL || resolve(process.env.ATRIUM_DATA_DIR ?? "data", "atrium.sqlite"));
try {
  console.log(await ensureAdmin(accounts, email, password, name));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  await accounts.close();
}
