import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order inside one transaction each and
 * recorded in `schema_version`, so opening a database any number of times
 * (or an older one) is safe. Append new steps; never edit old ones.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE studies (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        record TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE trials (
        study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        state TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (study_id, number)
      );
      CREATE INDEX trials_by_hash ON trials(study_id, config_hash);
      CREATE TABLE sampler_states (
        study_id TEXT PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];

export function migrate(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
    })();
  }
  return MIGRATIONS.at(-1)?.version ?? 0;
}
