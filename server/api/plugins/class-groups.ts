import { randomInt } from "node:crypto";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ClassSession } from "../../classes/class-registry";
import { DomainError, fieldError } from "../../http/errors";
import { createGroupsBody, type GroupsAnswer } from "../../../src/shared/api/class-groups";
import { dealIntoGroups, groupProgress, seatUserId } from "../../../src/shared/class-groups";
import { groupId, type ClassGroup } from "../../../src/shared/class-protocol";
import { Folders } from "../../explore/folders";
import { KeyedLock } from "../../util/keyed-lock";
import { addressFromTitle, exhibitionFromTemplate, pickText, type Exhibition, type Item, type TemplateId } from "../../../src/shared/exhibition";
import { placeAll, type PlaceableItem } from "../../../src/shared/exhibition/placing";
import { personOwnerId, type ApiContext, type Guards } from "../context";

const idParams = z.object({ id: z.string().max(64) });

/**
 * An object as a kit hands it to a group: without its label text (the group writes it) and without
 * a museum's lock on the record, which would stop the group writing it; its institution, credit
 * line and licences stay, and only the institution's people may change them (permissions.ts).
 */
function forAGroup(item: Item): Item {
  const { lockedBy: _lock, ...rest } = item;
  return { ...rest, description: {} };
}

/**
 * `/api/classes/<id>/groups`: group co-curation. The teacher splits a running class into groups;
 * each group gets a new private show (the teacher's) made from the kit, which its seats may edit
 * while the class runs (the rule: `src/shared/class-groups.ts`, enforced by the sync server through
 * the seat's role). The teacher's grid reads every group's members and progress here.
 */
export const classGroupsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const registry = ctx.classes;
  const folders = new Folders(ctx.accounts.db, ctx.now);
  const galleryLock = new KeyedLock();

  const answer = async (s: ClassSession): Promise<GroupsAnswer> => {
    const groups = s.state.groups ?? [];
    const grouped = new Set(groups.flatMap((gr) => gr.members));
    const seat = (id: string) => s.seats.get(id);
    return {
      choice: !!s.state.groupChoice,
      gallery: s.state.gallery?.link ?? null,
      unassigned: [...s.seats.values()].filter((x) => !grouped.has(x.id)).map((x) => ({ id: x.id, nickname: x.nickname })),
      groups: await Promise.all(
        groups.map(async (gr) => {
          const doc = await ctx.documents.read(gr.show).catch(() => null);
          const present = ctx.documents.present(gr.show);
          return {
            id: gr.id,
            name: gr.name,
            show: gr.show,
            locked: gr.locked,
            comment: gr.comment,
            published: !!gr.published,
            members: gr.members.flatMap((m) => {
              const x = seat(m);
              return x ? [{ id: x.id, nickname: x.nickname, connected: x.peer !== null || x.connectedElsewhere, editing: present.has(seatUserId(x.id)) }] : [];
            }),
            progress: doc ? groupProgress(doc) : null,
          };
        }),
      ),
    };
  };

  app.post(
    "/api/classes/:id/groups",
    {
      schema: {
        summary:
          "Split a running class into 2-12 groups (its teacher), each with a new private show of the teacher's made from the kit (the class's objects or catalogue entries, without their label texts: the group writes them). Students are dealt out at random now, placed by hand, or choose; a group's seats edit its show, and no other, until the class ends or the teacher locks it. 409 once the class has groups",
        tags: ["classes"],
        params: idParams,
        body: createGroupsBody,
      },
    },
    async (request, reply) => {
      const u = g.requireUser(request);
      const s = await g.requireTeachersClass(request.params.id, request);
      if (s.state.ended) throw new DomainError("gone", "This class has ended.");
      if ((s.state.groups ?? []).length > 0) throw new DomainError("conflict", "groups: this class already has its groups", { field: "groups" });
      // Making a dozen shows reads and writes like an import: counted like one.
      await ctx.throttles.import(u.id);
      const { groups, assign, kit } = request.body;
      const classShow = await g.requireDocument(s.exhibition);
      const items: PlaceableItem[] = [];
      kit.objects.forEach((id, i) => {
        const item = classShow.items[id];
        if (!item) throw fieldError("invalid", `kit.objects.${i}`, `the class's show has no object "${id}"`);
        items.push({ id, item: forAGroup(item), museums: classShow.meta.museums.filter((m) => m.id === item.institution) });
      });
      const catalogue = await ctx.catalogue;
      const mine = await g.collectionsOf(u);
      kit.catalogue.forEach((id, i) => {
        const entry = catalogue.get(id);
        // The teacher's own uploads and their museums' are theirs to hand out; anyone else's are not found.
        if (!entry || (entry.uploadedBy && entry.uploadedBy !== u.id && !mine.includes(entry.museum.id))) throw fieldError("invalid", `kit.catalogue.${i}`, `no catalogue entry "${id}"`);
        if (!entry.placeable) throw fieldError("invalid", `kit.catalogue.${i}`, `"${id}" has nothing to show yet${entry.note ? ` (${entry.note})` : ""}`);
        items.push({ id, item: forAGroup(entry.item), museums: [entry.museum] });
      });
      const languages = classShow.meta.languages;
      const made: ClassGroup[] = [];
      const seats = [...s.seats.keys()];
      const dealt = assign === "random" ? dealIntoGroups(seats, groups.length, randomInt) : groups.map(() => []);
      for (const [i, { name }] of groups.entries()) {
        const title = Object.fromEntries(languages.map((l) => [l, name]));
        const id = await g.freeAddressFor(addressFromTitle({ en: `${name} ${s.exhibition}` }));
        let doc: Exhibition;
        try {
          const start = exhibitionFromTemplate(kit.template, { id, title, ...(kit.task ? { intro: { [languages[0]!]: kit.task } } : {}), languages, owner: { kind: "person", id: personOwnerId(u) }, museums: [] });
          doc = placeKit(start, kit.template, items);
        } catch (e) {
          throw new DomainError("unprocessable", (e as Error).message);
        }
        await g.storeNewExhibition(doc);
        made.push({ id: `g${i + 1}`, name, show: id, members: dealt[i]!, locked: false, comment: null, task: kit.task ? kit.task : null });
      }
      const refusal = await registry.createGroups(s, made, assign === "choice");
      // Another request made the groups meanwhile: these shows stay the teacher's, unused by the class.
      if (refusal) throw new DomainError("conflict", refusal, { field: "groups" });
      return reply.code(201).send(await answer(s));
    },
  );

  app.post(
    "/api/classes/:id/groups/:group/publish",
    {
      schema: {
        summary:
          "Publish a group's show to the class gallery (its teacher): the show is published like any (refused with 409 and the items whose licences forbid public display) and added to the class gallery, a shared folder of the teacher's whose read-only link every student of the class is shown",
        tags: ["classes"],
        params: z.object({ id: z.string().max(64), group: groupId }),
      },
    },
    async (request) => {
      const u = g.requireUser(request);
      const s = await g.requireTeachersClass(request.params.id, request);
      const group = s.state.groups?.find((gr) => gr.id === request.params.group);
      if (!group) throw fieldError("not-found", "group", `the class has no group "${request.params.group}"`);
      if (s.state.ended) throw new DomainError("gone", "This class has ended: publish its groups' shows from the studio.");
      await g.setPublished(u, group.show, true);
      // One class gallery per class: two publishes at once must not make two folders.
      return galleryLock.run(s.id, async () => {
        let gallery = s.state.gallery ?? null;
        if (!gallery) {
          const doc = await g.requireDocument(s.exhibition);
          const name = `${pickText(doc.meta.title, doc.meta.languages[0] ?? "en").slice(0, 50)} · ${new Date(s.createdAt).toISOString().slice(0, 10)}`;
          const folder = await folders.create(u.id, name);
          const code = await folders.setShared(u.id, folder.id, true);
          gallery = { folder: folder.id, link: `/f/${code}` };
        }
        const show = await g.requireDocument(group.show);
        await folders.add(u.id, gallery.folder, group.show, null, show.meta.title);
        const kept = gallery;
        await registry.setState(s, (state) => ({ ...state, gallery: state.gallery ?? kept, groups: (state.groups ?? []).map((gr) => (gr.id === group.id ? { ...gr, published: true } : gr)) }));
        return { gallery: (s.state.gallery ?? kept).link, show: group.show, published: true };
      });
    },
  );

  app.get(
    "/api/classes/:id/groups",
    { schema: { summary: "The class's groups for its teacher's grid: members (nicknames; on the class page, in the studio), lock, comment and each show's progress (objects placed, labels written, notes, tour steps, a floor plan of its first room)", tags: ["classes"], params: idParams } },
    async (request) => answer(await g.requireTeachersClass(request.params.id, request)),
  );
};

/**
 * A group's show with the kit on it: in the one room of "micro" and "empty"; in "two-museum", the
 * first museum's objects in the first room and every other museum's in the second (a joint show
 * in small: the group writes how the two collections answer each other).
 */
function placeKit(start: Exhibition, template: TemplateId, items: PlaceableItem[]): Exhibition {
  if (items.length === 0) return start;
  if (template !== "two-museum") return placeAll(start, "main", items, (n) => `p${n + 1}`);
  const first = items[0]!.item.institution;
  const a = items.filter((e) => e.item.institution === first);
  const b = items.filter((e) => e.item.institution !== first);
  const inA = placeAll(start, "room-a", a, (n) => `p${n + 1}`);
  return b.length > 0 ? placeAll(inA, "room-b", b, (n) => `p${a.length + n + 1}`) : inA;
}
