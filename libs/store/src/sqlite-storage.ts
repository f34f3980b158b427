import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { UserInputError } from '@edgefit/core';
import type { SamplerState, StudyRecord, StudyStorage, TrialRecord } from '@edgefit/search';
import { migrate } from './migrations.js';

export const DEFAULT_DB_PATH = '.edgefit/edgefit.db';

/**
 * StudyStorage on SQLite (better-sqlite3). WAL mode so readers (the API,
 * the dashboard) never block the writer; every checkpoint (trial + sampler
 * state) is one transaction, so a crash leaves either both or neither.
 * Records are stored as JSON, with the columns queries need beside them.
 */
export class SqliteStudyStorage implements StudyStorage {
  readonly db: Database.Database;
  private readonly stmts;
  private readonly checkpointTx: (studyId: string, trial: TrialRecord, state: SamplerState) => void;

  constructor(readonly path: string = DEFAULT_DB_PATH) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // durable at checkpoints in WAL mode, much faster than FULL
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.stmts = {
      insertStudy: this.db.prepare('INSERT INTO studies (id, name, record, created_at) VALUES (?, ?, ?, ?)'),
      getStudy: this.db.prepare('SELECT record FROM studies WHERE id = ?'),
      listStudies: this.db.prepare('SELECT record FROM studies ORDER BY created_at, id'),
      upsertTrial: this.db.prepare(
        `INSERT INTO trials (study_id, number, state, config_hash, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (study_id, number) DO UPDATE SET state = excluded.state, config_hash = excluded.config_hash, record = excluded.record`,
      ),
      trials: this.db.prepare('SELECT record FROM trials WHERE study_id = ? ORDER BY number'),
      upsertState: this.db.prepare(
        `INSERT INTO sampler_states (study_id, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (study_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      ),
      getState: this.db.prepare('SELECT state FROM sampler_states WHERE study_id = ?'),
    };
    this.checkpointTx = this.db.transaction((studyId: string, trial: TrialRecord, state: SamplerState) => {
      this.saveTrial(studyId, trial);
      this.saveSamplerState(studyId, state);
    });
  }

  createStudy(study: StudyRecord): void {
    try {
      this.stmts.insertStudy.run(study.id, study.name, JSON.stringify(study), study.createdAt);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new UserInputError(`study '${study.id}' already exists`, { cause: err });
      throw err;
    }
  }

  loadStudy(id: string): StudyRecord | undefined {
    const row = this.stmts.getStudy.get(id) as { record: string } | undefined;
    return row && (JSON.parse(row.record) as StudyRecord);
  }

  listStudies(): StudyRecord[] {
    return (this.stmts.listStudies.all() as { record: string }[]).map((r) => JSON.parse(r.record) as StudyRecord);
  }

  saveTrial(studyId: string, trial: TrialRecord): void {
    this.stmts.upsertTrial.run(studyId, trial.number, trial.state, trial.configHash, JSON.stringify(trial));
  }

  loadTrials(studyId: string): TrialRecord[] {
    return (this.stmts.trials.all(studyId) as { record: string }[]).map((r) => JSON.parse(r.record) as TrialRecord);
  }

  saveSamplerState(studyId: string, state: SamplerState): void {
    this.stmts.upsertState.run(studyId, JSON.stringify(state), new Date().toISOString());
  }

  loadSamplerState(studyId: string): SamplerState | undefined {
    const row = this.stmts.getState.get(studyId) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as SamplerState);
  }

  checkpoint(studyId: string, trial: TrialRecord, state: SamplerState): void {
    this.checkpointTx(studyId, trial, state);
  }

  close(): void {
    this.db.close();
  }
}
