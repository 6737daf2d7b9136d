import { useEffect, useState } from "react";
import { navigate } from "../app/router";
import { useT } from "../i18n/strings";
import { postJson, useSession } from "./session";

/** `/invite/<token>`: accepts an invitation to an exhibition (signing in first if needed). */
export function InvitePage({ token }: { token: string }) {
  const t = useT();
  const { me, known } = useSession();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!known) void useSession.getState().refresh();
  }, [known]);
  if (!known) return <main className="page">{t("loading")}…</main>;
  if (!me)
    return (
      <main className="page form-page">
        <h1>{t("invitation")}</h1>
        <p>{t("signInToAccept")}</p>
        <button className="primary" onClick={() => navigate(`/signin?next=${encodeURIComponent(`/invite/${token}`)}`)}>
          {t("signIn")}
        </button>
      </main>
    );
  const accept = async () => {
    try {
      const r = await postJson<{ exhibition: string; role: string }>(`/api/invites/${encodeURIComponent(token)}/accept`);
      navigate(`/visit/${r.exhibition}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <main className="page form-page">
      <h1>{t("invitation")}</h1>
      <p>
        {t("signedInAs")} <strong>{me.user.name}</strong> ({me.user.email})
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="primary accept-invite" onClick={accept}>
        {t("acceptInvite")}
      </button>
    </main>
  );
}
