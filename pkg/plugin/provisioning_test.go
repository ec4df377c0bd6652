package plugin

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The alert rules provisioned over this datasource, run query for query through QueryData as
// Grafana's alerting would: each query must parse, be a numeric type, and give the number the rule's
// threshold reads.
func TestProvisionedAlertRuleQueries(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "provisioning", "alerting", "opsdeck-datasource-rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Rules []struct {
				UID  string `yaml:"uid"`
				Data []struct {
					DatasourceUID string         `yaml:"datasourceUid"`
					Model         map[string]any `yaml:"model"`
				} `yaml:"data"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	fixed := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	now = func() time.Time { return fixed }
	t.Cleanup(func() { now = time.Now })
	// One R3 request waiting 40 minutes, one 10 minutes, one R2 waiting an hour.
	double := newAPIDouble(t, answerJSON(200, `{"items":[
		{"id":"old","risk_class":"R3","status":"pending","requested_at":"2025-01-15T11:20:00.000Z"},
		{"id":"new","risk_class":"R3","status":"pending","requested_at":"2025-01-15T11:50:00.000Z"},
		{"id":"r2","risk_class":"R2","status":"pending","requested_at":"2025-01-15T11:00:00.000Z"}]}`))
	ds := newTestDatasource(t, double.URL, map[string]any{})
	want := map[string]float64{"opsdeck_r3_approval_waiting": 1}
	seen := 0
	for _, group := range file.Groups {
		for _, rule := range group.Rules {
			for _, query := range rule.Data {
				if query.DatasourceUID != "opsdeck" {
					continue
				}
				seen++
				queryType, _ := query.Model["queryType"].(string)
				if _, numeric := map[string]bool{"open_incident_count": true, "pending_approval_count": true, "slo_burn_budget": true}[queryType]; !numeric {
					t.Fatalf("%s: query type %q is not numeric", rule.UID, queryType)
				}
				model, _ := json.Marshal(query.Model)
				dq := dataQuery("A", queryType, nil)
				dq.JSON = model
				response := runOne(t, ds, context.Background(), dq, "")
				if response.Error != nil {
					t.Fatalf("%s: %v", rule.UID, response.Error)
				}
				values := response.Frames[0].Fields[1]
				if values.Len() != 1 || values.At(0).(float64) != want[rule.UID] {
					t.Errorf("%s: %d rows, first %v, want one row %v", rule.UID, values.Len(), values.At(0), want[rule.UID])
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no rule queries the Opsdeck datasource")
	}
}
