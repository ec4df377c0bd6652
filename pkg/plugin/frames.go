package plugin

// API answers → data frames. The same fields, types, units, mappings and links as the frontend's
// src/datasource/frames.ts built before the backend existed; tests/fixtures/datasource/ holds the
// contract both are tested against. Pure: no I/O.

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

type kind int

const (
	kindTime kind = iota
	kindString
	kindNumber
	kindBool
)

// column is one field of a frame: its name, type, how to read it off an item, and its config.
type column[T any] struct {
	name   string
	kind   kind
	value  func(T) any // *time.Time, string, *float64 or bool, per kind
	config *data.FieldConfig
}

func frameOf[T any](refID, name string, items []T, columns []column[T], table bool) *data.Frame {
	frame := data.NewFrame(name)
	frame.RefID = refID
	if table {
		frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	}
	for _, col := range columns {
		var field *data.Field
		switch col.kind {
		case kindTime:
			field = data.NewField(col.name, nil, collect[T, *time.Time](items, col.value))
		case kindString:
			field = data.NewField(col.name, nil, collect[T, string](items, col.value))
		case kindNumber:
			field = data.NewField(col.name, nil, collect[T, *float64](items, col.value))
		case kindBool:
			field = data.NewField(col.name, nil, collect[T, bool](items, col.value))
		}
		field.Config = col.config
		frame.Fields = append(frame.Fields, field)
	}
	return frame
}

func collect[T any, V any](items []T, value func(T) any) []V {
	values := make([]V, len(items))
	for i, item := range items {
		values[i] = value(item).(V)
	}
	return values
}

// The state columns' value mappings, from the shared vocabulary (contract.go).
var (
	severityMappings   = vocabularyMappings("severity")
	statusMappings     = vocabularyMappings("incident_status")
	healthMappings     = vocabularyMappings("health")
	reviewMappings     = vocabularyMappings("review_status")
	riskMappings       = vocabularyMappings("risk_class")
	approvalMappings   = vocabularyMappings("approval_status")
	alertStateMappings = vocabularyMappings("slo_alert_state")
	clockMappings      = vocabularyMappings("clock_status")
)

// parseTime reads the API's ISO date-times and dates (runbook review dates are YYYY-MM-DD, read as
// UTC midnight like JavaScript's Date.parse); nil or unreadable is a missing value.
func parseTime(iso *string) *time.Time {
	if iso == nil || *iso == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if parsed, err := time.Parse(layout, *iso); err == nil {
			return &parsed
		}
	}
	return nil
}

func orEmpty(value *string) string {
	if value == nil {
		return ""
	}
	return *value
}

func num(value float64) *float64 { return &value }

// link is a data link to an app page of contract.gen.json's links.
func link(title, page string) *data.FieldConfig {
	return &data.FieldConfig{Links: []data.DataLink{{Title: title, URL: appLink(page)}}}
}

func incidentsFrame(refID string, incidents []incidentSummary) *data.Frame {
	type I = incidentSummary
	return frameOf(refID, "incidents", incidents, []column[I]{
		{"opened_at", kindTime, func(i I) any { return parseTime(i.OpenedAt) }, &data.FieldConfig{DisplayName: "Opened"}},
		{"resolved_at", kindTime, func(i I) any { return parseTime(i.ResolvedAt) }, &data.FieldConfig{DisplayName: "Resolved"}},
		{"id", kindString, func(i I) any { return i.ID }, nil},
		{"title", kindString, func(i I) any { return i.Title }, link("Open incident", "incident")},
		{"severity", kindString, func(i I) any { return i.Severity }, &data.FieldConfig{Mappings: severityMappings}},
		{"status", kindString, func(i I) any { return i.Status }, &data.FieldConfig{Mappings: statusMappings}},
		{"owner_team", kindString, func(i I) any { return orEmpty(i.OwnerTeam) }, nil},
		{"tenant", kindString, func(i I) any { return i.Tenant }, nil},
		{"project", kindString, func(i I) any { return i.Project }, nil},
		{"signal_key", kindString, func(i I) any { return orEmpty(i.SignalKey) }, nil},
		{"runbook_id", kindString, func(i I) any {
			if len(i.Runbooks) == 0 {
				return ""
			}
			return i.Runbooks[0].ID
		}, nil},
		{"missing_runbook", kindBool, func(i I) any { return i.MissingRunbook }, nil},
		{"firing_alerts", kindNumber, func(i I) any { return num(i.AlertCounts.Firing) }, nil},
		{"mtta", kindNumber, func(i I) any { return i.MTTASeconds }, &data.FieldConfig{Unit: "s", DisplayName: "MTTA"}},
		{"mttr", kindNumber, func(i I) any { return i.MTTRSeconds }, &data.FieldConfig{Unit: "s", DisplayName: "MTTR"}},
		{"slo_burn_rate", kindNumber, func(i I) any { return i.SLOBurnRate }, &data.FieldConfig{Unit: "x"}},
		// Response clocks (issue 11), so dashboards can show SLA compliance; empty when the answer has none.
		{"ack_status", kindString, func(i I) any { return responseOf(i).AckStatus }, &data.FieldConfig{Mappings: clockMappings}},
		{"ack_due_at", kindTime, func(i I) any { return parseTime(responseOf(i).AckDueAt) }, nil},
		{"response_status", kindString, func(i I) any { return responseOf(i).ResponseStatus }, &data.FieldConfig{Mappings: clockMappings}},
		{"escalation_level", kindNumber, func(i I) any { return responseOf(i).EscalationLevel }, nil},
		{"assignee", kindString, func(i I) any { return orEmpty(responseOf(i).Assignee) }, nil},
	}, false)
}

// responseOf is the incident's response clocks, or the zero value (empty strings, nulls) without them.
func responseOf(i incidentSummary) incidentResponse {
	if i.Response == nil {
		return incidentResponse{}
	}
	return *i.Response
}

// onCallRow is one team and role on call now; shift is nil for a gap (nobody on call).
type onCallRow struct {
	team, role string
	shift      *onCallShift
}

// oncallFrame gives one row per team and role, primary then secondary; a gap is a row with an empty
// user and null times, so a dashboard shows the gap instead of hiding it.
func oncallFrame(refID string, now onCallNow) *data.Frame {
	rows := make([]onCallRow, 0, 2*len(now.Teams))
	for _, team := range now.Teams {
		rows = append(rows, onCallRow{team.Team, "primary", team.Primary}, onCallRow{team.Team, "secondary", team.Secondary})
	}
	shiftText := func(read func(*onCallShift) string) func(onCallRow) any {
		return func(r onCallRow) any {
			if r.shift == nil {
				return ""
			}
			return read(r.shift)
		}
	}
	shiftTime := func(read func(*onCallShift) *string) func(onCallRow) any {
		return func(r onCallRow) any {
			if r.shift == nil {
				return (*time.Time)(nil)
			}
			return parseTime(read(r.shift))
		}
	}
	type R = onCallRow
	return frameOf(refID, "oncall", rows, []column[R]{
		{"team", kindString, func(r R) any { return r.team }, nil},
		{"role", kindString, func(r R) any { return r.role }, nil},
		{"user", kindString, shiftText(func(s *onCallShift) string { return s.User }), nil},
		{"name", kindString, shiftText(func(s *onCallShift) string { return s.Name }), nil},
		{"from", kindTime, shiftTime(func(s *onCallShift) *string { return &s.From }), nil},
		{"until", kindTime, shiftTime(func(s *onCallShift) *string { return &s.Until }), nil},
		{"source", kindString, shiftText(func(s *onCallShift) string { return s.Source }), nil},
	}, true)
}

func runbooksFrame(refID string, runbooks []runbookListItem) *data.Frame {
	type R = runbookListItem
	return frameOf(refID, "runbooks", runbooks, []column[R]{
		{"id", kindString, func(r R) any { return r.ID }, nil},
		{"title", kindString, func(r R) any { return r.Title }, link("Open runbook", "runbook")},
		{"severity_hint", kindString, func(r R) any { return r.SeverityHint }, &data.FieldConfig{Mappings: severityMappings}},
		{"owner_team", kindString, func(r R) any { return r.OwnerTeam }, nil},
		{"signals", kindString, func(r R) any { return strings.Join(r.Signals, ", ") }, nil},
		{"review_status", kindString, func(r R) any { return r.ReviewStatus }, &data.FieldConfig{Mappings: reviewMappings}},
		{"last_reviewed_at", kindTime, func(r R) any { return parseTime(r.LastReviewedAt) }, nil},
		{"review_due_at", kindTime, func(r R) any { return parseTime(r.ReviewDueAt) }, nil},
	}, true)
}

func approvalsFrame(refID string, approvals []approval) *data.Frame {
	type A = approval
	confidence := (&data.FieldConfig{Unit: "percentunit"}).SetMin(0).SetMax(1)
	return frameOf(refID, "approvals", approvals, []column[A]{
		{"requested_at", kindTime, func(a A) any { return parseTime(a.RequestedAt) }, nil},
		{"id", kindString, func(a A) any { return a.ID }, nil},
		{"action", kindString, func(a A) any { return a.ActionTitle }, link("Open approval", "approval")},
		{"risk_class", kindString, func(a A) any { return a.RiskClass }, &data.FieldConfig{Mappings: riskMappings}},
		{"status", kindString, func(a A) any { return a.Status }, &data.FieldConfig{Mappings: approvalMappings}},
		{"requested_by", kindString, func(a A) any { return a.RequestedBy }, nil},
		{"incident_id", kindString, func(a A) any { return a.IncidentID }, nil},
		{"confidence", kindNumber, func(a A) any { return a.Evidence.Confidence }, confidence},
		{"expires_at", kindTime, func(a A) any { return parseTime(a.ExpiresAt) }, nil},
	}, true)
}

func auditFrame(refID string, rows []auditRow) *data.Frame {
	type R = auditRow
	return frameOf(refID, "audit", rows, []column[R]{
		{"occurred_at", kindTime, func(r R) any { return parseTime(r.OccurredAt) }, nil},
		{"actor", kindString, func(r R) any { return r.Actor }, nil},
		{"role", kindString, func(r R) any { return r.Role }, nil},
		{"action", kindString, func(r R) any { return r.Action }, nil},
		{"target_type", kindString, func(r R) any { return r.TargetType }, nil},
		{"target_id", kindString, func(r R) any { return r.TargetID }, nil},
		{"tenant", kindString, func(r R) any { return orEmpty(r.Tenant) }, nil},
		{"project", kindString, func(r R) any { return orEmpty(r.Project) }, nil},
		{"correlation_id", kindString, func(r R) any { return r.CorrelationID }, link("Investigate", "investigate")},
	}, true)
}

func healthFrame(refID string, blocks []healthBlock, generatedAt string) *data.Frame {
	type B = healthBlock
	at := parseTime(&generatedAt)
	return frameOf(refID, "overview_health", blocks, []column[B]{
		{"time", kindTime, func(B) any { return at }, nil},
		{"key", kindString, func(b B) any { return b.Key }, nil},
		{"title", kindString, func(b B) any { return b.Title }, nil},
		{"kind", kindString, func(b B) any { return b.Kind }, nil},
		{"status", kindString, func(b B) any { return b.Status }, &data.FieldConfig{Mappings: healthMappings}},
		{"value", kindNumber, func(b B) any { return b.Value }, nil},
		{"threshold", kindNumber, func(b B) any { return b.Threshold }, nil},
		{"warn_threshold", kindNumber, func(b B) any { return b.WarnThreshold }, nil},
		{"unit", kindString, func(b B) any { return b.Unit }, nil},
		{"runbook_id", kindString, func(b B) any { return orEmpty(b.Investigation.RunbookID) }, nil},
	}, true)
}

func sloFrame(refID string, slos []sloStatus) *data.Frame {
	type S = sloStatus
	columns := []column[S]{
		{"id", kindString, func(s S) any { return s.ID }, nil},
		{"service", kindString, func(s S) any { return s.Service }, nil},
		{"name", kindString, func(s S) any { return s.Name }, nil},
		{"objective", kindNumber, func(s S) any { return s.Objective }, (&data.FieldConfig{Unit: "percent"}).SetDecimals(2)},
		{"error_budget_remaining", kindNumber, func(s S) any { return s.ErrorBudgetRemaining }, &data.FieldConfig{Unit: "percentunit"}},
	}
	for _, window := range burnWindows(slos) {
		columns = append(columns, column[S]{"burn_rate_" + window, kindNumber, func(s S) any { return s.BurnRates[window] },
			&data.FieldConfig{Unit: "x", DisplayName: "Burn " + window}})
	}
	columns = append(columns,
		column[S]{"alert_state", kindString, func(s S) any { return s.AlertState }, &data.FieldConfig{Mappings: alertStateMappings}},
		column[S]{"budget_policy_state", kindString, func(s S) any { return orEmpty(s.BudgetPolicyState) }, nil},
		column[S]{"runbook_id", kindString, func(s S) any { return orEmpty(s.RunbookID) }, nil},
		// issue 18: the error budget policy's alerts firing now (one string, as a table cell shows it; an
		// answer without the list is none firing, as the contract's default) and what the state obliges
		// the owner team to do.
		column[S]{"policy_alerts", kindString, func(s S) any { return strings.Join(s.PolicyAlerts, ", ") }, nil},
		column[S]{"owner", kindString, func(s S) any { return orEmpty(s.Owner) }, nil},
		column[S]{"obligation", kindString, func(s S) any { return orEmpty(s.Obligation) }, nil},
	)
	return frameOf(refID, "slo_status", slos, columns, true)
}

var windowPattern = regexp.MustCompile(`^(\d+)([smhdw])$`)
var windowUnit = map[string]int64{"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

func windowSeconds(window string) int64 {
	match := windowPattern.FindStringSubmatch(window)
	if match == nil {
		return 1<<53 - 1 // unknown names last, as Number.MAX_SAFE_INTEGER in the frontend
	}
	count, _ := strconv.ParseInt(match[1], 10, 64)
	return count * windowUnit[match[2]]
}

// burnWindows lists every SLO's burn-rate windows once, shortest first (5m, 30m, 1h, 6h, 3d).
func burnWindows(slos []sloStatus) []string {
	seen := map[string]bool{}
	var windows []string
	for _, slo := range slos {
		for window := range slo.BurnRates {
			if !seen[window] {
				seen[window] = true
				windows = append(windows, window)
			}
		}
	}
	slices.SortFunc(windows, func(a, b string) int {
		return cmp.Or(cmp.Compare(windowSeconds(a), windowSeconds(b)), strings.Compare(a, b))
	})
	return windows
}

var kpiMetMappings = vocabularyMappings("kpi_target_state")

// kpiRow is one KPI of the kpis frame; unit says what the shared value column holds for it.
type kpiRow struct {
	kpi, description, unit string
	value                  *float64
	target                 *kpiTarget
}

// kpiRows lists the KPIs as frames.ts kpiRows does: the four with targets first, then the other
// ratios and the incident count.
func kpiRows(k kpis) []kpiRow {
	targets := map[string]*kpiTarget{}
	for i := range k.Targets {
		targets[k.Targets[i].Kpi] = &k.Targets[i]
	}
	row := func(kpi, description, unit string, value *float64) kpiRow {
		return kpiRow{kpi, description, unit, value, targets[kpi]}
	}
	return []kpiRow{
		row("mttr_manual", "Median MTTR without an executed action", "seconds", k.MttrAll.Manual.MedianSeconds),
		row("mttr_assisted", "Median MTTR with an executed action", "seconds", k.MttrAll.Assisted.MedianSeconds),
		row("false_classification_rate", "Severity or signal corrected by a person", "ratio", k.FalseClassificationRate.Value),
		row("override_rate", "Top recommendation overridden or rejected", "ratio", k.OverrideRate.Value),
		row("ack_sla", "Acknowledged within the severity target", "ratio", k.AckSla.Value),
		row("response_sla", "First status update within the severity target", "ratio", k.ResponseSla.Value),
		row("change_failure_rate", "Executions that failed or made it worse", "ratio", k.ChangeFailureRate.Value),
		row("automation_coverage", "Executions that ran without an approval (auto R1)", "ratio", k.AutomationCoverage.Value),
		row("incidents", "Incidents opened in the window", "count", num(float64(k.Incidents))),
	}
}

// kpisFrame gives one row per KPI with its value, target and whether it is met (met, missed,
// no_data; empty where the operating model sets no target).
func kpisFrame(refID string, k kpis) *data.Frame {
	type R = kpiRow
	met := func(r R) any {
		switch {
		case r.target == nil:
			return ""
		case r.target.Met == nil:
			return "no_data"
		case *r.target.Met:
			return "met"
		default:
			return "missed"
		}
	}
	return frameOf(refID, "kpis", kpiRows(k), []column[R]{
		{"kpi", kindString, func(r R) any { return r.kpi }, nil},
		{"description", kindString, func(r R) any { return r.description }, nil},
		{"value", kindNumber, func(r R) any { return r.value }, nil},
		{"unit", kindString, func(r R) any { return r.unit }, nil},
		{"target", kindNumber, func(r R) any {
			if r.target == nil {
				return (*float64)(nil)
			}
			return num(r.target.Target)
		}, nil},
		{"comparison", kindString, func(r R) any {
			if r.target == nil {
				return ""
			}
			return r.target.Comparison
		}, nil},
		{"met", kindString, met, &data.FieldConfig{Mappings: kpiMetMappings}},
		{"window", kindString, func(R) any { return k.Window }, nil},
	}, true)
}
