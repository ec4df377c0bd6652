/**
 * Panel IDs of the SLO burn dashboard: SLO number n (1-based, in the order the specs are read: files by
 * name, SLOs in file order) owns IDs n×100 … n×100+99 — its row is n×100. Alerts link to these panels,
 * and both come out of the same `opsdeck generate` run, so they always agree.
 */
export const SLO_PANEL_OFFSETS = {
  row: 0,
  sli: 1,
  objective: 2,
  budgetRemaining: 3,
  burnRates: 4,
  alertState: 5,
  policyState: 6,
  budgetHistory: 7,
} as const;

export type SloPanel = keyof typeof SLO_PANEL_OFFSETS;

export const sloPanelId = (sloIndex: number, panel: SloPanel) => (sloIndex + 1) * 100 + SLO_PANEL_OFFSETS[panel];
