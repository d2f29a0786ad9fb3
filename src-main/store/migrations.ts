/**
 * Versioned schema migrations. `PRAGMA user_version` holds the number of migrations applied; each
 * migration runs in its own transaction. Never edit a released migration: append a new one.
 */
import type Database from 'better-sqlite3'

export type Migration = (db: Database.Database) => void

export const MIGRATIONS: Migration[] = [
  // 1: datasets with their column data, runs and per-epoch metrics.
  (db) => {
    db.exec(`
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('series', 'text')),
        source TEXT NOT NULL,
        rows INTEGER NOT NULL,
        columns_json TEXT NOT NULL,
        params_json TEXT,
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX datasets_hash ON datasets(hash);
      CREATE TABLE dataset_columns (
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (dataset_id, position)
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
        dataset_hash TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        config_json TEXT NOT NULL,
        backend TEXT,
        backend_attempts_json TEXT,
        app_version TEXT NOT NULL,
        tfjs_version TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        error TEXT,
        metrics_json TEXT,
        predictions_json TEXT
      );
      CREATE TABLE run_epochs (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        loss REAL NOT NULL,
        val_loss REAL,
        elapsed_ms REAL NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );
    `)
  },
  // 2: the seed and parameter count as queryable columns (backfilled from the stored config),
  //    indexes for the run list, and a settings table.
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN seed INTEGER;
      ALTER TABLE runs ADD COLUMN parameter_count INTEGER NOT NULL DEFAULT 0;
      UPDATE runs SET seed = json_extract(config_json, '$.training.seed');
      CREATE INDEX runs_status ON runs(status);
      CREATE INDEX runs_dataset ON runs(dataset_id, created_at);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `)
  },
  // 3: the learning rate of each epoch (schedules) and the model files a run saved.
  (db) => {
    db.exec(`
      ALTER TABLE run_epochs ADD COLUMN learning_rate REAL;
      CREATE TABLE run_artifacts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        epoch INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, kind)
      );
    `)
  },
  // 4: text datasets as token ids with their vocabulary (as imported: char or word level).
  (db) => {
    db.exec(`
      CREATE TABLE dataset_text (
        dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
        vocabulary TEXT NOT NULL CHECK (vocabulary IN ('char', 'word')),
        tokens_json TEXT NOT NULL,
        id_bytes INTEGER NOT NULL CHECK (id_bytes IN (1, 2, 4)),
        ids BLOB NOT NULL,
        sample TEXT NOT NULL
      );
    `)
  },
  // 5: language-model figures per epoch (accuracy, a generated sample) and per run.
  (db) => {
    db.exec(`
      ALTER TABLE run_epochs ADD COLUMN accuracy REAL;
      ALTER TABLE run_epochs ADD COLUMN val_accuracy REAL;
      ALTER TABLE run_epochs ADD COLUMN sample TEXT;
      ALTER TABLE runs ADD COLUMN text_metrics_json TEXT;
      ALTER TABLE runs ADD COLUMN final_sample TEXT;
    `)
  },
  // 6: the registry: per-run summary columns kept up to date by the writer (fast lists at thousands
  //    of runs), notes, tags, sweeps and saved comparison views.
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN notes TEXT;
      ALTER TABLE runs ADD COLUMN sweep_id TEXT;
      ALTER TABLE runs ADD COLUMN epochs_done INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN last_loss REAL;
      ALTER TABLE runs ADD COLUMN last_val_loss REAL;
      ALTER TABLE runs ADD COLUMN best_val_loss REAL;
      ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
      UPDATE runs SET
        epochs_done = (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = runs.id),
        last_loss = (SELECT loss FROM run_epochs e WHERE e.run_id = runs.id ORDER BY epoch DESC LIMIT 1),
        last_val_loss = (SELECT val_loss FROM run_epochs e WHERE e.run_id = runs.id ORDER BY epoch DESC LIMIT 1),
        best_val_loss = (SELECT MIN(val_loss) FROM run_epochs e WHERE e.run_id = runs.id),
        best_epoch = (SELECT epoch FROM run_epochs e WHERE e.run_id = runs.id AND val_loss IS NOT NULL ORDER BY val_loss, epoch LIMIT 1);
      CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (run_id, tag)
      );
      CREATE INDEX run_tags_tag ON run_tags(tag);
      CREATE TABLE sweeps (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
        base_config_json TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX runs_sweep ON runs(sweep_id);
      CREATE INDEX runs_created ON runs(created_at);
      CREATE TABLE saved_views (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `)
  },
  // 7: the run id a bundle carried when its import got a new id (it was taken or unsafe).
  (db) => {
    db.exec('ALTER TABLE runs ADD COLUMN imported_from TEXT')
  },
  // 8: Run ownership: which process trains a run (pid, its start time, host, core instance) and its heartbeat.
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE runs ADD COLUMN owner_started TEXT;
      ALTER TABLE runs ADD COLUMN owner_host TEXT;
      ALTER TABLE runs ADD COLUMN owner_instance TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
    `)
  },
  // 9 (remote workers): where a run trained (host and worker id), whether it went to the queue, and
  //    which attempt the stored epochs belong to (a hand-over to another worker starts a new one).
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN remote_queue TEXT;
      ALTER TABLE runs ADD COLUMN worker_host TEXT;
      ALTER TABLE runs ADD COLUMN worker_id TEXT;
      ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE runs ADD COLUMN attempt_note TEXT;
      CREATE INDEX runs_worker_host ON runs(worker_host);
    `)
  },
  // The prime each epoch's text sample continues, shown apart from the generated text.
  (db) => {
    db.exec('ALTER TABLE run_epochs ADD COLUMN sample_prime TEXT;')
  }
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Applies the migrations after the file's `user_version`, up to `target` (all by default). */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The database was written by a newer RNN Lab (schema ${current}, this version knows ${SCHEMA_VERSION}). ` +
        'Update RNN Lab or choose another data folder.'
    )
  }
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      MIGRATIONS[v](db)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return Math.max(current, target)
}
