import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { User } from "../../accounts/account-store";
import { fieldError, DomainError } from "../../http/errors";
import { Folders, type EntryRow } from "../../explore/folders";
import { itemPicture, previewPictureOf } from "../../explore/gallery";
import { addressFromTitle, exhibitionFromTemplate, type Exhibition } from "../../../src/shared/exhibition";
import { placeAll, type PlaceableItem } from "../../../src/shared/exhibition/placing";
import { placementsInVisitingOrder } from "../../../src/shared/exhibition/tiers";
import {
  FOLDER_LIMITS,
  folderAnswer,
  folderBody,
  folderEntryBody,
  folderOrderBody,
  folderShowAnswer,
  folderShowBody,
  foldersAnswer,
  sharedFolderAnswer,
  type FolderEntry,
} from "../../../src/shared/api/folders";
import { personOwnerId, type ApiContext, type Guards } from "../context";

const idParams = z.object({ id: z.string().max(40) });
const entryParams = z.object({ id: z.string().max(40), entry: z.string().max(40) });
const codeParams = z.object({ code: z.string().max(40) });
const holdsQuery = z.object({ exhibition: z.string().max(64).optional(), placement: z.string().max(64).optional() });
const shareBody = z.object({ shared: z.boolean() }).strict();

/**
 * Collection folders (issue 23): a signed-in user saves shows and artefacts they may see into
 * named folders, orders them, shares a folder by a read-only link (`/f/<code>`) and starts a new
 * exhibition from one. What a folder shows is read from the shows as they are now, for whoever
 * reads it: a shared folder never shows a reader something they may not see (a private show's
 * artefact is left out, not named), and its owner sees a show gone private as "no longer
 * available" with the title it had when saved.
 */
export const foldersPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const folders = new Folders(ctx.accounts.db, ctx.now);
  const origin = (request: { raw: import("node:http").IncomingMessage }) => ctx.origins.publicOrigin(request.raw);
  const sharedUrl = (request: { raw: import("node:http").IncomingMessage }, code: string | null) => (code ? `${origin(request)}/f/${code}` : null);

  /** The shows the rows name, as `reader` may see them now (null: gone, or not theirs to see). */
  const showsFor = async (rows: readonly EntryRow[], reader: User | null): Promise<Map<string, Exhibition | null>> => {
    const ids = [...new Set(rows.map((r) => r.exhibition))];
    const docs = await Promise.all(ids.map(async (id) => ((await ctx.accounts.roleOf(id, reader)) ? ctx.documents.read(id) : null)));
    return new Map(ids.map((id, i) => [id, docs[i] ?? null]));
  };

  /** What a folder shows of one saved thing. */
  const entryView = (row: EntryRow, doc: Exhibition | null): FolderEntry => {
    const base = { id: row.id, exhibition: row.exhibition, placement: row.placement, added: row.added };
    const placement = doc && row.placement ? doc.placements[row.placement] : undefined;
    const item = placement ? doc!.items[placement.item] : undefined;
    if (doc && !row.placement) {
      return {
        ...base,
        available: true,
        title: doc.meta.title,
        languages: doc.meta.languages,
        museums: doc.meta.museums.map((m) => m.name),
        picture: previewPictureOf(doc),
        licences: [...new Set(Object.values(doc.items).map((i) => i.licences.object))].sort(),
        href: `/visit/${encodeURIComponent(row.exhibition)}`,
      };
    }
    if (doc && item) {
      const museum = doc.meta.museums.find((m) => m.id === item.institution);
      return {
        ...base,
        available: true,
        title: item.title,
        languages: doc.meta.languages,
        ...(item.maker ? { maker: item.maker } : {}),
        museums: museum ? [museum.name] : [],
        picture: itemPicture(item),
        licences: [item.licences.object],
        href: `/visit/${encodeURIComponent(row.exhibition)}?artefact=${encodeURIComponent(row.placement!)}`,
      };
    }
    return { ...base, available: false, title: row.title, languages: [], museums: [], picture: null, licences: [], href: `/visit/${encodeURIComponent(row.exhibition)}` };
  };

  const entriesFor = async (folder: string, reader: User | null): Promise<FolderEntry[]> => {
    const rows = await folders.entries(folder);
    const docs = await showsFor(rows, reader);
    return rows.map((r) => entryView(r, docs.get(r.exhibition) ?? null));
  };

  const folderOf = async (request: Parameters<Guards["requireUser"]>[0], id: string) => {
    const u = g.requireUser(request);
    const f = await folders.require(u.id, id);
    return { id: f.id, name: f.name, entries: f.entries, shared: sharedUrl(request, f.share), updated: f.updated, items: await entriesFor(f.id, u) };
  };

  app.get("/api/folders", { schema: { summary: "Your collection folders, the most recently changed first (with ?exhibition=&placement=: which of them hold that show or artefact)", tags: ["folders"], querystring: holdsQuery, response: { 200: foldersAnswer } } }, async (request) => {
    const u = g.requireUser(request);
    const { exhibition, placement } = request.query;
    const holding = exhibition ? await folders.holding(u.id, exhibition, placement ?? "") : null;
    const list = await folders.list(u.id);
    return { folders: list.map((f) => ({ id: f.id, name: f.name, entries: f.entries, shared: sharedUrl(request, f.share), updated: f.updated, ...(holding ? { holds: holding.has(f.id) } : {}) })) };
  });

  app.post("/api/folders", { schema: { summary: `Make a folder (at most ${FOLDER_LIMITS.foldersPerUser} per user)`, tags: ["folders"], body: folderBody, response: { 201: folderAnswer } } }, async (request, reply) => {
    const u = g.requireUser(request);
    const f = await folders.create(u.id, request.body.name);
    return reply.code(201).send({ id: f.id, name: f.name, entries: 0, shared: null, updated: f.updated, items: [] });
  });

  app.get("/api/folders/:id", { schema: { summary: "One of your folders with what it holds, in its order", tags: ["folders"], params: idParams, response: { 200: folderAnswer } } }, async (request) => folderOf(request, request.params.id));

  app.patch("/api/folders/:id", { schema: { summary: "Rename a folder", tags: ["folders"], params: idParams, body: folderBody, response: { 200: folderAnswer } } }, async (request) => {
    await folders.rename(g.requireUser(request).id, request.params.id, request.body.name);
    return folderOf(request, request.params.id);
  });

  app.delete("/api/folders/:id", { schema: { summary: "Remove a folder and what it holds (the shows themselves stay)", tags: ["folders"], params: idParams } }, async (request, reply) => {
    await folders.remove(g.requireUser(request).id, request.params.id);
    return reply.code(204).send();
  });

  app.post(
    "/api/folders/:id/entries",
    { schema: { summary: `Save a show, or one of its artefacts (placement), at the end of a folder; saving it again changes nothing (at most ${FOLDER_LIMITS.entriesPerFolder} per folder). Only what you may see`, tags: ["folders"], params: idParams, body: folderEntryBody, response: { 200: folderAnswer, 201: folderAnswer } } },
    async (request, reply) => {
      const u = g.requireUser(request);
      const { exhibition, placement } = request.body;
      await folders.require(u.id, request.params.id);
      await g.requireRole(exhibition, u, "viewer");
      const doc = await g.requireDocument(exhibition);
      let title = doc.meta.title;
      if (placement !== undefined) {
        const p = doc.placements[placement];
        const item = p ? doc.items[p.item] : undefined;
        if (!item) throw fieldError("not-found", "placement", `no artefact "${placement}" in ${exhibition}`);
        title = item.title;
      }
      // Kept only to name it once it is gone: a line of each language is enough (a title may be 20,000 characters).
      const saved = Object.fromEntries(Object.entries(title).map(([lang, text]) => [lang, text.slice(0, 200)]));
      const { added } = await folders.add(u.id, request.params.id, exhibition, placement ?? null, saved);
      return reply.code(added ? 201 : 200).send(await folderOf(request, request.params.id));
    },
  );

  app.delete("/api/folders/:id/entries/:entry", { schema: { summary: "Take something out of a folder", tags: ["folders"], params: entryParams, response: { 200: folderAnswer } } }, async (request) => {
    await folders.removeEntry(g.requireUser(request).id, request.params.id, request.params.entry);
    return folderOf(request, request.params.id);
  });

  app.put("/api/folders/:id/order", { schema: { summary: "Put a folder's entries in a new order (each of them named once)", tags: ["folders"], params: idParams, body: folderOrderBody, response: { 200: folderAnswer } } }, async (request) => {
    await folders.reorder(g.requireUser(request).id, request.params.id, request.body.entries);
    return folderOf(request, request.params.id);
  });

  app.put("/api/folders/:id/shared", { schema: { summary: "Share a folder by a read-only link, or stop sharing it (that link then leads nowhere, for good)", tags: ["folders"], params: idParams, body: shareBody, response: { 200: folderAnswer } } }, async (request) => {
    await folders.setShared(g.requireUser(request).id, request.params.id, request.body.shared);
    return folderOf(request, request.params.id);
  });

  app.get("/api/shared-folders/:code", { schema: { summary: "A shared folder, read-only, for anyone with its link: what the reader may see of it", tags: ["folders"], params: codeParams, response: { 200: sharedFolderAnswer } } }, async (request, reply) => {
    // A guess costs a lookup like a search does, and counts like one.
    await ctx.throttles.search(ctx.addressOf(request.raw));
    const f = await folders.shared(request.params.code);
    if (!f) throw new DomainError("not-found", "no shared folder at this link");
    const owner = await ctx.accounts.user(f.owner);
    const items = (await entriesFor(f.id, g.userOf(request))).filter((e) => e.available);
    reply.header("cache-control", "private, no-cache");
    return { name: f.name, owner: owner?.name ?? "", updated: f.updated, items };
  });

  app.post(
    "/api/folders/:id/exhibition",
    { schema: { summary: `Start a new exhibition (yours, private) from a folder: its artefacts, and every artefact of its saved shows, copied with their museums, credit lines and licences into one room (at most ${FOLDER_LIMITS.artefactsPerNewShow})`, tags: ["folders"], params: idParams, body: folderShowBody, response: { 201: folderShowAnswer } } },
    async (request, reply) => {
      const u = g.requireUser(request);
      // Reads every show the folder names: counted like an import.
      await ctx.throttles.import(u.id);
      const f = await folders.require(u.id, request.params.id);
      const rows = await folders.entries(f.id);
      const docs = await showsFor(rows, u);
      const items: PlaceableItem[] = [];
      const seen = new Set<string>();
      let skipped = 0;
      const languages: string[] = [];
      for (const row of rows) {
        const doc = docs.get(row.exhibition);
        const placements = doc ? (row.placement ? (doc.placements[row.placement] ? [row.placement] : []) : placementsInVisitingOrder(doc)) : [];
        if (!doc || placements.length === 0) {
          skipped++;
          continue;
        }
        for (const l of doc.meta.languages) if (!languages.includes(l)) languages.push(l);
        for (const pid of placements) {
          const item = doc.items[doc.placements[pid]!.item];
          if (!item || seen.has(`${row.exhibition}/${pid}`)) continue;
          seen.add(`${row.exhibition}/${pid}`);
          const museums = doc.meta.museums.filter((m) => m.id === item.institution || m.id === item.lockedBy);
          items.push({ id: `${row.exhibition}-${doc.placements[pid]!.item}`, item, museums });
        }
      }
      if (items.length === 0) throw fieldError("unprocessable", "entries", "nothing in this folder can be placed: save artefacts or shows you can see first");
      if (items.length > FOLDER_LIMITS.artefactsPerNewShow)
        throw fieldError("unprocessable", "entries", `this folder holds ${items.length} artefacts (saved shows count with all of theirs); a new show starts with at most ${FOLDER_LIMITS.artefactsPerNewShow}`);
      const language = request.body.language ?? languages[0] ?? "en";
      const title = request.body.title ?? f.name;
      const id = await g.freeAddressFor(addressFromTitle({ [language]: title }));
      let doc: Exhibition;
      try {
        const empty = exhibitionFromTemplate("empty", { id, title: { [language]: title }, languages: [language, ...languages.filter((l) => l !== language)], owner: { kind: "person", id: personOwnerId(u) }, museums: [] });
        doc = placeAll(empty, "main", items, (i) => `p${i + 1}`);
      } catch (e) {
        throw new DomainError("unprocessable", (e as Error).message);
      }
      await g.storeNewExhibition(doc);
      return reply.code(201).send({ exhibition: { id }, placed: items.length, skipped });
    },
  );
};
