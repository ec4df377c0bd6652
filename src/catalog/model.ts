/**
 * The loaded catalog: every file under catalog/, validated by the contract and indexed for lookups.
 * Immutable once built; the API swaps whole Catalog objects on reload so a request never sees half
 * of an old catalog and half of a new one.
 */
import type {
  GroupingFile,
  RunbookEntry,
  SavedQuery,
  Signal,
  SignalGroup,
  Symptom,
} from '../contract/catalog';

export interface Catalog {
  /** Absolute path of the catalog directory it was loaded from. */
  dir: string;
  loadedAt: Date;
  signalGroups: SignalGroup[];
  signals: Map<string, Signal>;
  runbooks: Map<string, RunbookEntry>;
  queries: Map<string, SavedQuery>;
  symptoms: Symptom[];
  grouping: GroupingFile;
  /** signal key → runbook IDs that address it, in manifest order. */
  runbooksBySignal: Map<string, string[]>;
}
