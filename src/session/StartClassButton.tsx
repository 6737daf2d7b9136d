import { useState } from "react";
import { navigate } from "../state/router";
import { useSignedIn } from "../account/session";
import { api } from "../api/client";
import { useT } from "../i18n/strings";

/**
 * "Start a class" for a signed-in teacher: starts a class session on this exhibition and turns
 * the page into the teacher's view of it (`?class=<session>`), with the code, QR code and roster.
 */
export function StartClassButton({ exhibition }: { exhibition: string }) {
  const t = useT();
  const { me } = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  if (!me) return null;
  const start = async () => {
    setError(null);
    try {
      const info = await api.startClass(exhibition);
      const params = new URLSearchParams(window.location.search);
      params.set("class", info.id);
      navigate(`${window.location.pathname}?${params}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <button className="start-class" onClick={start}>
        {t("startClass")}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
