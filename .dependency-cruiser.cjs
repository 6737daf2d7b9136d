/**
 * Import rules, checked in `npm test` (docs/ARCHITECTURE.md, "Layers"): what the server and the
 * client may share, and no import cycles between the server's folders and the shared one.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "server-imports-shared-only",
      severity: "error",
      comment: "The server uses client code only from src/shared/ (the document, its Y.Doc layout, the class protocol).",
      from: { path: "^server/" },
      to: { path: "^src/", pathNot: "^src/shared/" },
    },
    {
      name: "shared-stays-shared",
      severity: "error",
      comment: "src/shared/ is what both sides use: it imports nothing else of src/, nothing of the server, no React or three.",
      from: { path: "^src/shared/" },
      to: { path: ["^src/(?!shared/)", "^server/", "^node_modules/(react|react-dom|three|@react-three)/"] },
    },
    {
      name: "client-never-imports-server",
      severity: "error",
      comment: "The browser app must not pull in server code.",
      from: { path: "^src/" },
      to: { path: "^server/" },
    },
    {
      name: "service-worker-stands-alone",
      severity: "error",
      comment: "src/sw/ is compiled file by file into /sw.js, not bundled: it imports nothing, and the app does not import it (it registers /sw.js).",
      from: { path: "^src/sw/" },
      to: { path: "^(src|server|node_modules)/" },
    },
    {
      name: "embed-script-stands-alone",
      severity: "error",
      comment: "src/embed-script/ is bundled alone into /embed.js for other sites' pages: it shares only the message protocol, and the app does not import it.",
      from: { path: "^src/embed-script/" },
      to: { path: "^(src|server|node_modules)/", pathNot: "^src/(embed-script/|shared/embed-protocol\\.ts$)" },
    },
    {
      name: "app-does-not-import-the-embed-script",
      severity: "error",
      from: { path: "^src/(?!embed-script/)" },
      to: { path: "^src/embed-script/" },
    },
    {
      name: "app-does-not-import-the-worker",
      severity: "error",
      from: { path: "^src/(?!sw/)" },
      to: { path: "^src/sw/" },
    },
    {
      name: "viewer-imports-no-extension",
      severity: "error",
      comment: "The viewer core (src/viewer/) runs with no extension: it imports the document, the Yjs binding, local state and strings only; the studio, XR and class sessions plug in through ViewerExtension (docs/ARCHITECTURE.md).",
      from: { path: "^src/viewer/" },
      to: { path: "^src/", pathNot: "^src/(viewer|shared|collab|state|i18n|api)/" },
    },
    {
      name: "extensions-do-not-import-each-other",
      severity: "error",
      comment: "The studio, XR, class sessions, the embed bridge, the visit statistics and the collection folders each build on the viewer only; the page (src/visit/) combines them.",
      from: { path: "^src/(studio|xr|session|embed|stats|folders)/" },
      to: { path: "^src/(studio|xr|session|embed|stats|folders)/", pathNot: "^src/$1/" },
    },
    {
      name: "base-layers-stay-below",
      severity: "error",
      comment: "Local state, strings, the API client and the Yjs binding are below the viewer: they import no page, viewer or extension.",
      from: { path: "^src/(state|i18n|collab|api)/" },
      to: { path: "^src/(viewer|visit|studio|xr|session|account|app)/" },
    },
    {
      name: "no-folder-cycles-client",
      severity: "error",
      comment: "No two folders of the app import each other in a circle (before the viewer core, src/app, scene, session, studio, visit and xr formed one).",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-folder-cycles-server-shared",
      severity: "error",
      comment: "Folders of the server and the shared folder do not import each other in a circle (a sign two concerns are tangled).",
      scope: "folder",
      from: { path: "^(server|src/shared)" },
      to: { circular: true },
    },
    {
      name: "no-module-cycles-server-shared",
      severity: "error",
      from: { path: "^(server|src/shared)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
