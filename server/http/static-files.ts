import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { contentType } from "mime-types";
import send from "send";

export interface StaticOptions {
  /** Answer paths without an extension that match no file with this file (a single-page app's `index.html`). */
  fallback?: string;
  /** Cache-Control for a path (the default revalidates with the ETag). */
  cacheControl?: (path: string) => string;
  /** Serve `.br` / `.gz` siblings written at build time to clients that accept them. */
  precompressed?: boolean;
}

/** Files never served from a static folder, whatever is in it. */
const HIDDEN = /(^|\/)\.|\.map$|\.part$/;

/**
 * A folder served over HTTP with `send` (the file sender of Express' static middleware: ETags,
 * Range, conditional GET). Nothing is indexed at start, so a file replaced or removed under a
 * running server (a rebuilt `dist/`) is simply what the disk has now: a missing file is a 404,
 * a read error closes that response, and neither can reach the process. Source maps and dot files
 * are never served.
 */
export function staticFiles(root: string, options: StaticOptions = {}) {
  const base = normalize(root + sep);
  return async function serve(req: IncomingMessage, res: ServerResponse, path: string, notFound: () => void): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      return void res.end("only GET and HEAD\n");
    }
    let rel = path.replace(/^\/+/, "");
    if (rel.includes("\0") || HIDDEN.test(rel) || !normalize(join(base, rel)).startsWith(base)) return notFound();
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    let file = await fileAt(join(base, rel));
    if (!file && options.fallback && extname(rel) === "") {
      rel = options.fallback;
      file = await fileAt(join(base, rel));
    }
    if (!file) return notFound();
    // A precompressed sibling, when the client takes it (the type stays the original's).
    let encoding: "br" | "gzip" | null = null;
    const accepts = String(req.headers["accept-encoding"] ?? "");
    if (options.precompressed) {
      if (/\bbr\b/.test(accepts) && (await fileAt(`${file}.br`))) encoding = "br";
      else if (/\bgzip\b/.test(accepts) && (await fileAt(`${file}.gz`))) encoding = "gzip";
      res.setHeader("vary", "Accept-Encoding");
    }
    const sent = encoding ? `${file}.${encoding === "br" ? "br" : "gz"}` : file;
    const stream = send(req, sent, { etag: true, lastModified: true, index: false, dotfiles: "deny", cacheControl: false });
    stream.on("headers", (r: ServerResponse) => {
      r.setHeader("cache-control", options.cacheControl?.(`/${rel}`) ?? "no-cache");
      if (encoding) {
        r.setHeader("content-encoding", encoding);
        r.setHeader("content-type", contentType(extname(file!)) || "application/octet-stream");
      }
      r.setHeader("x-content-type-options", "nosniff");
    });
    stream.on("error", (e: { status?: number }) => {
      if (res.headersSent) return void res.destroy();
      if (e.status === 404) return notFound();
      res.writeHead(e.status ?? 500, { "content-type": "text/plain; charset=utf-8" });
      res.end(e.status && e.status < 500 ? "bad request\n" : "could not read the file\n");
    });
    stream.pipe(res);
  };
}

/** The path if it is a regular file now, else null (never throws). */
async function fileAt(path: string): Promise<string | null> {
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}
