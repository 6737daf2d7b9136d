import { z } from "zod";
import { recordId, vec3 } from "../exhibition";

/**
 * What a presence state may hold, checked by the sync server before it relays one (a few hundred
 * bytes; unknown fields are dropped). Its `user.id` must be the sender's own account.
 */
export const presenceState = z.object({
  user: z.object({
    id: z.string().min(1).max(64),
    name: z.string().max(120),
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    institution: z.string().max(200).optional(),
  }),
  room: recordId.nullable().optional(),
  cursor: vec3.nullable().optional(),
  selection: recordId.nullable().optional(),
  editing: recordId.nullable().optional(),
  /** Where their caret and selection are in a co-written text (its layout name; UTF-16 offsets). */
  caret: z
    .object({ text: z.string().max(160), anchor: z.number().int().min(0).max(100_000), head: z.number().int().min(0).max(100_000) })
    .nullable()
    .optional(),
  role: z.enum(["owner", "curator", "commenter", "viewer"]).optional(),
});
