/**
 * A student's seat in a class, as this tab holds it: in sessionStorage (this tab only, never a
 * cookie), written by the join page and read by the visit page and, in a group's show, the studio.
 */

/** What a tab keeps of its seat. */
export interface StoredSeat {
  token: string;
  /** The seat's id (the class names members of groups by it); empty for seats kept before groups. */
  seat: string;
  nickname: string;
  teacher: string;
  /** The class's own show (the studio of a group's show links back to it); empty when not kept. */
  exhibition: string;
}

/** Where a student's seat token is kept. */
export const seatKey = (session: string) => `atrium.class.${session}`;

/** Keeps the seat this tab joined `session` with. */
export function storeSeat(session: string, seat: StoredSeat): void {
  sessionStorage.setItem(seatKey(session), JSON.stringify(seat));
}

/**
 * The seat this tab holds in the class named by the page's `?class=` (a group's show opened in the
 * studio from a seat), with that class's id; null without one. The server decides what it may do.
 */
export function pageSeat(): (StoredSeat & { session: string }) | null {
  const session = new URLSearchParams(window.location.search).get("class");
  const seat = session ? storedSeat(session) : null;
  return seat ? { ...seat, session: session! } : null;
}

/** The seat this tab holds in `session`, if any. */
export function storedSeat(session: string): StoredSeat | null {
  try {
    const raw = sessionStorage.getItem(seatKey(session));
    const v = raw ? (JSON.parse(raw) as { token?: unknown; seat?: unknown; nickname?: unknown; teacher?: unknown; exhibition?: unknown }) : null;
    return v && typeof v.token === "string" ? { token: v.token, seat: String(v.seat ?? ""), nickname: String(v.nickname ?? ""), teacher: String(v.teacher ?? ""), exhibition: String(v.exhibition ?? "") } : null;
  } catch {
    return null;
  }
}
