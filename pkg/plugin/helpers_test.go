package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const testToken = "go-test-token"

// apiDouble is an httptest stand-in for the companion API: answers by path, records every request.
type apiDouble struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	handle   func(w http.ResponseWriter, r *http.Request)
}

func newAPIDouble(t *testing.T, handle func(w http.ResponseWriter, r *http.Request)) *apiDouble {
	t.Helper()
	double := &apiDouble{handle: handle}
	double.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		double.mu.Lock()
		double.requests = append(double.requests, r.Clone(context.Background()))
		double.mu.Unlock()
		double.handle(w, r)
	}))
	t.Cleanup(double.Close)
	return double
}

func (d *apiDouble) seen() []*http.Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*http.Request(nil), d.requests...)
}

func answerJSON(status int, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func newTestDatasource(t *testing.T, apiURL string, jsonData map[string]any) *Datasource {
	t.Helper()
	if _, set := jsonData["apiUrl"]; !set {
		jsonData["apiUrl"] = apiURL
	}
	raw, _ := json.Marshal(jsonData)
	instance, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		UID: "opsdeck", Type: PluginID, JSONData: raw, DecryptedSecureJSONData: map[string]string{"apiToken": testToken},
	})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	ds := instance.(*Datasource)
	ds.client.backoff = func(int) time.Duration { return time.Millisecond }
	t.Cleanup(ds.Dispose)
	return ds
}

func dataQuery(refID, queryType string, model map[string]any) backend.DataQuery {
	raw, _ := json.Marshal(model)
	return backend.DataQuery{
		RefID: refID, QueryType: queryType, JSON: raw,
		TimeRange: backend.TimeRange{
			From: time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC),
			To:   time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC),
		},
	}
}

func runOne(t *testing.T, ds *Datasource, ctx context.Context, dq backend.DataQuery, user string) backend.DataResponse {
	t.Helper()
	pc := backend.PluginContext{Namespace: "default"}
	if user != "" {
		pc.User = &backend.User{Login: user}
	}
	response, err := ds.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{dq}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	return response.Responses[dq.RefID]
}
