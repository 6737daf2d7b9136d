import pg, { type Pool, type PoolClient } from "pg";

/** One step of the PostgreSQL schema. Steps are applied once, in order, and never edited after release. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, as versioned steps (docs/ARCHITECTURE.md, "Scaled mode"). A new table or
 * column is a new step at the end; a released step is never changed, so every installation
 * reaches the same schema whatever version it started from.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "documents: update log and named versions",
    sql: `
      CREATE TABLE doc_updates (
        seq  BIGSERIAL PRIMARY KEY,
        doc  TEXT NOT NULL,
        data BYTEA NOT NULL
      );
      CREATE INDEX doc_updates_by_doc ON doc_updates (doc, seq);
      CREATE TABLE doc_versions (
        id      BIGSERIAL PRIMARY KEY,
        doc     TEXT NOT NULL,
        name    TEXT NOT NULL,
        author  TEXT NOT NULL,
        at      BIGINT NOT NULL,
        content TEXT NOT NULL
      );
      CREATE INDEX doc_versions_by_doc ON doc_versions (doc, id);
    `,
  },
  {
    version: 2,
    name: "class sessions and their seats",
    sql: `
      CREATE TABLE class_sessions (
        id              TEXT PRIMARY KEY,
        code            TEXT NOT NULL,
        exhibition      TEXT NOT NULL,
        teacher_id      TEXT NOT NULL,
        teacher_name    TEXT NOT NULL,
        created_at      BIGINT NOT NULL,
        code_expires_at BIGINT NOT NULL,
        ended_at        BIGINT,
        state           JSONB NOT NULL,
        joined          INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX class_sessions_live_code ON class_sessions (code) WHERE ended_at IS NULL;
      CREATE INDEX class_sessions_by_code ON class_sessions (code, created_at);
      CREATE TABLE class_seats (
        token       TEXT PRIMARY KEY,
        id          TEXT NOT NULL,
        session     TEXT NOT NULL REFERENCES class_sessions (id) ON DELETE CASCADE,
        nickname    TEXT NOT NULL,
        hand_raised BOOLEAN NOT NULL DEFAULT false,
        seq         BIGSERIAL
      );
      CREATE INDEX class_seats_by_session ON class_seats (session, seq);
    `,
  },
  {
    version: 3,
    name: "accounts, sessions, museums, memberships, invites and the audit log",
    // The same tables as the embedded SQLite file (server/accounts/account-store.ts), with
    // timestamps (milliseconds) as BIGINT.
    sql: `
      CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password TEXT NOT NULL, is_admin INTEGER NOT NULL DEFAULT 0, created BIGINT NOT NULL);
      CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, expires BIGINT NOT NULL);
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE museums (id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE museum_members (museum_id TEXT NOT NULL REFERENCES museums (id) ON DELETE CASCADE, user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, role TEXT NOT NULL, PRIMARY KEY (museum_id, user_id));
      CREATE INDEX museum_members_by_user ON museum_members (user_id);
      CREATE TABLE exhibitions (id TEXT PRIMARY KEY, owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL, published INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL DEFAULT '{}', created BIGINT NOT NULL);
      CREATE TABLE exhibition_members (exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, role TEXT NOT NULL, PRIMARY KEY (exhibition_id, user_id));
      CREATE TABLE invites (token_hash TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, role TEXT NOT NULL, created_by TEXT NOT NULL, expires BIGINT NOT NULL);
      CREATE TABLE pending_members (email TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, role TEXT NOT NULL, added_by TEXT NOT NULL, created BIGINT NOT NULL, PRIMARY KEY (email, kind, target));
      CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}');
      CREATE INDEX audit_log_target ON audit_log (target, id);
    `,
  },
  {
    version: 4,
    name: "catalogue entries of uploads and imports",
    sql: `
      CREATE TABLE catalogue_entries (id TEXT PRIMARY KEY, museum TEXT NOT NULL, entry TEXT NOT NULL, updated BIGINT NOT NULL);
      CREATE INDEX catalogue_entries_by_museum ON catalogue_entries (museum);
    `,
  },
  {
    version: 5,
    name: "short links of shows and artefacts",
    sql: `
      CREATE TABLE short_links (code TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, placement TEXT NOT NULL DEFAULT '', created BIGINT NOT NULL, UNIQUE (exhibition_id, placement));
    `,
  },
  {
    version: 6,
    name: "visit statistics: counts, close-up times, daily visitor hashes and the day's salt",
    sql: `
      CREATE TABLE visit_salts (day TEXT PRIMARY KEY, salt TEXT NOT NULL);
      CREATE TABLE visit_counts (exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, day TEXT NOT NULL, placement TEXT NOT NULL, metric TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (exhibition_id, day, placement, metric));
      CREATE TABLE visit_dwell (exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, day TEXT NOT NULL, placement TEXT NOT NULL, bucket INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (exhibition_id, day, placement, bucket));
      CREATE TABLE visit_visitors (exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, day TEXT NOT NULL, visitor TEXT NOT NULL, PRIMARY KEY (exhibition_id, day, visitor));
    `,
  },
  {
    version: 7,
    name: "visitor surveys and their answers",
    sql: `
      CREATE TABLE surveys (exhibition_id TEXT PRIMARY KEY REFERENCES exhibitions (id) ON DELETE CASCADE, enabled INTEGER NOT NULL, questions TEXT NOT NULL, updated BIGINT NOT NULL);
      CREATE TABLE survey_answers (id BIGSERIAL PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, day TEXT NOT NULL, answers TEXT NOT NULL);
      CREATE INDEX survey_answers_by_day ON survey_answers (exhibition_id, day);
    `,
  },
  {
    version: 8,
    name: "collection folders and what is saved in them",
    sql: `
      CREATE TABLE folders (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, name TEXT NOT NULL, share_code TEXT UNIQUE, created BIGINT NOT NULL, updated BIGINT NOT NULL);
      CREATE INDEX folders_by_owner ON folders (owner_id);
      CREATE TABLE folder_entries (folder_id TEXT NOT NULL REFERENCES folders (id) ON DELETE CASCADE, id TEXT NOT NULL, position INTEGER NOT NULL, exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, placement TEXT NOT NULL DEFAULT '', title TEXT NOT NULL, added BIGINT NOT NULL, PRIMARY KEY (folder_id, id), UNIQUE (folder_id, exhibition_id, placement));
    `,
  },
  {
    version: 9,
    name: "questions asked in class sessions and their answers by seat",
    sql: `
      ALTER TABLE class_sessions ADD COLUMN questions JSONB NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 10,
    name: "teachers' answers after their classes",
    sql: `
      CREATE TABLE teacher_surveys (class_id TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions (id) ON DELETE CASCADE, day TEXT NOT NULL, score INTEGER NOT NULL, comment TEXT);
      CREATE INDEX teacher_surveys_by_day ON teacher_surveys (exhibition_id, day);
    `,
  },
  {
    version: 11,
    name: "the lesson plan a teacher's class ran, beside their answer",
    sql: `
      ALTER TABLE teacher_surveys ADD COLUMN lesson_plan TEXT;
    `,
  },
  {
    version: 12,
    name: "several classrooms in one class: a join code per classroom, the classroom of each seat",
    sql: `
      ALTER TABLE class_seats ADD COLUMN classroom TEXT NOT NULL DEFAULT 'r1';
      CREATE TABLE class_codes (code TEXT NOT NULL, session TEXT NOT NULL REFERENCES class_sessions (id) ON DELETE CASCADE, classroom TEXT NOT NULL, live BOOLEAN NOT NULL DEFAULT TRUE, created_at BIGINT NOT NULL);
      CREATE UNIQUE INDEX class_codes_live ON class_codes (code) WHERE live;
      CREATE INDEX class_codes_by_code ON class_codes (code, created_at);
      INSERT INTO class_codes (code, session, classroom, live, created_at) SELECT code, id, 'r1', ended_at IS NULL, created_at FROM class_sessions;
    `,
  },
];

/** An arbitrary constant: the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 7_203_114;

/**
 * Brings the database's schema up to date, each step in its own transaction, recorded in
 * `schema_migrations`. Safe when several processes start at once: they take turns, and the
 * later ones find nothing left to do. Returns the versions it applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const done = new Set((await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await inTransaction(client, async () => {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      });
      applied.push(m.version);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}

/** A connection pool to `url` with the schema brought up to date (closed again if that fails). */
export async function openMigratedPool(url: string, maxConnections = 4): Promise<Pool> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections });
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
  return pool;
}

/** Runs `work` in a transaction on `client`: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  }
}
