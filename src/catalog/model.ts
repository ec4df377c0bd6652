/**
 * The loaded catalog: every file under catalog/, validated by the contract and indexed for lookups.
 * Immutable once built; the API swaps whole Catalog objects on reload so a request never sees half
 * of an old catalog and half of a new one.
 */
import type { AccessFile } from '../contract/access';
import type { ActionDefinition, ApprovalPolicyFile } from '../contract/approvals';
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
  /** Remediation actions by id (actions.catalog.json; empty when absent). */
  actions: Map<string, ActionDefinition>;
  /** approval-policy.yaml, or the default policy when absent. */
  approvalPolicy: ApprovalPolicyFile;
  /** access.yaml; null when absent (single-tenant: Grafana roles apply in every project). */
  access: AccessFile | null;
}
