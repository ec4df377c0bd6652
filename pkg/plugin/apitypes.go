package plugin

// The companion API's answers, only the fields the frames read (src/contract is the source of truth;
// unknown fields are ignored so the API may grow without breaking the backend).

type incidentPage struct {
	Items []incidentSummary `json:"items"`
}

type incidentSummary struct {
	ID             string  `json:"id"`
	Title          string  `json:"title"`
	Severity       string  `json:"severity"`
	Status         string  `json:"status"`
	OwnerTeam      *string `json:"owner_team"`
	Tenant         string  `json:"tenant"`
	Project        string  `json:"project"`
	SignalKey      *string `json:"signal_key"`
	OpenedAt       *string `json:"opened_at"`
	ResolvedAt     *string `json:"resolved_at"`
	Runbooks       []idRef `json:"runbooks"`
	MissingRunbook bool    `json:"missing_runbook"`
	AlertCounts    struct {
		Firing float64 `json:"firing"`
	} `json:"alert_counts"`
	MTTASeconds *float64 `json:"mtta_seconds"`
	MTTRSeconds *float64 `json:"mttr_seconds"`
	SLOBurnRate *float64 `json:"slo_burn_rate"`
	// issue 11: the response clocks; absent on answers from an API before on-call (the frame then shows
	// empty cells, as frames.ts does).
	Response *incidentResponse `json:"response"`
}

// incidentResponse is the incident's response clocks (src/contract/oncall.ts IncidentResponse).
type incidentResponse struct {
	AckDueAt        *string  `json:"ack_due_at"`
	AckStatus       string   `json:"ack_status"`
	ResponseStatus  string   `json:"response_status"`
	EscalationLevel *float64 `json:"escalation_level"`
	Assignee        *string  `json:"assignee"`
}

type idRef struct {
	ID string `json:"id"`
}

type runbookList struct {
	Items []runbookListItem `json:"items"`
}

type runbookListItem struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	SeverityHint   string   `json:"severity_hint"`
	OwnerTeam      string   `json:"owner_team"`
	Signals        []string `json:"signals"`
	ReviewStatus   string   `json:"review_status"`
	LastReviewedAt *string  `json:"last_reviewed_at"`
	ReviewDueAt    *string  `json:"review_due_at"`
}

type approvalPage struct {
	Items []approval `json:"items"`
}

type approval struct {
	ID          string  `json:"id"`
	RequestedAt *string `json:"requested_at"`
	ActionTitle string  `json:"action_title"`
	RiskClass   string  `json:"risk_class"`
	Status      string  `json:"status"`
	RequestedBy string  `json:"requested_by"`
	IncidentID  string  `json:"incident_id"`
	ExpiresAt   *string `json:"expires_at"`
	Evidence    struct {
		Confidence *float64 `json:"confidence"`
	} `json:"evidence"`
}

type auditPage struct {
	Items []auditRow `json:"items"`
}

type auditRow struct {
	OccurredAt    *string `json:"occurred_at"`
	Actor         string  `json:"actor"`
	Role          string  `json:"role"`
	Action        string  `json:"action"`
	TargetType    string  `json:"target_type"`
	TargetID      string  `json:"target_id"`
	Tenant        *string `json:"tenant"`
	Project       *string `json:"project"`
	CorrelationID string  `json:"correlation_id"`
}

type opsOverview struct {
	DecisionHeader struct {
		GeneratedAt   string `json:"generated_at"`
		OpenIncidents struct {
			BySeverity map[string]float64 `json:"by_severity"`
		} `json:"open_incidents"`
		PendingApprovals float64 `json:"pending_approvals"`
	} `json:"decision_header"`
	HealthSummary struct {
		Blocks []healthBlock `json:"blocks"`
	} `json:"health_summary"`
}

type healthBlock struct {
	Key           string   `json:"key"`
	Title         string   `json:"title"`
	Kind          string   `json:"kind"`
	Status        string   `json:"status"`
	Value         *float64 `json:"value"`
	Threshold     *float64 `json:"threshold"`
	WarnThreshold *float64 `json:"warn_threshold"`
	Unit          string   `json:"unit"`
	Investigation struct {
		RunbookID *string `json:"runbook_id"`
	} `json:"investigation"`
}

type sloStatusList struct {
	Items []sloStatus `json:"items"`
}

type sloStatus struct {
	ID                   string              `json:"id"`
	Service              string              `json:"service"`
	Name                 string              `json:"name"`
	Objective            *float64            `json:"objective"`
	ErrorBudgetRemaining *float64            `json:"error_budget_remaining"`
	BurnRates            map[string]*float64 `json:"burn_rates"`
	AlertState           string              `json:"alert_state"`
	BudgetPolicyState    *string             `json:"budget_policy_state"`
	RunbookID            *string             `json:"runbook_id"`
	// issue 18 (error budgets). The frame shows owner, policy_alerts and obligation; signal_key and
	// dashboard_url are decoded so the Go view of the answer is the contract's, though no frame shows them
	// (frames.ts does not either).
	Owner        *string  `json:"owner"`
	SignalKey    *string  `json:"signal_key"`
	PolicyAlerts []string `json:"policy_alerts"`
	Obligation   *string  `json:"obligation"`
	DashboardURL *string  `json:"dashboard_url"`
}

// onCallNow is GET /api/v1/oncall/now (src/contract/oncall.ts OnCallNow).
type onCallNow struct {
	At    string       `json:"at"`
	Teams []teamOnCall `json:"teams"`
}

type teamOnCall struct {
	Team      string       `json:"team"`
	Primary   *onCallShift `json:"primary"`
	Secondary *onCallShift `json:"secondary"`
}

type onCallShift struct {
	User   string `json:"user"`
	Name   string `json:"name"`
	From   string `json:"from"`
	Until  string `json:"until"`
	Source string `json:"source"`
}

type readyStatus struct {
	Status        string `json:"status"`
	Store         string `json:"store"`
	SchemaVersion int    `json:"schema_version"`
}

// kpis is GET /api/v1/kpis (src/contract/kpis.ts Kpis): only what the kpis frame reads.
type kpis struct {
	Window    string `json:"window"`
	Incidents int    `json:"incidents"`
	MttrAll   struct {
		Assisted durationStat `json:"assisted"`
		Manual   durationStat `json:"manual"`
	} `json:"mttr_all"`
	AckSla                  ratio       `json:"ack_sla"`
	ResponseSla             ratio       `json:"response_sla"`
	ChangeFailureRate       ratio       `json:"change_failure_rate"`
	AutomationCoverage      ratio       `json:"automation_coverage"`
	OverrideRate            ratio       `json:"override_rate"`
	FalseClassificationRate ratio       `json:"false_classification_rate"`
	Targets                 []kpiTarget `json:"targets"`
}

type durationStat struct {
	MedianSeconds *float64 `json:"median_seconds"`
}

type ratio struct {
	Value *float64 `json:"value"`
}

type kpiTarget struct {
	Kpi        string  `json:"kpi"`
	Target     float64 `json:"target"`
	Comparison string  `json:"comparison"`
	Met        *bool   `json:"met"`
}
