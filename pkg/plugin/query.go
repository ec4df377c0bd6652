package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Query is one panel or alert-rule query, as the frontend's OpsQuery (src/datasource/types.ts) sends
// it after applyTemplateVariables; the query type comes in DataQuery.QueryType.
type Query struct {
	Project          string `json:"project"`
	Status           string `json:"status"`
	Severity         string `json:"severity"`
	Signal           string `json:"signal"`
	OwnerTeam        string `json:"ownerTeam"`
	Tenant           string `json:"tenant"`
	Service          string `json:"service"`
	RiskClass        string `json:"riskClass"`
	Actor            string `json:"actor"`
	Action           string `json:"action"`
	CorrelationID    string `json:"correlationId"`
	Review           string `json:"review"`
	Limit            int    `json:"limit"`
	OlderThanMinutes int    `json:"olderThanMinutes"`
	KpiWindow        string `json:"kpiWindow"`
	// Status is "open" unless the query says otherwise: the frontend's DEFAULT_QUERY.
	statusSet bool
}

// UnmarshalJSON keeps "status absent" (→ open, the editor's default) apart from "status empty" (→ all).
func (q *Query) UnmarshalJSON(raw []byte) error {
	type plain Query
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, (*plain)(q)); err != nil {
		return err
	}
	_, q.statusSet = fields["status"]
	return nil
}

// queryRunner turns one query into one frame, calling the API through client.
type queryRunner func(ctx context.Context, api apiGetter, query Query, dq backend.DataQuery) (*data.Frame, error)

type apiGetter func(ctx context.Context, path string, params url.Values, project string, out any) error

// runners has every query type: the tables the frontend builds (src/datasource/frames.ts) and the
// numeric ones for alerting.
var runners = map[string]queryRunner{
	"incidents":              runIncidents,
	"runbooks":               runRunbooks,
	"approvals":              runApprovals,
	"audit":                  runAudit,
	"overview_health":        runOverviewHealth,
	"slo_status":             runSloStatus,
	"open_incident_count":    runOpenIncidentCount,
	"pending_approval_count": runPendingApprovalCount,
	"slo_burn_budget":        runSloBurnBudget,
	"oncall":                 runOncall,
	"response_breach_count":  runResponseBreachCount,
	"kpis":                   runKpis,
}

// QueryTypes lists the query types the backend answers, for error messages and tests.
func QueryTypes() []string {
	return []string{"incidents", "runbooks", "approvals", "audit", "overview_health", "slo_status", "oncall",
		"open_incident_count", "pending_approval_count", "slo_burn_budget", "response_breach_count", "kpis"}
}

// params drops empty values, as the frontend did.
func params(pairs ...string) url.Values {
	values := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			values.Set(pairs[i], pairs[i+1])
		}
	}
	return values
}

func (q Query) limit() string {
	if q.Limit > 0 {
		return strconv.Itoa(q.Limit)
	}
	return "500"
}

func (q Query) status() string {
	if !q.statusSet {
		return "open"
	}
	return q.Status
}

func runIncidents(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var page incidentPage
	err := api(ctx, apiPaths.ListIncidents, params("status", q.status(), "severity", q.Severity, "signal", q.Signal,
		"owner_team", q.OwnerTeam, "tenant", q.Tenant, "limit", q.limit()), q.Project, &page)
	if err != nil {
		return nil, err
	}
	return incidentsFrame(dq.RefID, page.Items), nil
}

func runRunbooks(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var list runbookList
	err := api(ctx, apiPaths.ListRunbooks, params("signal", q.Signal, "owner_team", q.OwnerTeam,
		"severity", q.Severity, "review", q.Review), q.Project, &list)
	if err != nil {
		return nil, err
	}
	return runbooksFrame(dq.RefID, list.Items), nil
}

func runApprovals(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var page approvalPage
	// The approvals editor has no default status: absent means every status.
	err := api(ctx, apiPaths.ListApprovals, params("status", q.Status, "risk_class", q.RiskClass, "limit", q.limit()), q.Project, &page)
	if err != nil {
		return nil, err
	}
	return approvalsFrame(dq.RefID, page.Items), nil
}

func runAudit(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var page auditPage
	err := api(ctx, apiPaths.ListAudit, params("actor", q.Actor, "action", q.Action, "correlation_id", q.CorrelationID,
		"from", isoMillis(dq.TimeRange.From), "to", isoMillis(dq.TimeRange.To), "limit", q.limit()), q.Project, &page)
	if err != nil {
		return nil, err
	}
	return auditFrame(dq.RefID, page.Items), nil
}

// isoMillis writes a time as JavaScript's toISOString does, which the API's audit range expects.
func isoMillis(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func runOverviewHealth(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var overview opsOverview
	if err := api(ctx, apiPaths.OpsOverview, nil, q.Project, &overview); err != nil {
		return nil, err
	}
	return healthFrame(dq.RefID, overview.HealthSummary.Blocks, overview.DecisionHeader.GeneratedAt), nil
}

func runSloStatus(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var list sloStatusList
	if err := api(ctx, apiPaths.SloStatus, params("service", q.Service), q.Project, &list); err != nil {
		return nil, err
	}
	return sloFrame(dq.RefID, filterService(list.Items, q.Service)), nil
}

// runOncall: who is on call now; the query's ownerTeam (the editor's "Team") is the API's `team`.
func runOncall(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var now onCallNow
	if err := api(ctx, apiPaths.OnCallNow, params("team", q.OwnerTeam), q.Project, &now); err != nil {
		return nil, err
	}
	return oncallFrame(dq.RefID, now), nil
}

// runKpis: the operating KPIs over kpiWindow (the API's default 30d when empty), for ownerTeam.
func runKpis(ctx context.Context, api apiGetter, q Query, dq backend.DataQuery) (*data.Frame, error) {
	var answer kpis
	if err := api(ctx, apiPaths.Kpis, params("window", q.KpiWindow, "team", q.OwnerTeam), q.Project, &answer); err != nil {
		return nil, err
	}
	return kpisFrame(dq.RefID, answer), nil
}

func filterService(slos []sloStatus, service string) []sloStatus {
	if service == "" {
		return slos
	}
	kept := []sloStatus{}
	for _, slo := range slos {
		if slo.Service == service {
			kept = append(kept, slo)
		}
	}
	return kept
}

// errorResponse carries the API's envelope into the response: Grafana shows Error on the panel or
// alert rule, and the notice keeps code and correlation ID on the frame for the query inspector.
func errorResponse(refID, queryType string, err error) backend.DataResponse {
	apiErr := &APIError{Status: http.StatusInternalServerError, Code: "internal", Message: err.Error()}
	source := backend.ErrorSourcePlugin
	if errors.As(err, &apiErr) {
		source = backend.ErrorSourceDownstream
	}
	if apiErr.Status < 400 || apiErr.Status > 599 {
		apiErr.Status = http.StatusBadGateway
	}
	frame := data.NewFrame(queryType)
	frame.RefID = refID
	frame.Meta = &data.FrameMeta{Notices: []data.Notice{{Severity: data.NoticeSeverityError, Text: apiErr.Error()}},
		Custom: map[string]any{"code": apiErr.Code, "correlation_id": apiErr.CorrelationID, "status": apiErr.Status}}
	return backend.DataResponse{
		Frames:      data.Frames{frame},
		Error:       fmt.Errorf("%s", apiErr.Error()),
		Status:      backend.Status(apiErr.Status),
		ErrorSource: source,
	}
}
