import { useState, type FormEvent } from "react";
import { FormPage } from "./FormPage";
import { navigate } from "../state/router";
import { useT } from "../i18n/strings";
import { useSession } from "./session";
import { api } from "../api/client";

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
      const field = (name: string) => String(form.get(name) ?? "");
      if (mode === "signin") await api.signIn({ email: field("email"), password: field("password") });
      else await api.register({ email: field("email"), password: field("password"), name: field("name") });
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
