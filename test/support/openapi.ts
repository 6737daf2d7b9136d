import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import type { ServerAddress } from "./api-session";

/**
 * Checks real answers against the schemas `/api/openapi.json` documents for them, so the
 * documentation cannot drift from what the server sends.
 */
export async function documentedAnswers(server: ServerAddress) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OpenAPI document is read as JSON
  const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as any;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  return {
    doc,
    /** Asserts `answer` satisfies the documented body of `method path` with `status`. */
    check(path: string, method: string, status: string, answer: unknown) {
      const schema = doc.paths[path]?.[method]?.responses?.[status]?.content?.["application/json"]?.schema;
      expect(schema, `${method} ${path} ${status} is documented`).toBeDefined();
      const validate = ajv.compile(schema);
      expect(validate(answer) ? [] : validate.errors, `${method} ${path} ${status}`).toEqual([]);
    },
    /** Whether `answer` satisfies the documented body (for negative checks). */
    accepts(path: string, method: string, status: string, answer: unknown): boolean {
      return ajv.compile(doc.paths[path][method].responses[status].content["application/json"].schema)(answer);
    },
  };
}
