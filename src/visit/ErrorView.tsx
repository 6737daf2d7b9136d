import { useT } from "../i18n/strings";
import { navigate } from "../state/router";
import type { LoadFailure } from "./load-exhibition";

/** A clear page for an exhibition that cannot be shown: which file, which fields, and a way back. */
export function ErrorView({ failure }: { failure: LoadFailure }) {
  const t = useT();
  return (
    <main className="page error-page" role="alert" data-error-kind={failure.kind}>
      <h1>{failure.kind === "not-found" ? t("notFound") : t("cannotOpen")}</h1>
      {failure.kind === "invalid" ? (
        <>
          <p className="error-file">
            <code>{failure.file}</code>
          </p>
          <ul className="error-problems">
            {failure.problems.length === 0 && <li>{failure.message}</li>}
            {failure.problems.map((p, i) => (
              <li key={i}>
                <code className="error-field">{p.field || "(document)"}</code> {p.message}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{failure.message}</p>
      )}
      <p>
        <a href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
          ← {t("backToList")}
        </a>
      </p>
    </main>
  );
}
