// Package plugin is the Opsdeck datasource's backend: QueryData, CheckHealth and CallResource over
// the companion API, for dashboards, Grafana-managed alert rules, public dashboards and reports.
package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured Opsdeck datasource. A settings error is kept, not returned, so that
// Save & test can say what is wrong instead of Grafana's generic "plugin unavailable".
type Datasource struct {
	settings    Settings
	settingsErr error
	client      *APIClient
	logger      log.Logger
}

// NewDatasource is the instance factory datasource.Manage calls for each datasource configuration
// (and again when its settings change; the old one is disposed).
func NewDatasource(ctx context.Context, instance backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	logger := log.DefaultLogger.FromContext(ctx).With("datasource_uid", instance.UID)
	settings, settingsErr := LoadSettings(instance)
	options, err := instance.HTTPClientOptions(ctx)
	if err != nil {
		return nil, fmt.Errorf("http client options: %w", err)
	}
	// The per-attempt context deadline (apiclient.go) is what times a call out and is reported as
	// "did not answer within …". The SDK copies Timeouts.Timeout into the transport's
	// ResponseHeaderTimeout and the client's Timeout: equal to our deadline they raced it (a CI run saw
	// "not reachable: timeout awaiting response headers"), so they stay a second behind as backstops.
	options.Timeouts.Timeout = settings.Timeout + time.Second
	client, err := httpclient.New(options)
	if err != nil {
		return nil, fmt.Errorf("http client: %w", err)
	}
	return &Datasource{settings: settings, settingsErr: settingsErr, client: NewAPIClient(settings, client, logger), logger: logger}, nil
}

// Dispose is called when Grafana replaces or removes this instance.
func (d *Datasource) Dispose() {
	d.client.http.CloseIdleConnections()
}

func callerOf(pc backend.PluginContext) Caller {
	caller := Caller{OrgID: orgOf(pc.Namespace)}
	if pc.User != nil {
		caller.Login = pc.User.Login
	}
	return caller
}

// QueryData runs every query of the request concurrently; each answers its own frame or error.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	response := backend.NewQueryDataResponse()
	caller := callerOf(req.PluginContext)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, dq := range req.Queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answer := d.query(ctx, caller, dq)
			mu.Lock()
			response.Responses[dq.RefID] = answer
			mu.Unlock()
		}()
	}
	wg.Wait()
	return response, nil
}

func (d *Datasource) query(ctx context.Context, caller Caller, dq backend.DataQuery) backend.DataResponse {
	queryType := dq.QueryType
	if queryType == "" {
		queryType = "incidents"
	}
	if d.settingsErr != nil {
		return errorResponse(dq.RefID, queryType, &APIError{Status: 400, Code: "invalid_settings", Message: d.settingsErr.Error()})
	}
	run, known := runners[queryType]
	if !known {
		return errorResponse(dq.RefID, queryType, &APIError{Status: 400, Code: "invalid_query",
			Message: fmt.Sprintf("unknown query type %q: use one of %s", queryType, strings.Join(QueryTypes(), ", "))})
	}
	var query Query
	if len(dq.JSON) > 0 {
		if err := json.Unmarshal(dq.JSON, &query); err != nil {
			return errorResponse(dq.RefID, queryType, &APIError{Status: 400, Code: "invalid_query", Message: "the query is not valid JSON: " + err.Error()})
		}
	}
	api := func(ctx context.Context, path string, values url.Values, project string, out any) error {
		return d.client.Get(ctx, caller, path, values, strings.TrimSpace(project), out)
	}
	frame, err := run(ctx, api, query, dq)
	if err != nil {
		d.logger.FromContext(ctx).Warn("Opsdeck query failed", "query_type", queryType, "ref_id", dq.RefID, "error", err.Error())
		return errorResponse(dq.RefID, queryType, err)
	}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// orgOf reads Grafana's namespace (PluginContext.OrgID is deprecated for it): "default" is org 1,
// "org-<n>" org n, anything else unknown.
func orgOf(namespace string) int64 {
	if namespace == "default" {
		return 1
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(namespace, "org-"), 10, 64); err == nil && strings.HasPrefix(namespace, "org-") {
		return id
	}
	return 0
}
