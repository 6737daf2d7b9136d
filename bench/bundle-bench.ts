import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

/** The JavaScript one kind of page downloads: its chunks, raw and as served (Brotli). */
export interface BundleRoute {
  route: string;
  /** What loads it. */
  when: string;
  chunks: string[];
  bytes: number;
  brotli: number;
}

/**
 * JavaScript per route, from the built app (`dist/`): the entry's static import closure, plus the
 * lazily loaded chunk a route adds (the headset layer, a class, the studio) and that chunk's own
 * static imports. Read from the chunks' import statements, so it is what the browser must fetch,
 * not an estimate.
 */
export function runBundleBench(dist: string): BundleRoute[] {
  const assets = join(dist, "assets");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error("dist/index.html has no module script");
  const text = (f: string) => readFileSync(join(assets, f), "utf8");
  const staticDeps = (f: string) => [...text(f).matchAll(/(?:from|import)\s*["'`]\.\/([\w.-]+\.js)["'`]/g)].map((m) => m[1]!);
  const dynamicDeps = (f: string) => [...text(f).matchAll(/import\(\s*["'`]\.\/([\w.-]+\.js)["'`]\s*\)/g)].map((m) => m[1]!);
  const closure = (roots: string[]) => {
    const seen = new Set<string>();
    const todo = [...roots];
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      todo.push(...staticDeps(f));
    }
    return [...seen];
  };
  const base = closure([entry]);
  const lazy = [...new Set(base.flatMap(dynamicDeps))];
  const chunk = (prefix: string) => {
    const found = lazy.find((f) => f.startsWith(`${prefix}-`));
    if (!found) throw new Error(`no lazily loaded chunk named ${prefix}-*.js (lazy chunks: ${lazy.join(", ")})`);
    return found;
  };
  const served = (f: string) => {
    const br = join(assets, `${f}.br`);
    return existsSync(br) ? statSync(br).size : brotliCompressSync(readFileSync(join(assets, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  };
  const route = (name: string, when: string, extra: string[]): BundleRoute => {
    const chunks = closure([entry, ...extra]).sort();
    return { route: name, when, chunks, bytes: chunks.reduce((a, f) => a + statSync(join(assets, f)).size, 0), brotli: chunks.reduce((a, f) => a + served(f), 0) };
  };
  return [
    route("visitor", "a visit without a headset or a class", []),
    route("visitor + headset", "where the browser offers an immersive session", [chunk("xr-extension")]),
    route("class", "a class page (`?class=`), no headset", [chunk("class-extension")]),
    route("studio", "`/studio/<id>`", [chunk("StudioPage")]),
  ];
}

/** The table in BENCHMARKS.md. */
export function bundleTable(generated: string, rows: BundleRoute[]): string {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  return [
    `Measured ${generated.slice(0, 10)} from the production build (\`npm run build\`): the JavaScript each kind of page must download (the entry's static imports plus the lazily loaded layer it needs), raw and as served with Brotli.`,
    "",
    "| route | loaded when | chunks | JavaScript | served (Brotli) |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.route} | ${r.when} | ${r.chunks.length} | ${kb(r.bytes)} | ${kb(r.brotli)} |`),
  ].join("\n");
}
