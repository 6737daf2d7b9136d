import { useEffect, useState } from "react";
import { navigate } from "../state/router";
import { pickText } from "../shared/exhibition";
import { useT, type StringKey } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { useSignedIn } from "./session";
import { api, type InviteInfo } from "../api/client";

/** `/invite/<token>`: accepts an invitation to an exhibition (signing in first if needed). */
export function InvitePage({ token }: { token: string }) {
  const t = useT();
  const { me, known } = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<InviteInfo | null>(null);
  const language = useLocalStore((s) => s.language);
  useEffect(() => {
    api.inviteInfo(token).then(setInfo, (e: Error) => setError(e.message));
  }, [token]);
  const what = info && (
    <p className="invite-what">
      <strong>{pickText(info.title, language, info.languages)}</strong> · {t(`role_${info.role}` as StringKey)}
    </p>
  );
  if (!known) return <main className="page">{t("loading")}…</main>;
  if (!me)
    return (
      <main className="page form-page">
        <h1>{t("invitation")}</h1>
        {what}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <p>{t("signInToAccept")}</p>
        <button className="primary" onClick={() => navigate(`/signin?next=${encodeURIComponent(`/invite/${token}`)}`)}>
          {t("signIn")}
        </button>
      </main>
    );
  const accept = async () => {
    try {
      const r = await api.acceptInvite(token);
      navigate(`/visit/${r.exhibition}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <main className="page form-page">
      <h1>{t("invitation")}</h1>
      {what}
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
