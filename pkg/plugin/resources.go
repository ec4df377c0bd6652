package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// VariableQueries are the template-variable queries the frontend's metricFindQuery asks for through
// GET resources/variables/<kind>.
var VariableQueries = []string{"tenants", "projects", "services", "owner_teams", "signals"}

type metricFindValue struct {
	Text string `json:"text"`
}

// CallResource answers GET variables/<kind> (?project=…) with distinct sorted values, or the envelope.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	kind, found := strings.CutPrefix(strings.Trim(req.Path, "/"), "variables/")
	if !found || req.Method != http.MethodGet {
		return sendJSON(sender, http.StatusNotFound, &APIError{Code: "not_found", Message: "the Opsdeck datasource serves GET variables/<kind> only"})
	}
	if !slices.Contains(VariableQueries, kind) {
		return sendJSON(sender, http.StatusBadRequest, &APIError{Code: "invalid_request",
			Message: "Unknown variable query \"" + kind + "\": use one of " + strings.Join(VariableQueries, ", ")})
	}
	if d.settingsErr != nil {
		return sendJSON(sender, http.StatusBadRequest, &APIError{Code: "invalid_settings", Message: d.settingsErr.Error()})
	}
	project := ""
	if parsed, err := urlQuery(req.URL); err == nil {
		project = parsed.Get("project")
	}
	values, err := d.variableValues(ctx, callerOf(req.PluginContext), kind, project)
	if err != nil {
		apiErr := &APIError{Status: http.StatusBadGateway, Code: "bad_gateway", Message: err.Error()}
		errors.As(err, &apiErr)
		return sendJSON(sender, min(max(apiErr.Status, 400), 599), apiErr)
	}
	return sendJSON(sender, http.StatusOK, values)
}

func (d *Datasource) variableValues(ctx context.Context, caller Caller, kind, project string) ([]metricFindValue, error) {
	var texts []string
	if kind == "services" {
		var list sloStatusList
		if err := d.client.Get(ctx, caller, apiPaths.SloStatus, nil, project, &list); err != nil {
			return nil, err
		}
		for _, slo := range list.Items {
			texts = append(texts, slo.Service)
		}
	} else {
		var page incidentPage
		if err := d.client.Get(ctx, caller, apiPaths.ListIncidents, params("limit", "500"), project, &page); err != nil {
			return nil, err
		}
		for _, incident := range page.Items {
			texts = append(texts, map[string]string{
				"tenants": incident.Tenant, "projects": incident.Project,
				"owner_teams": orEmpty(incident.OwnerTeam), "signals": orEmpty(incident.SignalKey),
			}[kind])
		}
	}
	texts = slices.DeleteFunc(texts, func(text string) bool { return text == "" })
	slices.Sort(texts)
	values := []metricFindValue{}
	for _, text := range slices.Compact(texts) {
		values = append(values, metricFindValue{Text: text})
	}
	return values, nil
}

func sendJSON(sender backend.CallResourceResponseSender, status int, body any) error {
	if envelope, isEnvelope := body.(*APIError); isEnvelope && envelope.Details == nil {
		envelope.Details = map[string]any{} // the envelope always has details
	}
	var encoded bytes.Buffer
	encoder := json.NewEncoder(&encoded)
	encoder.SetEscapeHTML(false) // messages name paths like variables/<kind>
	if err := encoder.Encode(body); err != nil {
		return err
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    encoded.Bytes(),
	})
}

func urlQuery(raw string) (url.Values, error) {
	parsed, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	return parsed.Query(), nil
}
