package plugin

import (
	"context"
	"testing"
)

// What the recorded answer cannot show (the seeded history judges no target as missed): a met, a
// missed and an unjudged target, and the window and team sent to the API.
func TestKpisQuery(t *testing.T) {
	double := newAPIDouble(t, answerJSON(200, `{"window":"7d","incidents":12,
		"mttr_all":{"assisted":{"median_seconds":3600},"manual":{"median_seconds":20000}},
		"ack_sla":{"value":0.9},"response_sla":{"value":null},"change_failure_rate":{"value":0.25},
		"automation_coverage":{"value":0.5},"override_rate":{"value":0.2},"false_classification_rate":{"value":0.3},
		"targets":[
			{"kpi":"mttr_manual","target":14400,"comparison":"<=","met":false},
			{"kpi":"mttr_assisted","target":7200,"comparison":"<=","met":true},
			{"kpi":"false_classification_rate","target":0.15,"comparison":"<=","met":false},
			{"kpi":"override_rate","target":0.4,"comparison":"<=","met":null}]}`))
	ds := newTestDatasource(t, double.URL, map[string]any{})
	response := runOne(t, ds, context.Background(), dataQuery("K", "kpis", map[string]any{"kpiWindow": "7d", "ownerTeam": "sre"}), "")
	if response.Error != nil {
		t.Fatal(response.Error)
	}
	request := double.seen()[0]
	if request.URL.Path != "/api/v1/kpis" || request.URL.Query().Get("window") != "7d" || request.URL.Query().Get("team") != "sre" {
		t.Errorf("called %s", request.URL)
	}
	frame := response.Frames[0]
	field := func(name string) []any {
		f, _ := frame.FieldByName(name)
		values := make([]any, f.Len())
		for i := range values {
			values[i] = f.At(i)
		}
		return values
	}
	met := field("met")
	want := []string{"missed", "met", "missed", "no_data", "", "", "", "", ""}
	for i, w := range want {
		if met[i] != w {
			t.Errorf("row %d met = %v, want %q", i, met[i], w)
		}
	}
	value := field("value")
	if v := value[2].(*float64); v == nil || *v != 0.3 {
		t.Errorf("false classification value = %v, want 0.3", value[2])
	}
	if v := value[8].(*float64); v == nil || *v != 12 {
		t.Errorf("incident count = %v, want 12", value[8])
	}
	if target := field("target")[4].(*float64); target != nil {
		t.Errorf("ack_sla has no target, got %v", *target)
	}
	if w := field("window")[0]; w != "7d" {
		t.Errorf("window = %v", w)
	}
}
