import { useState, type FormEvent } from "react";
import { FormPage } from "../account/FormPage";
import { navigate } from "../state/router";
import { api } from "../api/client";
import { useT } from "../i18n/strings";
import { CODE_LENGTH } from "../shared/class-protocol";
import { storeSeat } from "../state/class-seat";

/**
 * `/join` and `/join/<code>` (the link and QR code lead here): a student types the class code
 * and a nickname, and goes into the class's exhibition. The seat token stays in this tab.
 */
export function JoinPage({ code }: { code: string | null }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const answer = await api.joinClass({ code: String(form.get("code") ?? ""), nickname: String(form.get("nickname") ?? "") });
      storeSeat(answer.session, { token: answer.token, seat: answer.seat, nickname: answer.nickname, teacher: answer.teacher, exhibition: answer.exhibition });
      navigate(`/visit/${encodeURIComponent(answer.exhibition)}?class=${encodeURIComponent(answer.session)}`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <FormPage title={t("joinClass")} className="join-page">
      <p>{t("joinLead")}</p>
      <form onSubmit={submit} className="account-form">
        <label>
          {t("classCode")}
          <input name="code" required defaultValue={code ?? ""} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={CODE_LENGTH + 2} className="code-input" />
        </label>
        <label>
          {t("nickname")}
          <input name="nickname" required maxLength={24} autoComplete="nickname" autoFocus={!!code} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {t("join")}
        </button>
      </form>
    </FormPage>
  );
}
