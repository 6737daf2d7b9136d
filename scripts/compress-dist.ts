/**
 * Writes Brotli and gzip copies of the built app's text and wasm files next to them, so the
 * server (@fastify/static) sends them compressed to browsers that accept it: the app bundle drops
 * from ~1.5 MB to ~0.35 MB, which matters on a school's shared 10 Mbit/s link. Then Brotli copies
 * of the sample models where it pays (the tea ware's GLBs shrink to about a fifth; the scans'
 * WebP textures do not shrink, so they get none). Run by `scripts/finish-build.ts` after `vite build`.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|wasm|map)$/;

/** Compresses every compressible file under `dir` larger than 1 KiB; returns [raw, brotli] byte totals. */
export function compressDir(dir: string): [number, number] {
  let raw = 0;
  let br = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, name);
    if (!COMPRESSIBLE.test(name) || !statSync(path).isFile() || statSync(path).size < 1024) continue;
    const data = readFileSync(path);
    const brotli = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    writeFileSync(`${path}.br`, brotli);
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    raw += data.length;
    br += brotli.length;
  }
  return [raw, br];
}

const MODEL = /\.(glb|gltf|bin)$/;

/**
 * Writes a Brotli copy next to each model under `dir` that it makes at least 10 % smaller (and
 * only when the copy is missing or older than the model); returns [raw, sent] byte totals.
 */
export function compressModels(dir: string): [number, number] {
  let raw = 0;
  let sent = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, name);
    if (!MODEL.test(name) || !statSync(path).isFile()) continue;
    const size = statSync(path).size;
    raw += size;
    const copy = `${path}.br`;
    if (existsSync(copy) && statSync(copy).mtimeMs >= statSync(path).mtimeMs) {
      sent += statSync(copy).size;
      continue;
    }
    const data = readFileSync(path);
    const brotli = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    if (brotli.length <= size * 0.9) {
      writeFileSync(copy, brotli);
      sent += brotli.length;
    } else {
      rmSync(copy, { force: true });
      sent += size;
    }
  }
  return [raw, sent];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const dir = process.argv[2] ?? "dist";
  const [raw, br] = compressDir(dir);
  console.log(`[compress] ${dir}: ${(raw / 1e6).toFixed(2)} MB -> ${(br / 1e6).toFixed(2)} MB with Brotli`);
}
