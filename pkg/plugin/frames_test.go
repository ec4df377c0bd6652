package plugin

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// The same cases as src/datasource/frames.test.ts, where the recorded answers have only nulls.
func TestSloFrameBurnWindows(t *testing.T) {
	frame := sloFrame("E", []sloStatus{
		{ID: "a", Objective: ptr(99.9), BurnRates: map[string]*float64{"5m": ptr(14.4), "1h": ptr(6.0), "6h": ptr(1.0), "30m": ptr(3.0), "3d": ptr(0.2)}},
		{ID: "b", Objective: ptr(99.9), BurnRates: map[string]*float64{"3d": ptr(0.5), "30m": ptr(2.0)}},
	})
	var windows []string
	for _, field := range frame.Fields {
		if name, ok := strings.CutPrefix(field.Name, "burn_rate_"); ok {
			windows = append(windows, name)
		}
	}
	if want := []string{"5m", "30m", "1h", "6h", "3d"}; !slices.Equal(windows, want) {
		t.Fatalf("windows %v, want %v", windows, want)
	}
	field, _ := frame.FieldByName("burn_rate_5m")
	if first, second := field.At(0).(*float64), field.At(1).(*float64); *first != 14.4 || second != nil {
		t.Errorf("burn_rate_5m = %v, %v", first, second)
	}
	if field.Config.Unit != "x" || field.Config.DisplayName != "Burn 5m" {
		t.Errorf("config %+v", field.Config)
	}
}

// The recorded answers fire no policy alert and know no obligation (no Prometheus in the seeded API),
// so the contract alone cannot tell a joined list from an empty one: the same values as frames.ts here.
func TestSloFramePolicyFields(t *testing.T) {
	var list sloStatusList
	answer := `{"items":[
		{"id":"a","owner":"core-api","policy_alerts":["fast_burn","depleted"],"obligation":"Freeze risky changes.","signal_key":"api_error_rate_high","dashboard_url":"/d/opsdeck-slo-burn?viewPanel=104"},
		{"id":"b","owner":null,"policy_alerts":[],"obligation":null,"signal_key":null,"dashboard_url":null}]}`
	if err := json.Unmarshal([]byte(answer), &list); err != nil {
		t.Fatal(err)
	}
	if got := list.Items[0]; orEmpty(got.SignalKey) != "api_error_rate_high" || orEmpty(got.DashboardURL) != "/d/opsdeck-slo-burn?viewPanel=104" {
		t.Errorf("decoded %+v", got)
	}
	frame := sloFrame("F", list.Items)
	var names []string
	for _, field := range frame.Fields {
		names = append(names, field.Name)
	}
	// After runbook_id and in this order, as frames.ts appends them (issue 18).
	if tail := names[len(names)-4:]; !slices.Equal(tail, []string{"runbook_id", "policy_alerts", "owner", "obligation"}) {
		t.Fatalf("last fields %v", tail)
	}
	for name, want := range map[string][]string{
		"policy_alerts": {"fast_burn, depleted", ""},
		"owner":         {"core-api", ""},
		"obligation":    {"Freeze risky changes.", ""},
	} {
		field, _ := frame.FieldByName(name)
		if got := []string{field.At(0).(string), field.At(1).(string)}; !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   *string
		want *time.Time
	}{
		{ptr("2025-01-15T10:30:00.000Z"), ptr(time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC))},
		// Runbook review dates: UTC midnight, as JavaScript's Date.parse reads a date-only string.
		{ptr("2025-01-15"), ptr(time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC))},
		{ptr("not a date"), nil},
		{ptr(""), nil},
		{nil, nil},
	}
	for _, tc := range tests {
		got := parseTime(tc.in)
		if (got == nil) != (tc.want == nil) || (got != nil && !got.Equal(*tc.want)) {
			t.Errorf("parseTime(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIncidentsFrameValues(t *testing.T) {
	frame := incidentsFrame("A", []incidentSummary{{ID: "i", Severity: "sev2", MTTASeconds: ptr(120.0), Runbooks: []idRef{{ID: "rb"}}}})
	for name, want := range map[string]any{"severity": "sev2", "runbook_id": "rb", "owner_team": "", "missing_runbook": false} {
		field, _ := frame.FieldByName(name)
		if got := field.At(0); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	mtta, _ := frame.FieldByName("mtta")
	if *(mtta.At(0).(*float64)) != 120 || mtta.Config.Unit != "s" {
		t.Errorf("mtta %v %+v", mtta.At(0), mtta.Config)
	}
}
