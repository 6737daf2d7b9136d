import type { z } from "zod";
import type { ExploreAnswer } from "../shared/api/explore";
import type { FolderAnswer, FolderSummary, SharedFolderAnswer } from "../shared/api/folders";
import type { CitationAnswer, LinksAnswer } from "../shared/api/links";
import type { StatsAnswer } from "../shared/api/stats";
import type { SurveyConfig, SurveyResults, TeacherSurvey } from "../shared/api/survey";
import type {
  createExhibitionBody,
  entryRightsBody,
  errorAnswer,
  iiifImportAnswer,
  importAnswer,
  importPreviewAnswer,
  inviteBody,
  jobAnswer,
  loginBody,
  meAnswer,
  sessionAnswer,
  registerBody,
  uploadAnswer,
  userAnswer,
  versionBody,
} from "../shared/api/schemas";
import type { ClassInfo, JoinAnswer } from "../shared/class-protocol";
import type { CreateGroupsBody, GroupsAnswer } from "../shared/api/class-groups";
import type { FieldProblem, LangMap } from "../shared/exhibition";
import type { Role } from "../shared/exhibition/permissions";

/**
 * The app's one client of the REST API (documented at /api/openapi.json): every call the pages
 * make, typed by the zod schemas the server validates with (`src/shared/api/schemas.ts`), so a
 * changed request or answer is a type error here, not a surprise in a browser. Refusals become
 * an `ApiError` carrying the server's message, which names the field that is wrong.
 */

/** A refusal or failure answered by the server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly answer: Partial<z.infer<typeof errorAnswer>>,
  ) {
    super(answer.error ?? `the server answered HTTP ${status}`);
  }
}

type Init = { json?: unknown; body?: BodyInit; signal?: AbortSignal; headers?: Record<string, string> };

/** The one `fetch` of the API: same-origin, JSON in and out. Answers the raw response (for the few callers that read headers). */
export function apiFetch(method: string, path: string, init: Init = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** Calls the API and answers the parsed body, or throws an `ApiError` with the server's message. */
export async function call<T>(method: string, path: string, init: Init = {}): Promise<T> {
  const res = await apiFetch(method, path, init);
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) throw new ApiError(res.status, (body ?? {}) as Partial<z.infer<typeof errorAnswer>>);
  return body as T;
}

const seg = encodeURIComponent;

/** One exhibition in the list (`GET /api/exhibitions`). */
export interface ExhibitionSummary {
  id: string;
  title: LangMap;
  intro: LangMap;
  languages: string[];
  museums: { id: string; name: LangMap }[];
  rooms: number;
  artefacts: number;
  role: Role;
  published: boolean;
}
/** A sample or stored file the server could not load, with the fields that are wrong. */
export interface ExhibitionProblem {
  id: string;
  file: string;
  message: string;
  problems: FieldProblem[];
}
/** What an invitation offers (`GET /api/invites/{token}`). */
export interface InviteInfo {
  title: LangMap;
  languages: string[];
  role: string;
}
/** A named version (`GET /api/exhibitions/{id}/versions`). */
export interface VersionInfo {
  id: number;
  name: string;
  author: string;
  at: number;
}

/** The server's preview of a records import: the mapping it guessed, a sample and the gaps. */
export type ImportPreview = z.infer<typeof importPreviewAnswer>;

/** Every call of the API the app makes. */
export const api = {
  me: () => call<z.infer<typeof meAnswer>>("GET", "/api/me"),
  session: () => call<z.infer<typeof sessionAnswer>>("GET", "/api/session"),
  signIn: (body: z.input<typeof loginBody>) => call<z.infer<typeof userAnswer>>("POST", "/api/sessions", { json: body }),
  register: (body: z.input<typeof registerBody>) => call<z.infer<typeof userAnswer>>("POST", "/api/accounts", { json: body }),
  signOut: () => call<unknown>("DELETE", "/api/sessions"),

  exhibitions: () => call<{ exhibitions: ExhibitionSummary[]; problems: ExhibitionProblem[] }>("GET", "/api/exhibitions"),
  /** The public gallery: published shows matching a search (`src/shared/api/explore.ts`). */
  explore: (params: URLSearchParams, signal?: AbortSignal) => call<ExploreAnswer>("GET", `/api/explore?${params}`, signal ? { signal } : {}),
  /** Short links of a show and of its artefacts, with their QR codes. */
  links: (id: string) => call<LinksAnswer>("GET", `/api/exhibitions/${seg(id)}/links`),
  /** A citation of a show, or of one artefact (`placement`), in a language. */
  cite: (id: string, params: URLSearchParams) => call<CitationAnswer>("GET", `/api/exhibitions/${seg(id)}/cite?${params}`),
  /** A show's visit statistics (owners and curators; `src/shared/api/stats.ts`). */
  stats: (id: string, params: URLSearchParams) => call<StatsAnswer>("GET", `/api/exhibitions/${seg(id)}/stats?${params}`),
  /** The show's exit survey (its questions, whether it is on), and its answers (owners and curators). */
  survey: (id: string) => call<SurveyConfig>("GET", `/api/exhibitions/${seg(id)}/survey`),
  setSurvey: (id: string, config: SurveyConfig) => call<SurveyConfig>("PUT", `/api/exhibitions/${seg(id)}/survey`, { json: config }),
  surveyResults: (id: string, params: URLSearchParams) => call<SurveyResults>("GET", `/api/exhibitions/${seg(id)}/survey/results?${params}`),
  /** The teacher's survey after a class: whether it was answered, and the answer. */
  classSurvey: (classId: string) => call<{ answered: boolean }>("GET", `/api/classes/${seg(classId)}/survey`),
  answerClassSurvey: (classId: string, answer: TeacherSurvey) => call<null>("POST", `/api/classes/${seg(classId)}/survey`, { json: answer }),
  /** Collection folders (`src/shared/api/folders.ts`); `holding` asks which hold a show or artefact. */
  folders: (holding?: { exhibition: string; placement?: string }) =>
    call<{ folders: FolderSummary[] }>("GET", `/api/folders${holding ? `?${new URLSearchParams(holding.placement ? { exhibition: holding.exhibition, placement: holding.placement } : { exhibition: holding.exhibition })}` : ""}`),
  folder: (id: string) => call<FolderAnswer>("GET", `/api/folders/${seg(id)}`),
  createFolder: (name: string) => call<FolderAnswer>("POST", "/api/folders", { json: { name } }),
  renameFolder: (id: string, name: string) => call<FolderAnswer>("PATCH", `/api/folders/${seg(id)}`, { json: { name } }),
  deleteFolder: (id: string) => call<unknown>("DELETE", `/api/folders/${seg(id)}`),
  saveToFolder: (id: string, exhibition: string, placement?: string) => call<FolderAnswer>("POST", `/api/folders/${seg(id)}/entries`, { json: placement ? { exhibition, placement } : { exhibition } }),
  removeFromFolder: (id: string, entry: string) => call<FolderAnswer>("DELETE", `/api/folders/${seg(id)}/entries/${seg(entry)}`),
  orderFolder: (id: string, entries: string[]) => call<FolderAnswer>("PUT", `/api/folders/${seg(id)}/order`, { json: { entries } }),
  shareFolder: (id: string, shared: boolean) => call<FolderAnswer>("PUT", `/api/folders/${seg(id)}/shared`, { json: { shared } }),
  sharedFolder: (code: string) => call<SharedFolderAnswer>("GET", `/api/shared-folders/${seg(code)}`),
  showFromFolder: (id: string, language: string) => call<{ exhibition: { id: string }; placed: number; skipped: number }>("POST", `/api/folders/${seg(id)}/exhibition`, { json: { language } }),
  createExhibition: (body: z.input<typeof createExhibitionBody>) => call<{ exhibition: { id: string } }>("POST", "/api/exhibitions", { json: body }),
  /** The exhibition document, raw: the visit page reads its status and the caller's role header itself. */
  exhibition: (id: string, init: { signal?: AbortSignal; seat?: string | null } = {}) =>
    apiFetch("GET", `/api/exhibitions/${seg(id)}`, { ...(init.signal ? { signal: init.signal } : {}), ...(init.seat ? { headers: { "x-atrium-seat": init.seat } } : {}) }),
  /** The show's members (its owners and curators may ask). */
  members: (id: string) => call<{ members: { user: { id: string; name: string }; role: string }[] }>("GET", `/api/exhibitions/${seg(id)}/members`),
  invite: (id: string, body: z.input<typeof inviteBody>) => call<{ token: string }>("POST", `/api/exhibitions/${seg(id)}/invites`, { json: body }),
  inviteInfo: (token: string) => call<InviteInfo>("GET", `/api/invites/${seg(token)}`),
  acceptInvite: (token: string) => call<{ exhibition: string; role: string }>("POST", `/api/invites/${seg(token)}/accept`),
  publish: (id: string) => call<unknown>("POST", `/api/exhibitions/${seg(id)}/publish`),
  unpublish: (id: string) => call<unknown>("POST", `/api/exhibitions/${seg(id)}/unpublish`),
  versions: (id: string) => call<{ versions: VersionInfo[] }>("GET", `/api/exhibitions/${seg(id)}/versions`),
  saveVersion: (id: string, body: z.input<typeof versionBody>) => call<VersionInfo>("POST", `/api/exhibitions/${seg(id)}/versions`, { json: body }),
  /** One named version's document (curators), for review mode. */
  versionDocument: (id: string, version: number) => call<VersionInfo & { document: unknown }>("GET", `/api/exhibitions/${seg(id)}/versions/${version}`),
  /** Who wrote what, as the sync server noted it (curators): one Yjs update, base64. */
  attribution: (id: string) => call<{ update: string }>("GET", `/api/exhibitions/${seg(id)}/attribution`),
  restoreVersion: (id: string, version: number) => call<unknown>("POST", `/api/exhibitions/${seg(id)}/versions/${version}/restore`),

  catalogue: (params: URLSearchParams, signal?: AbortSignal) => call<unknown>("GET", `/api/catalogue?${params}`, signal ? { signal } : {}),
  setEntryRights: (entry: string, body: z.input<typeof entryRightsBody>) => call<unknown>("PATCH", `/api/catalogue/${seg(entry)}`, { json: body }),
  previewRecords: (body: unknown) => call<ImportPreview>("POST", "/api/catalogue/imports/preview", { json: body }),
  importRecords: (body: unknown) => call<z.infer<typeof importAnswer>>("POST", "/api/catalogue/imports", { json: body }),
  importIiif: (body: unknown) => call<z.infer<typeof iiifImportAnswer>>("POST", "/api/catalogue/iiif", { json: body }),
  /** An upload without progress (small files: a tour step's sound). */
  upload: (params: URLSearchParams, file: Blob) => call<z.infer<typeof uploadAnswer>>("POST", `/api/uploads?${params}`, { body: file }),
  /** A processing job, by the status URL an upload answered. */
  job: (url: string) => call<z.infer<typeof jobAnswer>>("GET", url),

  startClass: (exhibition: string, lessonPlan?: string) => call<ClassInfo>("POST", "/api/classes", { json: lessonPlan ? { exhibition, lessonPlan } : { exhibition } }),
  joinClass: (body: { code: string; nickname: string }) => call<JoinAnswer>("POST", "/api/classes/join", { json: body }),
  classInfo: (session: string) => call<ClassInfo>("GET", `/api/classes/${seg(session)}`),
  /** Adds a classroom (another school) to a running class: the class's ways in, the new one last. */
  addClassroom: (session: string, name: string) => call<ClassInfo>("POST", `/api/classes/${seg(session)}/classrooms`, { json: { name } }),
  /** Splits a running class into groups, each with its own show made from the kit (the teacher). */
  createGroups: (session: string, body: CreateGroupsBody) => call<GroupsAnswer>("POST", `/api/classes/${seg(session)}/groups`, { json: body }),
  /** The class's groups with their members and their shows' progress (the teacher's grid). */
  classGroups: (session: string) => call<GroupsAnswer>("GET", `/api/classes/${seg(session)}/groups`),
  /** Publishes a group's show (the licence check of any publish) into the class gallery. */
  publishGroup: (session: string, group: string) => call<{ gallery: string; show: string; published: boolean }>("POST", `/api/classes/${seg(session)}/groups/${seg(group)}/publish`),
};
