import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addComment, commentsOn, concerns, deleteComment, editComment, isResolved, mentionsIn, setThreadResolved, threadsOf, unreadIn, type Comment } from "../../src/collab";

const c = (id: string, author: string, at: number, extra: Partial<Comment> = {}): Comment => ({ id, item: "bowl", author, authorName: author, text: `${id} text`, at, ...extra });

describe("comment threads", () => {
  it("finds the members a comment names, longest name first, each once, never an unknown name", () => {
    const people = [
      { id: "u-ana", name: "Ana" },
      { id: "u-ana-lee", name: "Ana Lee" },
      { id: "u-lin", name: "老師林" },
    ];
    expect(mentionsIn("@Ana Lee and @ana, please", people)).toEqual(["u-ana-lee", "u-ana"]);
    expect(mentionsIn("請@老師林看看 @老師林", people)).toEqual(["u-lin"]);
    expect(mentionsIn("mail me at x@example.org or @Mallory", people)).toEqual([]);
  });

  it("edits keep the time, delete removes, and a thread is resolved until someone writes after it", () => {
    const ydoc = new Y.Doc();
    addComment(ydoc, c("c1", "ana", 10));
    addComment(ydoc, c("c2", "bo", 20, { mentions: ["ana"] }));
    const edited = editComment(ydoc, "c1", "Better words", [], 30);
    expect(edited).toMatchObject({ at: 10, edited: 30, text: "Better words" });
    setThreadResolved(ydoc, { item: "bowl", resolved: true, by: "bo", byName: "Bo", at: 40 });
    let [thread] = threadsOf(ydoc);
    expect(isResolved(thread!)).toBe(true);
    addComment(ydoc, c("c3", "lin", 50));
    [thread] = threadsOf(ydoc);
    expect(isResolved(thread!)).toBe(false); // a new question reopens it
    deleteComment(ydoc, "c3");
    expect(commentsOn(ydoc, "bowl").map((x) => x.id)).toEqual(["c1", "c2"]);
  });

  it("counts what a member has not read and says which comments concern them", () => {
    const ydoc = new Y.Doc();
    addComment(ydoc, c("c1", "ana", 10));
    addComment(ydoc, c("c2", "bo", 20));
    addComment(ydoc, c("c3", "lin", 30, { mentions: ["bo"] }));
    const [t] = threadsOf(ydoc);
    expect(unreadIn(t!, "ana", 10).map((x) => x.id)).toEqual(["c2", "c3"]);
    expect(unreadIn(t!, "ana", 30)).toEqual([]);
    expect(concerns(t!.comments[1]!, t!, "ana")).toBe("reply");
    expect(concerns(t!.comments[2]!, t!, "bo")).toBe("mention");
    expect(concerns(t!.comments[0]!, t!, "bo")).toBeNull();
    expect(concerns(t!.comments[1]!, t!, "bo")).toBeNull(); // one's own
  });
});
