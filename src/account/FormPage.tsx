import type { ReactNode } from "react";
import { navigate } from "../state/router";

/** A small page with one form (sign in, join a class): the Atrium name linking home, a heading. */
export function FormPage({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <main className={`page form-page${className ? ` ${className}` : ""}`}>
      <p className="brand">
        <a href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
          Atrium
        </a>
      </p>
      <h1>{title}</h1>
      {children}
    </main>
  );
}
