package plugin

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

const envelope403 = `{"code":"insufficient_permissions","message":"no access to project vision","correlation_id":"req-ds-1","details":{}}`

func TestQueryRequestsTheAPIAsTheFrontendDid(t *testing.T) {
	tests := []struct {
		name        string
		queryType   string
		model       map[string]any
		user        string
		wantPath    string
		wantQuery   string
		wantProject string
	}{
		{"incidents default to open, default project", "incidents", map[string]any{"tenant": "acme"}, "alice",
			"/api/v1/incidents", "limit=500&status=open&tenant=acme", "*"},
		{"incidents with an empty status ask for every status", "incidents", map[string]any{"status": ""}, "",
			"/api/v1/incidents", "limit=500", "*"},
		{"the query's project wins", "slo_status", map[string]any{"project": "acme/vision", "service": "api"}, "",
			"/api/v1/slos/status", "service=api", "acme/vision"},
		{"audit sends the time range as the frontend's toISOString", "audit", map[string]any{"actor": "alice"}, "",
			"/api/v1/audit", "actor=alice&from=2025-01-15T09%3A00%3A00.000Z&limit=500&to=2025-01-15T12%3A00%3A00.000Z", "*"},
		{"approvals keep their own limit", "approvals", map[string]any{"riskClass": "R3", "limit": 20}, "",
			"/api/v1/approvals", "limit=20&risk_class=R3", "*"},
		{"runbooks", "runbooks", map[string]any{"review": "overdue"}, "", "/api/v1/admin/runbooks", "review=overdue", "*"},
		{"health", "overview_health", map[string]any{}, "", "/api/v1/admin/ops/overview", "", "*"},
		{"an empty query type is incidents", "", map[string]any{}, "", "/api/v1/incidents", "limit=500&status=open", "*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			double := newAPIDouble(t, answerJSON(200, `{"items":[],"health_summary":{"blocks":[]},"decision_header":{"generated_at":"2025-01-15T10:00:00.000Z"}}`))
			ds := newTestDatasource(t, double.URL, map[string]any{})
			response := runOne(t, ds, context.Background(), dataQuery("A", tc.queryType, tc.model), tc.user)
			if response.Error != nil {
				t.Fatalf("error: %v", response.Error)
			}
			seen := double.seen()
			if len(seen) != 1 {
				t.Fatalf("%d calls", len(seen))
			}
			got := seen[0]
			if got.URL.Path != tc.wantPath || got.URL.RawQuery != tc.wantQuery {
				t.Errorf("called %s?%s, want %s?%s", got.URL.Path, got.URL.RawQuery, tc.wantPath, tc.wantQuery)
			}
			if got.Header.Get("X-Project-ID") != tc.wantProject || got.Header.Get("Authorization") != "Bearer "+testToken ||
				got.Header.Get("X-Opsdeck-Capability") != "incidents:read" || got.Header.Get("X-Grafana-User") != cmp.Or(tc.user, "grafana-server") ||
				got.Header.Get("X-Grafana-Org-Id") != "1" {
				t.Errorf("headers %v", got.Header)
			}
		})
	}
}

func TestErrorsCarryTheEnvelope(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		wantStatus backend.Status
		wantText   string
		wantCalls  int
	}{
		{"a 403 envelope, not retried", 403, envelope403, 403,
			"no access to project vision (insufficient_permissions, correlation ID req-ds-1)", 1},
		{"a 503 envelope, retried twice then shown", 503, `{"code":"store_unavailable","message":"the store is unavailable","correlation_id":"c-503","details":{}}`, 503,
			"the store is unavailable (store_unavailable, correlation ID c-503)", 3},
		{"a proxy's HTML page", 502, `<html>bad gateway</html>`, 502, "the Opsdeck API request failed: HTTP 502", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			double := newAPIDouble(t, answerJSON(tc.status, tc.body))
			ds := newTestDatasource(t, double.URL, map[string]any{})
			response := runOne(t, ds, context.Background(), dataQuery("A", "approvals", map[string]any{}), "")
			if response.Error == nil || !strings.Contains(response.Error.Error(), tc.wantText) {
				t.Fatalf("error = %v", response.Error)
			}
			if response.Status != tc.wantStatus || response.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("status %v source %v", response.Status, response.ErrorSource)
			}
			if notices := response.Frames[0].Meta.Notices; len(notices) != 1 || notices[0].Text != response.Error.Error() {
				t.Errorf("notices %+v", notices)
			}
			if calls := len(double.seen()); calls != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls, tc.wantCalls)
			}
		})
	}
}

func TestRetryRecoversFromOne5xx(t *testing.T) {
	var calls atomic.Int32
	double := newAPIDouble(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			answerJSON(503, `{"code":"overloaded","message":"busy","correlation_id":"c","details":{}}`)(w, r)
			return
		}
		answerJSON(200, `{"items":[]}`)(w, r)
	})
	ds := newTestDatasource(t, double.URL, map[string]any{})
	response := runOne(t, ds, context.Background(), dataQuery("A", "runbooks", map[string]any{}), "")
	if response.Error != nil || calls.Load() != 2 {
		t.Fatalf("error %v after %d calls", response.Error, calls.Load())
	}
}

func TestCancellationAndTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	double := newAPIDouble(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Run("Grafana cancels the request: the API call ends at once, no retry", func(t *testing.T) {
		ds := newTestDatasource(t, double.URL, map[string]any{})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		started := time.Now()
		response := runOne(t, ds, ctx, dataQuery("A", "incidents", map[string]any{}), "")
		if response.Error == nil || !strings.Contains(response.Error.Error(), "cancelled") || time.Since(started) > 2*time.Second {
			t.Fatalf("error %v after %s", response.Error, time.Since(started))
		}
	})
	t.Run("the API does not answer within the timeout", func(t *testing.T) {
		ds := newTestDatasource(t, double.URL, map[string]any{"timeoutSeconds": 1, "retries": 0})
		response := runOne(t, ds, context.Background(), dataQuery("A", "incidents", map[string]any{}), "")
		if response.Error == nil || !strings.Contains(response.Error.Error(), "did not answer within 1s") || response.Status != 504 {
			t.Fatalf("error %v status %v", response.Error, response.Status)
		}
	})
}

func TestBadQueriesAndSettings(t *testing.T) {
	double := newAPIDouble(t, answerJSON(200, `{"items":[]}`))
	tests := []struct {
		name      string
		jsonData  map[string]any
		queryType string
		want      string
	}{
		{"unknown query type", map[string]any{}, "nonsense", `unknown query type "nonsense": use one of incidents, runbooks`},
		{"no API URL", map[string]any{"apiUrl": ""}, "incidents", "the API URL is not set"},
		{"not an http URL", map[string]any{"apiUrl": "ftp://x"}, "incidents", `the API URL "ftp://x" is not an http(s) URL`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := newTestDatasource(t, double.URL, tc.jsonData)
			response := runOne(t, ds, context.Background(), dataQuery("A", tc.queryType, map[string]any{}), "")
			if response.Error == nil || !strings.Contains(response.Error.Error(), tc.want) || response.Status != 400 {
				t.Fatalf("error %v status %v", response.Error, response.Status)
			}
		})
	}
	if len(double.seen()) != 0 {
		t.Errorf("a bad query reached the API")
	}
}

func TestPendingApprovalCountFiltersByAge(t *testing.T) {
	fixed := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	now = func() time.Time { return fixed }
	t.Cleanup(func() { now = time.Now })
	double := newAPIDouble(t, answerJSON(200, `{"items":[
		{"id":"a","risk_class":"R3","status":"pending","requested_at":"2025-01-15T11:00:00.000Z"},
		{"id":"b","risk_class":"R3","status":"pending","requested_at":"2025-01-15T11:45:00.000Z"},
		{"id":"c","risk_class":"R2","status":"pending","requested_at":"2025-01-15T10:00:00.000Z"}]}`))
	ds := newTestDatasource(t, double.URL, map[string]any{})
	tests := []struct {
		model map[string]any
		want  map[string]float64
	}{
		{map[string]any{"olderThanMinutes": 30}, map[string]float64{"R1": 0, "R2": 1, "R3": 1}},
		{map[string]any{}, map[string]float64{"R1": 0, "R2": 1, "R3": 2}},
		{map[string]any{"riskClass": "R3", "olderThanMinutes": 30}, map[string]float64{"R3": 1}},
	}
	for _, tc := range tests {
		response := runOne(t, ds, context.Background(), dataQuery("A", "pending_approval_count", tc.model), "")
		frame := response.Frames[0]
		if frame.Meta.Type != data.FrameTypeNumericLong {
			t.Fatalf("frame type %v", frame.Meta.Type)
		}
		got := map[string]float64{}
		for i := 0; i < frame.Fields[0].Len(); i++ {
			got[frame.Fields[0].At(i).(string)] = frame.Fields[1].At(i).(float64)
		}
		if encoded, want := mustJSON(got), mustJSON(tc.want); encoded != want {
			t.Errorf("%v: got %s want %s", tc.model, encoded, want)
		}
	}
	if q := double.seen()[0].URL.Query(); q.Get("status") != "pending" {
		t.Errorf("asked %v", q)
	}
}

func mustJSON(v any) string {
	encoded, _ := json.Marshal(v)
	return string(encoded)
}

func TestCheckHealthMessages(t *testing.T) {
	tests := []struct {
		name    string
		handle  func(w http.ResponseWriter, r *http.Request)
		apiURL  string
		token   string
		wantOK  bool
		message string
	}{
		{"ready and accepted", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/readyz" {
				answerJSON(200, `{"status":"ready","store":"postgres","schema_version":6}`)(w, r)
				return
			}
			answerJSON(200, `{"items":[]}`)(w, r)
		}, "", testToken, true, "Opsdeck API is ready (store: postgres, schema 6); the service token is accepted for project *"},
		{"not ready", answerJSON(503, `{"code":"not_ready","message":"store schema is at version 5, expected 6","correlation_id":"c-r","details":{}}`),
			"", testToken, false, "Opsdeck API is up but not ready: store schema is at version 5, expected 6 (not_ready, correlation ID c-r)"},
		{"bad token", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/readyz" {
				answerJSON(200, `{"status":"ready","store":"embedded","schema_version":6}`)(w, r)
				return
			}
			answerJSON(401, `{"code":"unauthenticated","message":"a valid service token is required (Authorization: Bearer)","correlation_id":"c-401","details":{}}`)(w, r)
		}, "", testToken, false, "Opsdeck API rejected the service token"},
		{"not the Opsdeck API", answerJSON(404, `{}`), "", testToken, false, "answers but is not the Opsdeck API"},
		{"unreachable", nil, "http://127.0.0.1:9", testToken, false, "Opsdeck API is not reachable: check the API URL (http://127.0.0.1:9)"},
		{"no token", nil, "", "", false, "the service token is not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			handle := tc.handle
			if handle == nil {
				handle = answerJSON(200, `{}`)
			}
			double := newAPIDouble(t, handle)
			jsonData := map[string]any{"retries": 0}
			if tc.apiURL != "" {
				jsonData["apiUrl"] = tc.apiURL
			}
			ds := newTestDatasource(t, double.URL, jsonData)
			ds.settings.Token = tc.token
			result, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if (result.Status == backend.HealthStatusOk) != tc.wantOK || !strings.Contains(result.Message, tc.message) {
				t.Fatalf("%v %q", result.Status, result.Message)
			}
		})
	}
}

type captured struct {
	responses []*backend.CallResourceResponse
}

func (c *captured) Send(response *backend.CallResourceResponse) error {
	c.responses = append(c.responses, response)
	return nil
}

func TestVariableResources(t *testing.T) {
	double := newAPIDouble(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/slos/status" {
			answerJSON(200, `{"items":[{"service":"b"},{"service":"a"},{"service":"b"}]}`)(w, r)
			return
		}
		answerJSON(200, `{"items":[{"tenant":"t2","project":"p","owner_team":null,"signal_key":"s"},{"tenant":"t1","project":"p","owner_team":"ops","signal_key":null}]}`)(w, r)
	})
	ds := newTestDatasource(t, double.URL, map[string]any{})
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"variables/tenants", 200, `[{"text":"t1"},{"text":"t2"}]`},
		{"variables/projects", 200, `[{"text":"p"}]`},
		{"variables/owner_teams", 200, `[{"text":"ops"}]`},
		{"variables/signals", 200, `[{"text":"s"}]`},
		{"variables/services", 200, `[{"text":"a"},{"text":"b"}]`},
		{"variables/nonsense", 400, `Unknown variable query \"nonsense\"`},
		{"other", 404, `serves GET variables/<kind> only`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			sender := &captured{}
			err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Path: tc.path, Method: "GET", URL: tc.path}, sender)
			if err != nil || len(sender.responses) != 1 {
				t.Fatalf("err %v, %d responses", err, len(sender.responses))
			}
			got := sender.responses[0]
			if got.Status != tc.status || !strings.Contains(string(got.Body), tc.body) {
				t.Fatalf("%d %s", got.Status, got.Body)
			}
		})
	}
}
