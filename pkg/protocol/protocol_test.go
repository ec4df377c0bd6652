// Package protocol tests the built backend executable the way Grafana runs it: go-plugin client,
// the SDK's handshake, gRPC; CheckHealth, QueryData for every query type and CallResource, with the
// frames compared to the frame contract the frontend is held to.
package protocol

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/opsdeck/pkg/internal/framecontract"
	"github.com/opsdeck/opsdeck/pkg/internal/grafanahost"
)

const token = "protocol-test-token"

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// executable is dist/datasource's build for this platform (what `npm run build` made), or, when
// that is missing or older than pkg/, a fresh `go build` of the same package into a temp dir.
func executable(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("OPSDECK_DS_EXECUTABLE"); path != "" {
		return path
	}
	root := repoRoot()
	built := filepath.Join(root, "dist", "datasource", "gpx_opsdeck_ops_datasource_"+runtime.GOOS+"_"+runtime.GOARCH)
	// The executable is pkg/main.go and pkg/plugin (the internal packages are Grafana's side).
	if info, err := os.Stat(built); err == nil && !newerSources(filepath.Join(root, "pkg", "plugin"), info.ModTime()) &&
		!newerSources(filepath.Join(root, "pkg", "main.go"), info.ModTime()) {
		return built
	}
	t.Logf("%s is missing or older than pkg/: building a fresh one", built)
	out := filepath.Join(t.TempDir(), "gpx_opsdeck_ops_datasource")
	cmd := exec.Command("go", "build", "-o", out, "./pkg")
	cmd.Dir = root
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
	return out
}

func newerSources(dir string, than time.Time) bool {
	newer := false
	_ = filepath.WalkDir(dir, func(path string, entry os.DirEntry, err error) error {
		if err == nil && !entry.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			if info, statErr := entry.Info(); statErr == nil && info.ModTime().After(than) {
				newer = true
			}
		}
		return nil
	})
	return newer
}

// recordedAPI serves the recorded answers of the frame contract by path, and refuses a wrong token
// with the API's own recorded 401 envelope.
type recordedAPI struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
}

func startRecordedAPI(t *testing.T) *recordedAPI {
	t.Helper()
	cases, err := framecontract.Cases()
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string][]byte{}
	for _, c := range cases {
		answers[c.Path], _ = framecontract.Read(c.Answer)
	}
	answers["/readyz"], _ = framecontract.Read("api/readyz.json")
	unauthorized, _ := framecontract.Read("api/error-401.json")
	api := &recordedAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.mu.Lock()
		api.headers = append(api.headers, r.Header.Clone())
		api.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		body, known := answers[r.URL.Path]
		switch {
		case !known:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":"not_found","message":"no such route","correlation_id":"rec-404","details":{}}`))
		case r.URL.Path != "/readyz" && r.Header.Get("Authorization") != "Bearer "+token:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(unauthorized)
		default:
			_, _ = w.Write(body)
		}
	}))
	t.Cleanup(api.Close)
	return api
}

func pluginContext(apiURL, apiToken string) backend.PluginContext {
	return backend.PluginContext{
		Namespace: "default",
		PluginID:  "opsdeck-ops-datasource",
		User:      &backend.User{Login: "sre-lead", Role: "Editor"},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: "opsdeck", Type: "opsdeck-ops-datasource", Name: "Opsdeck", Updated: time.Now(),
			JSONData:                []byte(`{"apiUrl":"` + apiURL + `","defaultProject":"*"}`),
			DecryptedSecureJSONData: map[string]string{"apiToken": apiToken},
		},
	}
}

func startPlugin(t *testing.T) *grafanahost.Plugin {
	t.Helper()
	plugin, err := grafanahost.Start(executable(t), testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(plugin.Stop)
	return plugin
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func TestProtocol(t *testing.T) {
	api := startRecordedAPI(t)
	plugin := startPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pc := pluginContext(api.URL, token)

	t.Run("CheckHealth reports the API ready", func(t *testing.T) {
		health, err := plugin.CheckHealth(ctx, pc)
		if err != nil {
			t.Fatal(err)
		}
		// The schema version the recorded /readyz answer names: re-recording after a migration must not
		// break this test.
		var ready struct {
			SchemaVersion int `json:"schema_version"`
		}
		raw, _ := framecontract.Read("api/readyz.json")
		if err := json.Unmarshal(raw, &ready); err != nil || ready.SchemaVersion == 0 {
			t.Fatalf("api/readyz.json: %v %s", err, raw)
		}
		want := fmt.Sprintf("store: embedded, schema %d", ready.SchemaVersion)
		if health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, want) {
			t.Fatalf("health = %v %q", health.Status, health.Message)
		}
	})

	t.Run("CheckHealth names a wrong token", func(t *testing.T) {
		health, err := plugin.CheckHealth(ctx, pluginContext(api.URL, "wrong"))
		if err != nil {
			t.Fatal(err)
		}
		if health.Status != backend.HealthStatusError || !strings.Contains(health.Message, "rejected the service token") {
			t.Fatalf("health = %v %q", health.Status, health.Message)
		}
	})

	t.Run("QueryData answers every table query type with the contract's frame", func(t *testing.T) {
		testTableQueries(t, ctx, plugin, pc)
		for _, header := range api.headers {
			if header.Get("X-Project-ID") == "" && header.Get("Authorization") != "" {
				t.Errorf("a call without X-Project-ID: %v", header)
			}
		}
	})

	t.Run("QueryData answers the numeric query types as numeric-long frames", func(t *testing.T) {
		testNumericQueries(t, ctx, plugin, pc)
	})

	t.Run("QueryData carries the API's error envelope", func(t *testing.T) {
		response := queryOne(t, ctx, plugin, pluginContext(api.URL, "wrong"), "A", "approvals")
		if response.Error == nil || !strings.Contains(response.Error.Error(), "(unauthenticated, correlation ID opsdeck-") {
			t.Fatalf("error = %v", response.Error)
		}
		notices := response.Frames[0].Meta.Notices
		if len(notices) != 1 || !strings.Contains(notices[0].Text, "a valid service token is required") {
			t.Fatalf("notices = %+v", notices)
		}
		if response.Status != backend.StatusUnauthorized {
			t.Fatalf("status = %v", response.Status)
		}
	})

	t.Run("CallResource answers variable queries", func(t *testing.T) {
		testVariables(t, ctx, plugin, pc)
	})

	t.Run("Grafana cancelling a query ends the plugin's API call; the plugin keeps serving", func(t *testing.T) {
		testCancellation(t, plugin)
	})
}

func testCancellation(t *testing.T, plugin *grafanahost.Plugin) {
	called := make(chan struct{}, 1)
	released := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called <- struct{}{}
		<-r.Context().Done() // the plugin gave up the call: Grafana's cancellation reached it
		close(released)
	}))
	defer hanging.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := plugin.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pluginContext(hanging.URL, token),
		Queries: []backend.DataQuery{{RefID: "A", QueryType: "incidents", JSON: []byte(`{}`)}}})
	if err == nil || time.Since(started) > 3*time.Second {
		t.Fatalf("QueryData returned %v after %s", err, time.Since(started))
	}
	<-called
	select {
	case <-released:
	case <-time.After(3 * time.Second):
		t.Fatal("the plugin's API call was still open 3 s after Grafana cancelled")
	}
	if plugin.Exited() {
		t.Fatal("the plugin process exited")
	}
}

func testTableQueries(t *testing.T, ctx context.Context, plugin *grafanahost.Plugin, pc backend.PluginContext) {
	cases, _ := framecontract.Cases()
	request := &backend.QueryDataRequest{PluginContext: pc}
	for _, c := range cases {
		var model struct {
			RefID     string `json:"refId"`
			QueryType string `json:"queryType"`
		}
		_ = json.Unmarshal(c.Query, &model)
		request.Queries = append(request.Queries, backend.DataQuery{RefID: model.RefID, QueryType: model.QueryType, JSON: c.Query,
			TimeRange: backend.TimeRange{From: time.Now().Add(-time.Hour), To: time.Now()}})
	}
	response, err := plugin.QueryData(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		answer := response.Responses[request.Queries[i].RefID]
		if answer.Error != nil || len(answer.Frames) != 1 {
			t.Errorf("%s: error %v, %d frames", c.Name, answer.Error, len(answer.Frames))
			continue
		}
		got, _ := framecontract.Describe(answer.Frames[0])
		want, _ := framecontract.Expected(c.Frame)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the executable's frame differs from %s", c.Name, c.Frame)
		}
	}
}

func queryOne(t *testing.T, ctx context.Context, plugin *grafanahost.Plugin, pc backend.PluginContext, refID, queryType string) backend.DataResponse {
	t.Helper()
	response, err := plugin.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{
		{RefID: refID, QueryType: queryType, JSON: []byte(`{"refId":"` + refID + `"}`), TimeRange: backend.TimeRange{From: time.Now().Add(-time.Hour), To: time.Now()}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return response.Responses[refID]
}

// Expected values come from the recorded answers (the double ignores the status filter, so every
// recorded incident and approval counts; every recorded approval is older than 0 minutes).
func testNumericQueries(t *testing.T, ctx context.Context, plugin *grafanahost.Plugin, pc backend.PluginContext) {
	var incidents struct {
		Items []struct {
			Severity string
			Response *struct {
				AckStatus      string `json:"ack_status"`
				ResponseStatus string `json:"response_status"`
			}
		} `json:"items"`
	}
	var approvals struct {
		Items []struct {
			RiskClass string `json:"risk_class"`
			Status    string `json:"status"`
		} `json:"items"`
	}
	raw, _ := framecontract.Read("api/incidents.json")
	_ = json.Unmarshal(raw, &incidents)
	raw, _ = framecontract.Read("api/approvals.json")
	_ = json.Unmarshal(raw, &approvals)
	bySeverity := map[string]float64{}
	breachedBySeverity := map[string]float64{}
	for _, i := range incidents.Items {
		bySeverity[i.Severity]++
		if i.Response != nil && (i.Response.AckStatus == "breached" || i.Response.ResponseStatus == "breached") {
			breachedBySeverity[i.Severity]++
		}
	}
	pendingByRisk := map[string]float64{}
	for _, a := range approvals.Items {
		if a.Status == "pending" {
			pendingByRisk[a.RiskClass]++
		}
	}
	for _, check := range []struct {
		queryType, label, value string
		want                    map[string]float64
		keys                    []string
	}{
		{"open_incident_count", "severity", "open_incidents", bySeverity, []string{"sev1", "sev2", "sev3", "sev4"}},
		{"pending_approval_count", "risk_class", "pending_approvals", pendingByRisk, []string{"R1", "R2", "R3"}},
		{"response_breach_count", "severity", "breached_incidents", breachedBySeverity, []string{"sev1", "sev2", "sev3", "sev4"}},
	} {
		frame := queryOne(t, ctx, plugin, pc, "N", check.queryType).Frames[0]
		if frame.Meta == nil || frame.Meta.Type != data.FrameTypeNumericLong {
			t.Fatalf("%s: not numeric-long: %+v", check.queryType, frame.Meta)
		}
		labels, _ := frame.FieldByName(check.label)
		values, _ := frame.FieldByName(check.value)
		got := map[string]float64{}
		var keys []string
		for i := 0; i < labels.Len(); i++ {
			keys = append(keys, labels.At(i).(string))
			got[keys[i]] = values.At(i).(float64)
		}
		for _, key := range check.keys {
			if got[key] != check.want[key] {
				t.Errorf("%s %s = %v, want %v", check.queryType, key, got[key], check.want[key])
			}
		}
		if !slices.Equal(keys, check.keys) {
			t.Errorf("%s rows %v, want %v", check.queryType, keys, check.keys)
		}
	}
	slo := queryOne(t, ctx, plugin, pc, "S", "slo_burn_budget").Frames[0]
	if _, budget := slo.FieldByName("error_budget_remaining"); budget < 0 || slo.Meta.Type != data.FrameTypeNumericLong {
		t.Errorf("slo_burn_budget frame: %+v", slo.Meta)
	}
}

func testVariables(t *testing.T, ctx context.Context, plugin *grafanahost.Plugin, pc backend.PluginContext) {
	var incidents struct {
		Items []struct{ Tenant string } `json:"items"`
	}
	raw, _ := framecontract.Read("api/incidents.json")
	_ = json.Unmarshal(raw, &incidents)
	var want []map[string]string
	seen := map[string]bool{}
	var tenants []string
	for _, i := range incidents.Items {
		if !seen[i.Tenant] {
			seen[i.Tenant] = true
			tenants = append(tenants, i.Tenant)
		}
	}
	slices.Sort(tenants)
	for _, tenant := range tenants {
		want = append(want, map[string]string{"text": tenant})
	}
	answer, err := plugin.CallResource(ctx, &backend.CallResourceRequest{PluginContext: pc, Path: "variables/tenants", Method: "GET", URL: "variables/tenants"})
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	if err := json.Unmarshal(answer.Body, &got); err != nil || answer.Status != 200 || !reflect.DeepEqual(got, want) {
		t.Fatalf("tenants: %d %s (want %v)", answer.Status, answer.Body, want)
	}
	unknown, err := plugin.CallResource(ctx, &backend.CallResourceRequest{PluginContext: pc, Path: "variables/nonsense", Method: "GET", URL: "variables/nonsense"})
	if err != nil {
		t.Fatal(err)
	}
	if unknown.Status != 400 || !strings.Contains(string(unknown.Body), `Unknown variable query \"nonsense\"`) {
		t.Fatalf("nonsense: %d %s", unknown.Status, unknown.Body)
	}
}
