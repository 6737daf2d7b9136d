import { useState, type FormEvent } from "react";
import { FormPage } from "../app/FormPage";
import { navigate } from "../app/router";
import { useT } from "../i18n/strings";
import { postJson, useSession } from "./session";

/** `/signin[?next=/path]`: sign in, or create an account. */
export function SignInPage() {
  const t = useT();
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = new URLSearchParams(window.location.search).get("next") ?? "/";
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const body = { email: form.get("email"), password: form.get("password"), ...(mode === "signup" ? { name: form.get("name") } : {}) };
      await postJson(mode === "signin" ? "/api/sessions" : "/api/accounts", body);
      await useSession.getState().refresh();
      navigate(next.startsWith("/") ? next : "/");
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormPage title={mode === "signin" ? t("signIn") : t("createAccount")}>
      <form onSubmit={submit} className="account-form">
        {mode === "signup" && (
          <label>
            {t("yourName")}
            <input name="name" required autoComplete="name" />
          </label>
        )}
        <label>
          {t("email")}
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          {t("password")}
          <input name="password" type="password" required minLength={mode === "signup" ? 10 : 1} autoComplete={mode === "signin" ? "current-password" : "new-password"} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {mode === "signin" ? t("signIn") : t("createAccount")}
        </button>
      </form>
      <p>
        <button className="link" type="button" onClick={() => setMode(mode === "signin" ? "signup" : "signin")}>
          {mode === "signin" ? t("noAccountYet") : t("haveAccount")}
        </button>
      </p>
    </FormPage>
  );
}
