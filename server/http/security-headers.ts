import type { FastifyHelmetOptions } from "@fastify/helmet";

/**
 * Response headers that make the browser refuse what Atrium never does (docs/ARCHITECTURE.md,
 * "Headers"), set by helmet on every answer:
 * - CSP: scripts only from this origin, no inline script or handler; WebAssembly (Draco, KTX2,
 *   Meshopt decoders) allowed to compile; decoder workers from blob: URLs (three's loaders make
 *   them); images, sound and models also from https: museum servers (IIIF images and remote
 *   records are theirs), never from plain http: on a secure site; no plugins; forms post here only.
 * - Frames: no page of Atrium may be framed (`frame-ancestors 'none'`, X-Frame-Options DENY),
 *   except a public show's embeddable viewer, `/embed/<id>`, which any site may frame (its
 *   route in `server/api/app.ts` widens `frame-ancestors` for that answer only).
 * - Referrer-Policy no-referrer (a join link's code never leaves in a Referer), nosniff,
 *   Cross-Origin-Opener-Policy, and HSTS only when the site is served over HTTPS.
 */
export function helmetOptions(options: { https: boolean }): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "script-src-attr": ["'none'"],
        "worker-src": ["'self'", "blob:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "media-src": ["'self'", "blob:", "https:"],
        "connect-src": ["'self'", "blob:", "data:", "https:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // Models and uploads are fetched by other sites' IIIF viewers: their routes set their own policy.
    crossOriginResourcePolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  };
}
