import { z } from "zod";
import { GROUP_LIMITS, groupName } from "../class-protocol";
import type { GroupProgress } from "../class-groups";
import { recordId, TEMPLATE_IDS } from "../exhibition";

/**
 * Group co-curation (`/api/classes/<id>/groups`, issue 22): the teacher splits a running class into
 * groups, each given a new show made from the kit; the teacher's grid reads every group's
 * progress. Shared by the server (validation, OpenAPI) and the app (types).
 */

/** The kit every group starts from: objects (the class's show's items, or catalogue entries), a template, a task. */
export const groupKit = z
  .object({
    /** Item ids of the class's own exhibition. */
    objects: z.array(recordId).max(GROUP_LIMITS.kitItems).default([]),
    /** Catalogue entry ids (what the studio's catalogue lists). */
    catalogue: z.array(z.string().min(1).max(120)).max(GROUP_LIMITS.kitItems).default([]),
    /** Every group's show: a micro-exhibition, two connected rooms (the first museum's objects in the first, the others' in the second), or an empty room. */
    template: z.enum(TEMPLATE_IDS).default("micro"),
    /** The task or question every group works on, in the teacher's words. */
    task: z
      .string()
      .trim()
      .max(GROUP_LIMITS.task, `a task has at most ${GROUP_LIMITS.task} characters`)
      .optional(),
  })
  .strict()
  .superRefine((k, ctx) => {
    if (k.objects.length + k.catalogue.length > GROUP_LIMITS.kitItems) ctx.addIssue({ code: "custom", path: ["objects"], message: `a kit holds at most ${GROUP_LIMITS.kitItems} objects` });
  });

/** How students get into groups: dealt at random now (those who have joined), by the teacher's hand, or by their own choice. */
export const groupAssign = z.enum(["random", "hand", "choice"]);

export const createGroupsBody = z
  .object({
    groups: z
      .array(z.object({ name: groupName }).strict())
      .min(2, "make at least 2 groups")
      .max(GROUP_LIMITS.perClass, `a class has at most ${GROUP_LIMITS.perClass} groups`),
    assign: groupAssign,
    kit: groupKit,
  })
  .strict();
export type CreateGroupsBody = z.input<typeof createGroupsBody>;

/** One group in the teacher's grid: who is in it and how far its show has come. */
export interface GroupView {
  id: string;
  name: string;
  show: string;
  locked: boolean;
  comment: string | null;
  /** Published to the class gallery. */
  published: boolean;
  /** `connected`: on the class page; `editing`: in the group's show in the studio (its presence in the live room). */
  members: { id: string; nickname: string; connected: boolean; editing: boolean }[];
  /** Null when the show could not be read. */
  progress: GroupProgress | null;
}

/** Answer of `POST` and `GET /api/classes/<id>/groups`. */
export interface GroupsAnswer {
  groups: GroupView[];
  /** Students may choose their group. */
  choice: boolean;
  /** The class gallery's read-only link (`/f/<code>`), once a group's show is published to it. */
  gallery: string | null;
  /** Students in no group (their ids and nicknames). */
  unassigned: { id: string; nickname: string }[];
}
