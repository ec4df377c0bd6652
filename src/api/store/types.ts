/** What the API needs from a database: one interface over PGlite (embedded) and PostgreSQL (`pg`). */
export type Row = Record<string, unknown>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** A connection or an open transaction. SQL is PostgreSQL's on both stores: one schema, one set of migrations. */
export interface Sql {
  query<T = Row>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Inside a transaction only: run `task` once this transaction has committed, before `transaction()`
   * resolves (the audit sequencer chains the rows the transaction appended). A task that fails is
   * ignored: the transaction is committed, and answering an error would make a client repeat it.
   */
  afterCommit?(task: (store: Store) => Promise<unknown>): void;
}

export type StoreKind = 'embedded' | 'postgres';

export interface Store extends Sql {
  readonly kind: StoreKind;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * The promise settles only after COMMIT, so an answer sent afterwards is durable.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Cheap round trip used by /readyz. */
  ping(): Promise<void>;
  /**
   * For health checks only: on PostgreSQL a connection of its own outside the request pool, so that
   * readiness does not wait for a free pool slot during a burst (issue 13.3); the store itself on PGlite.
   */
  readonly health: Sql;
  /** Embedded store only: a consistent gzip tarball of the data directory (`opsdeck backup`). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}
