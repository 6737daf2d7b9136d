import { join } from "node:path";
import { ROOT } from "./server";

/**
 * Third-party test data (Khronos glTF samples, Smithsonian scans, invalid glTFs with the
 * validator's reports, CMU motion capture, IIIF manifests, CMOA records), copied into the
 * repository with their licences (`LICENSES.md`) and checksums (`SHA256SUMS`): a fresh clone
 * needs nothing beside it.
 */
export const FIXTURES = join(ROOT, "test/fixtures/third-party");
