import { useState, type FormEvent } from "react";
import { useT } from "../i18n/strings";
import { navigate } from "../state/router";

/** A field and a button that make a new folder (the save menu and the folders page). */
export function NewFolderForm({ busy, onCreate }: { busy: boolean; onCreate: (name: string) => Promise<unknown> }) {
  const t = useT();
  const [name, setName] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (n) void onCreate(n).then(() => setName(""));
  };
  return (
    <form className="new-folder" onSubmit={submit}>
      <input name="folder-name" aria-label={t("folderName")} placeholder={t("newFolder")} maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" disabled={busy || !name.trim()}>
        {t("create")}
      </button>
    </form>
  );
}

/** The folders pages' header: home, and the public gallery. */
export function FoldersHeader() {
  const t = useT();
  return (
    <header className="home-header">
      <a className="brand" href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
        Atrium
      </a>
      <a className="explore-link" href="/explore" onClick={(e) => (e.preventDefault(), navigate("/explore"))}>
        {t("explore")}
      </a>
    </header>
  );
}
