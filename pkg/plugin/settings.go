package plugin

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// PluginID is the datasource's id in src/datasource/plugin.json (DATASOURCE_PLUGIN_ID of src/contract/links.ts).
var PluginID = contract.Plugins.Datasource

// Defaults chosen for an on-call tool: a dashboard panel or an alert rule that waits longer than
// 10 s for the API is worse than one that shows the failure; two retries cover an API restart.
const (
	defaultTimeout = 10 * time.Second
	defaultRetries = 2
)

// Settings is one datasource instance's configuration: jsonData from the config editor and the
// service token from secureJsonData (decrypted by Grafana, never sent back to the browser).
type Settings struct {
	APIURL         string
	DefaultProject string
	Token          string
	Timeout        time.Duration
	Retries        int
	// ServerUser is X-Grafana-User when Grafana's server asks with no signed-in user (alert rules,
	// reports, public dashboards); catalog/access.yaml gives it a global viewer binding.
	ServerUser string
}

// defaultServerUser is the identity catalog/access.yaml grants read access to every project.
const defaultServerUser = "grafana-server"

type jsonData struct {
	APIURL         string `json:"apiUrl"`
	DefaultProject string `json:"defaultProject"`
	TimeoutSeconds int    `json:"timeoutSeconds"`
	Retries        *int   `json:"retries"`
	ServerUser     string `json:"serverUser"`
}

// LoadSettings reads and checks an instance's settings; a bad URL is an error the health check shows.
func LoadSettings(instance backend.DataSourceInstanceSettings) (Settings, error) {
	var raw jsonData
	if len(instance.JSONData) > 0 {
		if err := json.Unmarshal(instance.JSONData, &raw); err != nil {
			return Settings{}, fmt.Errorf("the datasource settings are not valid JSON: %w", err)
		}
	}
	settings := Settings{
		APIURL:         strings.TrimRight(strings.TrimSpace(raw.APIURL), "/"),
		DefaultProject: strings.TrimSpace(raw.DefaultProject),
		Token:          strings.TrimSpace(instance.DecryptedSecureJSONData["apiToken"]),
		Timeout:        defaultTimeout,
		Retries:        defaultRetries,
	}
	settings.ServerUser = strings.TrimSpace(raw.ServerUser)
	if settings.ServerUser == "" {
		settings.ServerUser = defaultServerUser
	}
	if settings.DefaultProject == "" {
		settings.DefaultProject = "*"
	}
	if raw.TimeoutSeconds > 0 {
		settings.Timeout = time.Duration(raw.TimeoutSeconds) * time.Second
	}
	if raw.Retries != nil && *raw.Retries >= 0 {
		settings.Retries = *raw.Retries
	}
	if settings.APIURL == "" {
		return settings, fmt.Errorf("the API URL is not set: enter where Grafana's server reaches the Opsdeck API, e.g. http://opsdeck-api:8787")
	}
	parsed, err := url.Parse(settings.APIURL)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return settings, fmt.Errorf("the API URL %q is not an http(s) URL", settings.APIURL)
	}
	return settings, nil
}
