/**
 * The loaded catalog: every file under catalog/, validated by the contract and indexed for lookups,
 * plus the runbooks' markdown and the index of alert rules (alerts/, provisioning/alerting/) that
 * reference them. Immutable once built; the API swaps whole Catalog objects on reload so a request
 * never sees half of an old catalog and half of a new one.
 */
import type { AccessFile } from '../contract/access';
import type { ActionDefinition, ApprovalPolicyFile } from '../contract/approvals';
import type { ErrorBudgetPolicyFile } from '../contract/slo';
import type { OncallFile, ResponsePolicyFile } from '../contract/oncall';
import type { PostmortemPolicyFile, StatusTemplatesFile } from '../contract/communication';
import type {
  AlertRuleRef,
  ChecklistStep,
  GroupingFile,
  RunbookEntry,
  SavedQuery,
  Signal,
  SignalGroup,
  Symptom,
} from '../contract/catalog';

/** Where something was defined: a repo-relative path and a 1-based line (null when unknown). */
export interface SourceLocation {
  path: string;
  line: number | null;
}

export type LocationKind = 'runbooks' | 'signals' | 'signalGroups' | 'queries' | 'symptoms';

export interface MarkdownSection {
  /** Heading text as written, e.g. `Rollback / Recovery`. */
  title: string;
  /** `rollback-recovery`: the prefix of the section's checklist step IDs. */
  slug: string;
  level: number;
  line: number;
}

export interface ChecklistItem extends ChecklistStep {
  line: number;
  /** `- [x]` in the file; the app's ticks are per incident and never written back. */
  checked: boolean;
}

export interface RunbookDocument {
  /** Repo-relative path of the markdown; null when the runbook lives at an external docs URL. */
  path: string | null;
  /** The markdown, raw; null for an external runbook or an unreadable file. */
  content: string | null;
  /** First level-1 heading. */
  title: string | null;
  /** The ID the file declares in its `> Runbook ID: \`…\`` line, if it has one. */
  declaredId: { id: string; line: number } | null;
  sections: readonly MarkdownSection[];
  checklist: readonly ChecklistItem[];
  /** Saved query IDs the text cites as ``saved query `id` ``, with the line of each citation. */
  citedQueries: ReadonlyArray<{ id: string; line: number }>;
}

export interface AlertRule extends AlertRuleRef {
  line: number | null;
  group: string;
  runbookId: string | null;
  runbookUrl: string | null;
  /** False for rules labelled `severity: info|none` or `opsdeck_actionable: "false"`. */
  actionable: boolean;
  labels: Readonly<Record<string, string>>;
}

export interface AlertIndex {
  rules: readonly AlertRule[];
  byRunbook: ReadonlyMap<string, readonly AlertRule[]>;
  /** Rule files that could not be read or parsed (the linter reports them; serving is unaffected). */
  problems: ReadonlyArray<{ path: string; line: number | null; message: string }>;
  /** Repo-relative paths of the files that were read. */
  files: readonly string[];
}

export interface Catalog {
  /** Absolute path of the repository root (alerts/ and provisioning/ are read from there). */
  root: string;
  /** Absolute path of the catalog directory it was loaded from. */
  dir: string;
  loadedAt: Date;
  /** sha256 of every file the catalog was built from: identifies the version in audit rows. */
  revision: string;
  signalGroups: readonly SignalGroup[];
  signals: ReadonlyMap<string, Signal>;
  runbooks: ReadonlyMap<string, RunbookEntry>;
  /** runbook ID → its markdown, sections and checklist. */
  documents: ReadonlyMap<string, RunbookDocument>;
  queries: ReadonlyMap<string, SavedQuery>;
  symptoms: readonly Symptom[];
  grouping: GroupingFile;
  /** signal key → runbook IDs that address it, in manifest order. */
  runbooksBySignal: ReadonlyMap<string, readonly string[]>;
  /** query ID → runbook IDs that cite it (manifest `queries` or the markdown). */
  runbooksByQuery: ReadonlyMap<string, readonly string[]>;
  alerts: AlertIndex;
  /** Remediation actions by id (actions.catalog.json; empty when absent). Added by issue 5. */
  actions: ReadonlyMap<string, ActionDefinition>;
  /** approval-policy.yaml, or the default policy when absent. Added by issue 5. */
  approvalPolicy: ApprovalPolicyFile;
  /** error-budget-policy.yaml (its freezes bind approvals); null when absent. Added by issue 18. */
  errorBudgetPolicy: ErrorBudgetPolicyFile | null;
  /** access.yaml; null when absent (single-tenant: Grafana's grants apply in every project). Added by issue 5. */
  access: AccessFile | null;
  /** response-policy.yaml, or the shipped defaults when absent. Added by issue 11. */
  responsePolicy: ResponsePolicyFile;
  /** oncall.yaml; null when absent (nobody is paged). Added by issue 11. */
  oncall: OncallFile | null;
  /** status-updates.yaml, or the default templates (issue 12). */
  statusTemplates: StatusTemplatesFile;
  /** postmortem-policy.yaml, or the default policy (issue 12). */
  postmortemPolicy: PostmortemPolicyFile;
  /** Where a runbook, signal, signal group, query or symptom is defined (file and line), for messages. */
  locate(kind: LocationKind, id: string): SourceLocation | null;
}
