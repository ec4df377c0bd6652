package plugin

// Numeric query types for Grafana alerting and server-side expressions: "numeric long" frames
// (the data plane contract's NumericLong: string fields are the labels, each number field a value),
// which alert rules evaluate one series per label set. Every known label value is present, with 0
// when nothing matches, so an alert resolves instead of going to "no data".

import (
	"context"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var severities = []string{"sev1", "sev2", "sev3", "sev4"}
var riskClasses = []string{"R1", "R2", "R3"}

func numericLong(refID, name string) *data.Frame {
	frame := data.NewFrame(name)
	frame.RefID = refID
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// countBy gives one row per key (in order) with how many items had it.
func countBy(refID, name, label, value string, keys []string, counts map[string]float64) *data.Frame {
	frame := numericLong(refID, name)
	values := make([]float64, len(keys))
	for i, key := range keys {
		values[i] = counts[key]
	}
	frame.Fields = data.Fields{data.NewField(label, nil, slices.Clone(keys)), data.NewField(value, nil, values)}
	return frame
}

// openIncidents reads the open incidents the query's filters select (at most 500: a lower bound
// beyond, said in a notice by severityCounts).
func openIncidents(ctx context.Context, api apiGetter, q Query) (items []incidentSummary, more bool, err error) {
	var page struct {
		incidentPage
		NextCursor *string `json:"next_cursor"`
	}
	err = api(ctx, apiPaths.ListIncidents, params("status", "open", "severity", q.Severity, "signal", q.Signal,
		"owner_team", q.OwnerTeam, "tenant", q.Tenant, "limit", "500"), q.Project, &page)
	return page.Items, page.NextCursor != nil, err
}

// severityCounts counts the incidents that match per severity: every severity, or the one the query
// filters on.
func severityCounts(refID, name, value string, q Query, items []incidentSummary, more bool, match func(incidentSummary) bool) *data.Frame {
	counts := map[string]float64{}
	for _, incident := range items {
		if match(incident) {
			counts[incident.Severity]++
		}
	}
	keys := severities
	if q.Severity != "" {
		keys = []string{q.Severity}
	}
	frame := countBy(refID, name, "severity", value, keys, counts)
	if more {
		frame.Meta.Notices = append(frame.Meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: "more than 500 open incidents: the counts are a lower bound"})
	}
	return frame
}

// runOpenIncidentCount: open incidents per severity (the incidents query's filters apply).
func runOpenIncidentCount(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	items, more, err := openIncidents(ctx, api, q)
	if err != nil {
		return nil, err
	}
	return severityCounts(dq.RefID, "open_incident_count", "open_incidents", q, items, more,
		func(incidentSummary) bool { return true }), nil
}

// runPendingApprovalCount: pending approval requests per risk class, only those waiting longer than
// olderThanMinutes (0: all) — "an R3 request has waited 30 minutes for a second approver".
func runPendingApprovalCount(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var page approvalPage
	err := api(ctx, apiPaths.ListApprovals, params("status", "pending", "risk_class", q.RiskClass, "limit", "500"), q.Project, &page)
	if err != nil {
		return nil, err
	}
	cutoff := now().Add(-time.Duration(q.OlderThanMinutes) * time.Minute)
	counts := map[string]float64{}
	for _, request := range page.Items {
		requested := parseTime(request.RequestedAt)
		if request.Status == "pending" && requested != nil && !requested.After(cutoff) {
			counts[request.RiskClass]++
		}
	}
	keys := riskClasses
	if q.RiskClass != "" {
		keys = []string{q.RiskClass}
	}
	return countBy(dq.RefID, "pending_approval_count", "risk_class", "pending_approvals", keys, counts), nil
}

// runResponseBreachCount: open incidents whose acknowledge or initial-response clock is breached, per
// severity (issue 16: "response-clock breaches" for alerting). An incident with both clocks breached
// counts once: the alert is about incidents, not clocks. The incidents query's filters apply, as in
// open_incident_count; an answer without response clocks (an API before issue 11) counts nothing.
func runResponseBreachCount(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	items, more, err := openIncidents(ctx, api, q)
	if err != nil {
		return nil, err
	}
	return severityCounts(dq.RefID, "response_breach_count", "breached_incidents", q, items, more,
		func(incident incidentSummary) bool {
			r := responseOf(incident)
			return r.AckStatus == "breached" || r.ResponseStatus == "breached"
		}), nil
}

// now is the clock the age filter reads; a test sets it.
var now = time.Now

// runSloBurnBudget: per SLO (labels slo, service), the error budget remaining (fraction) and the
// burn rate of every window. A window the API has no value for is null (no data), not 0.
func runSloBurnBudget(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var list sloStatusList
	if err := api(ctx, apiPaths.SloStatus, params("service", q.Service), q.Project, &list); err != nil {
		return nil, err
	}
	slos := filterService(list.Items, q.Service)
	frame := numericLong(dq.RefID, "slo_burn_budget")
	ids := make([]string, len(slos))
	services := make([]string, len(slos))
	budget := make([]*float64, len(slos))
	for i, slo := range slos {
		ids[i], services[i], budget[i] = slo.ID, slo.Service, slo.ErrorBudgetRemaining
	}
	frame.Fields = data.Fields{
		data.NewField("slo", nil, ids),
		data.NewField("service", nil, services),
		data.NewField("error_budget_remaining", nil, budget).SetConfig(&data.FieldConfig{Unit: "percentunit"}),
	}
	for _, window := range burnWindows(slos) {
		rates := make([]*float64, len(slos))
		for i, slo := range slos {
			rates[i] = slo.BurnRates[window]
		}
		frame.Fields = append(frame.Fields,
			data.NewField("burn_rate_"+window, nil, rates).SetConfig(&data.FieldConfig{Unit: "x"}))
	}
	return frame, nil
}
