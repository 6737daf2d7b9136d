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
      name: "app-does-not-import-the-worker",
      severity: "error",
      from: { path: "^src/(?!sw/)" },
      to: { path: "^src/sw/" },
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
