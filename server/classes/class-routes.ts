import type { IncomingMessage, ServerResponse } from "node:http";
import QRCode from "qrcode";
import { z } from "zod";
import type { Exhibition } from "../../src/shared/exhibition";
import { joinCode, nickname, type ClassInfo, type JoinAnswer } from "../../src/shared/class-protocol";
import { lessonSheetHtml } from "./lesson-sheet";
import type { User } from "../accounts/account-store";
import { ApiError, readBody, sendJson } from "../http/http-util";
import type { ClassRegistry, ClassSession } from "./class-registry";
import type { Throttles } from "../security/throttles";

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], user: User | null) => Promise<void> | void;

export const startClassBody = z.object({ exhibition: z.string().min(1).max(64) });
export const joinClassBody = z.object({ code: joinCode, nickname });

export interface ClassRouteDeps {
  registry: ClassRegistry;
  requireUser: (user: User | null) => User;
  /** Refuses (404/403) a caller who may not see the exhibition. */
  requireViewer: (exhibition: string, user: User | null) => void;
  currentDocument: (id: string) => Exhibition | null;
  secureCookies: boolean;
  /** The origin join links and QR codes name (the configured public URL, never a client's Host). */
  publicOrigin: (req: IncomingMessage) => string;
  throttles: Throttles;
  addressOf: (req: IncomingMessage) => string;
  /** The Set-Cookie value that lets a seat read its class's uploaded files. */
  seatCookie: (token: string, maxAgeSeconds: number) => string;
}

/**
 * `/api/classes`: a signed-in teacher starts a class on an exhibition they can see and gets its
 * code, link and QR code; students join with code + nickname (no account) and get a seat token;
 * the teacher downloads the lesson sheet. The live class runs on the class channel.
 */
export function classRoutes(route: (method: string, path: string, handler: Handler) => void, deps: ClassRouteDeps): void {
  const { registry } = deps;

  const info = (req: IncomingMessage, s: ClassSession): ClassInfo => ({
    id: s.id,
    exhibition: s.exhibition,
    code: s.code,
    link: `${deps.publicOrigin(req)}/join/${s.code}`,
    codeExpiresAt: new Date(s.codeExpiresAt).toISOString(),
    maxStudents: registry.limits.maxStudents,
    ended: s.state.ended,
  });
  /** The class, for its teacher only. */
  const teachersClass = (id: string, user: User | null): ClassSession => {
    const u = deps.requireUser(user);
    const s = registry.session(id);
    if (!s || s.teacherId !== u.id) throw new ApiError(404, `no class "${id}" of yours`);
    return s;
  };

  route("POST", "/api/classes", async (req, res, _p, user) => {
    const u = deps.requireUser(user);
    const body = await readBody(req, startClassBody);
    deps.requireViewer(body.exhibition, u);
    const s = registry.create({ id: u.id, name: u.name }, body.exhibition);
    sendJson(res, 201, info(req, s));
  });

  route("POST", "/api/classes/join", async (req, res) => {
    // Only wrong codes count: a whole class behind one school router joins at once, but guessing
    // a code from one network stops after a few tries a minute.
    const address = deps.addressOf(req);
    await deps.throttles.beforeJoin(address);
    const body = await readBody(req, joinClassBody);
    const r = registry.join(body.code, body.nickname);
    if ("error" in r) {
      if (r.status === 404) await deps.throttles.joinFailed(address);
      throw new ApiError(r.status, r.error, r.status === 404 || r.status === 410 ? "code" : undefined);
    }
    const answer: JoinAnswer = { session: r.session.id, exhibition: r.session.exhibition, token: r.seat.token, nickname: r.seat.nickname, teacher: r.session.teacherName };
    sendJson(res, 201, answer, { "set-cookie": deps.seatCookie(r.seat.token, Math.ceil(registry.limits.maxLengthMs / 1000)) });
  });

  route("GET", "/api/classes/:id", (req, res, [id], user) => sendJson(res, 200, info(req, teachersClass(id!, user))));

  route("GET", "/api/classes/:id/qr.svg", async (req, res, [id], user) => {
    const s = teachersClass(id!, user);
    const svg = await QRCode.toString(info(req, s).link, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "no-store", "content-length": Buffer.byteLength(svg) });
    res.end(svg);
  });

  route("GET", "/api/classes/:id/lesson-sheet", (req, res, [id], user) => {
    const s = teachersClass(id!, user);
    const doc = deps.currentDocument(s.exhibition);
    if (!doc) throw new ApiError(404, `the exhibition "${s.exhibition}" no longer exists`);
    const lang = new URL(req.url ?? "/", "http://localhost").searchParams.get("lang") ?? doc.meta.languages[0] ?? "en";
    const html = lessonSheetHtml(doc, { teacher: s.teacherName, startedAt: new Date(s.createdAt), endedAt: s.endedAt ? new Date(s.endedAt) : null, students: s.joined }, lang);
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-length": Buffer.byteLength(html),
      "cache-control": "no-store",
      "content-disposition": `inline; filename="lesson-${s.exhibition}.html"`,
    });
    res.end(html);
  });
}
