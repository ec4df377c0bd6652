package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// CheckHealth is Save & test: the API is reachable and ready (/readyz), and the token is accepted
// for the default project. Each failure says which of these it is.
func (d *Datasource) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		return failed(d.settingsErr.Error()), nil
	}
	if d.settings.Token == "" {
		return failed("the service token is not set: enter OPSDECK_API_TOKEN in Service token"), nil
	}
	caller := callerOf(req.PluginContext)
	var ready readyStatus
	if err := d.client.Get(ctx, caller, apiPaths.Readyz, nil, "", &ready); err != nil {
		return failed(describeReadyFailure(d.settings.APIURL, err)), nil
	}
	// A cheap authenticated read: /readyz is public, so it cannot tell a wrong token.
	var slos sloStatusList
	if err := d.client.Get(ctx, caller, apiPaths.SloStatus, nil, "", &slos); err != nil {
		return failed(describeAuthFailure(d.settings.DefaultProject, err)), nil
	}
	return &backend.CheckHealthResult{
		Status:  backend.HealthStatusOk,
		Message: fmt.Sprintf("Opsdeck API is ready (store: %s, schema %d); the service token is accepted for project %s", ready.Store, ready.SchemaVersion, d.settings.DefaultProject),
	}, nil
}

func failed(message string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: message}
}

func describeReadyFailure(apiURL string, err error) string {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return "Opsdeck API health check failed: " + err.Error()
	}
	switch {
	case apiErr.Code == "unreachable" || apiErr.Code == "timeout":
		return fmt.Sprintf("Opsdeck API is not reachable: check the API URL (%s): %s", apiURL, apiErr.Message)
	case apiErr.Code == "not_ready":
		return "Opsdeck API is up but not ready: " + apiErr.Error()
	case apiErr.Status == http.StatusNotFound:
		return fmt.Sprintf("%s answers but is not the Opsdeck API (no /readyz): check the API URL", apiURL)
	default:
		return "Opsdeck API is not ready: " + apiErr.Error()
	}
}

func describeAuthFailure(project string, err error) string {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return "Opsdeck API check failed: " + err.Error()
	}
	switch apiErr.Status {
	case http.StatusUnauthorized:
		return "Opsdeck API rejected the service token: enter the API's OPSDECK_API_TOKEN (" + apiErr.Error() + ")"
	case http.StatusForbidden, http.StatusBadRequest:
		return fmt.Sprintf("the service token works but the default project %q is not allowed: %s", project, apiErr.Error())
	default:
		return "Opsdeck API is ready but a read failed: " + apiErr.Error()
	}
}
