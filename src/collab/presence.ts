import type { Awareness } from "y-protocols/awareness";
import type { Vec3 } from "../shared/exhibition";

/** Who a collaborator is, as others see them. */
export interface PresenceUser {
  id: string;
  name: string;
  /** `#rrggbb`, stable per user, used for their cursor and selection outline. */
  colour: string;
  /** The museum they work for, if any (shown next to their name). */
  institution?: string;
}

/**
 * What one collaborator shares, never persisted: where their pointer is in the 3D room, what
 * they have selected and which text they are editing.
 */
export interface PresenceState {
  user: PresenceUser;
  room?: string | null;
  /** World point under their pointer in `room`, or null when off the scene. */
  cursor?: Vec3 | null;
  /** Placement they have selected. */
  selection?: string | null;
  /** Item whose texts they are editing. */
  editing?: string | null;
  /** Caret and selection in a co-written text (`coTextName`), shown to co-writers in this person's colour. */
  caret?: PresenceCaret | null;
  /** Role on the exhibition, so others know who may change things. */
  role?: string;
}

/** A caret in a co-written text: the text's name and the selection's ends (UTF-16 offsets; equal for a caret). */
export interface PresenceCaret {
  text: string;
  anchor: number;
  head: number;
}

/** Another person in the same exhibition. */
export interface Peer extends PresenceState {
  clientId: number;
}

const COLOURS = ["#d9480f", "#1971c2", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#e03131", "#5f3dc4"];

/** A colour for `userId`, the same in every tab and for every viewer. */
export function colourFor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}

/**
 * Typed presence over Yjs awareness (the y-websocket protocol carries it; the server relays it
 * and drops it when a connection closes). Reading peers allocates; it is called on awareness
 * changes, not per frame.
 */
export class Presence {
  private peersCache: Peer[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly onChange = () => {
    this.peersCache = this.computePeers();
    for (const l of this.listeners) l();
  };

  constructor(readonly awareness: Awareness) {
    awareness.on("change", this.onChange);
  }

  /** Sets who this tab is; until then it shares nothing. */
  join(user: PresenceUser, extra: Omit<PresenceState, "user"> = {}): void {
    this.awareness.setLocalState({ user, ...extra } satisfies PresenceState);
  }

  /** Changes part of this tab's presence (cursor, selection...). */
  update(change: Partial<Omit<PresenceState, "user">>): void {
    const current = this.awareness.getLocalState() as PresenceState | null;
    if (!current) return;
    let same = true;
    for (const [k, v] of Object.entries(change)) if (JSON.stringify(current[k as keyof PresenceState]) !== JSON.stringify(v)) same = false;
    if (!same) this.awareness.setLocalState({ ...current, ...change });
  }

  /** Everyone else here, by client id (a person with two tabs appears twice). */
  peers = (): Peer[] => this.peersCache;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private computePeers(): Peer[] {
    const out: Peer[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      const s = state as Partial<PresenceState>;
      if (!s.user || typeof s.user.name !== "string") continue;
      out.push({ ...(s as PresenceState), clientId });
    }
    return out.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
  }

  destroy(): void {
    this.awareness.off("change", this.onChange);
    this.awareness.setLocalState(null);
    this.listeners.clear();
  }
}
