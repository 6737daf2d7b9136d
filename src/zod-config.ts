import { z } from "zod";

/**
 * Zod compiles fast object parsers with `new Function` when it may; the app's CSP forbids that
 * (docs/ARCHITECTURE.md, "Headers"), and even zod's probe for it would be reported as a
 * violation. Imported first by `main.tsx`, before any schema is built.
 */
z.config({ jitless: true });
