// dsbridge stands in for Grafana's server in the browser suite (tests/browser/host): it launches the
// built datasource executable exactly as Grafana does (grafanahost: go-plugin, the SDK's handshake,
// gRPC) and answers Grafana's HTTP API for backend datasources over it:
//
//	POST /api/ds/query                               → QueryData   ({results: {refId: …}})
//	GET  /api/datasources/uid/<uid>/health          → CheckHealth ({status: OK|ERROR, message})
//	ANY  /api/datasources/uid/<uid>/resources/<path> → CallResource
//
// The host keeps the datasource's settings (as Grafana keeps them in its database) and sends them
// with each call in the X-Opsdeck-Instance header (JSON: uid, jsonData, secureJsonData, user, role).
// It prints "listening http://…" on stdout once ready and stops when stdin closes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/opsdeck/pkg/internal/grafanahost"
	"github.com/opsdeck/opsdeck/pkg/plugin"
)

type instance struct {
	UID            string            `json:"uid"`
	JSONData       json.RawMessage   `json:"jsonData"`
	SecureJSONData map[string]string `json:"secureJsonData"`
	User           string            `json:"user"`
	Role           string            `json:"role"`
	Updated        int64             `json:"updated"`
}

func main() {
	executable := flag.String("executable", "", "the datasource's backend executable")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	plugin, err := grafanahost.Start(*executable, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dsbridge:", err)
		os.Exit(1)
	}
	defer plugin.Stop()
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dsbridge:", err)
		os.Exit(1)
	}
	server := &http.Server{Handler: handler(plugin), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(listener) }()
	fmt.Printf("listening http://%s\n", listener.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin) // the host closes stdin (or exits) to stop us
	_ = server.Close()
}

func pluginContext(r *http.Request) (backend.PluginContext, error) {
	var inst instance
	if err := json.Unmarshal([]byte(r.Header.Get("X-Opsdeck-Instance")), &inst); err != nil {
		return backend.PluginContext{}, fmt.Errorf("X-Opsdeck-Instance: %w", err)
	}
	return backend.PluginContext{
		Namespace: "default",
		PluginID:  plugin.PluginID,
		User:      &backend.User{Login: inst.User, Role: inst.Role},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: inst.UID, Type: plugin.PluginID, Name: "Opsdeck", JSONData: inst.JSONData,
			DecryptedSecureJSONData: inst.SecureJSONData, Updated: time.UnixMilli(inst.Updated),
		},
	}, nil
}

func handler(plugin *grafanahost.Plugin) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/ds/query", func(w http.ResponseWriter, r *http.Request) {
		pc, err := pluginContext(r)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		req, err := queryRequest(r.Body, pc)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		answer, err := plugin.QueryData(r.Context(), req)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "plugin: " + err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, answer) // Grafana answers 200 with per-query errors inside
	})
	mux.HandleFunc("GET /api/datasources/uid/{uid}/health", func(w http.ResponseWriter, r *http.Request) {
		pc, err := pluginContext(r)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		result, err := plugin.CheckHealth(r.Context(), pc)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"status": "ERROR", "message": "plugin: " + err.Error()})
			return
		}
		status, code := "OK", http.StatusOK
		if result.Status != backend.HealthStatusOk {
			status, code = "ERROR", http.StatusBadRequest
		}
		writeJSON(w, code, map[string]string{"status": status, "message": result.Message})
	})
	mux.HandleFunc("/api/datasources/uid/{uid}/resources/{path...}", func(w http.ResponseWriter, r *http.Request) {
		resource(plugin, w, r)
	})
	return mux
}

func resource(plugin *grafanahost.Plugin, w http.ResponseWriter, r *http.Request) {
	pc, err := pluginContext(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	body, _ := io.ReadAll(r.Body)
	path := r.PathValue("path")
	target := path
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	answer, err := plugin.CallResource(r.Context(), &backend.CallResourceRequest{
		PluginContext: pc, Path: path, Method: r.Method, URL: target, Body: body, Headers: map[string][]string{},
	})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "plugin: " + err.Error()})
		return
	}
	for name, values := range answer.Headers {
		for _, value := range values {
			w.Header().Add(name, value)
		}
	}
	w.WriteHeader(answer.Status)
	_, _ = w.Write(answer.Body)
}

// queryRequest reads /api/ds/query's body as Grafana does: from/to in epoch milliseconds (strings),
// each query's refId, queryType, maxDataPoints and intervalMs, the whole query as its JSON.
func queryRequest(body io.Reader, pc backend.PluginContext) (*backend.QueryDataRequest, error) {
	var raw struct {
		Queries []json.RawMessage `json:"queries"`
		From    string            `json:"from"`
		To      string            `json:"to"`
	}
	if err := json.NewDecoder(body).Decode(&raw); err != nil {
		return nil, err
	}
	timeRange := backend.TimeRange{From: millis(raw.From, time.Now().Add(-6*time.Hour)), To: millis(raw.To, time.Now())}
	req := &backend.QueryDataRequest{PluginContext: pc, Headers: map[string]string{}}
	for _, query := range raw.Queries {
		var head struct {
			RefID         string  `json:"refId"`
			QueryType     string  `json:"queryType"`
			MaxDataPoints int64   `json:"maxDataPoints"`
			IntervalMs    float64 `json:"intervalMs"`
		}
		if err := json.Unmarshal(query, &head); err != nil {
			return nil, err
		}
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: head.RefID, QueryType: head.QueryType, MaxDataPoints: head.MaxDataPoints,
			Interval: time.Duration(head.IntervalMs) * time.Millisecond, TimeRange: timeRange, JSON: query,
		})
	}
	return req, nil
}

func millis(value string, fallback time.Time) time.Time {
	if ms, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64); err == nil {
		return time.UnixMilli(ms)
	}
	return fallback
}

func writeJSON(w http.ResponseWriter, status int, value any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(value)
}
