package plugin

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The recorded answers have no gap in any schedule and no breached clock (the seeded API is minutes
// old), so the frame contract alone cannot tell a gap or a breach from a shift: the same cases as
// src/datasource/frames.test.ts here.

func TestOncallFrameGap(t *testing.T) {
	frame := oncallFrame("O", onCallNow{At: "2026-11-24T13:00:00.000Z", Teams: []teamOnCall{{
		Team: "core-api",
		Primary: &onCallShift{User: "api-b", Name: "API B", From: "2026-11-23T09:00:00.000Z",
			Until: "2026-11-30T09:00:00.000Z", Source: "override"},
	}}})
	var names []string
	for _, field := range frame.Fields {
		names = append(names, field.Name)
	}
	if want := []string{"team", "role", "user", "name", "from", "until", "source"}; !slices.Equal(names, want) {
		t.Fatalf("fields %v, want %v", names, want)
	}
	if frame.Meta == nil || frame.Meta.PreferredVisualization != data.VisTypeTable {
		t.Errorf("meta %+v, want a table", frame.Meta)
	}
	role, _ := frame.FieldByName("role")
	user, _ := frame.FieldByName("user")
	until, _ := frame.FieldByName("until")
	if role.At(0) != "primary" || role.At(1) != "secondary" || user.At(0) != "api-b" || user.At(1) != "" {
		t.Errorf("rows: role %v %v, user %v %v", role.At(0), role.At(1), user.At(0), user.At(1))
	}
	first, gap := until.At(0).(*time.Time), until.At(1).(*time.Time)
	if first == nil || !first.Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) || gap != nil {
		t.Errorf("until = %v, %v; want the shift's end, then null for the gap", first, gap)
	}
}

func TestIncidentsFrameResponseClocks(t *testing.T) {
	var page incidentPage
	answer := `{"items":[
		{"id":"a","severity":"sev1","runbooks":[],"alert_counts":{"firing":1},"response":{"ack_due_at":"2026-11-24T13:05:00.000Z",
		 "ack_status":"breached","response_status":"pending","escalation_level":2,"assignee":"sam"}},
		{"id":"b","severity":"sev4","runbooks":[],"alert_counts":{"firing":0}}]}`
	if err := json.Unmarshal([]byte(answer), &page); err != nil {
		t.Fatal(err)
	}
	frame := incidentsFrame("A", page.Items)
	var names []string
	for _, field := range frame.Fields {
		names = append(names, field.Name)
	}
	// After slo_burn_rate and in this order, as frames.ts appends them (issue 11).
	if tail := names[len(names)-6:]; !slices.Equal(tail, []string{"slo_burn_rate", "ack_status", "ack_due_at", "response_status", "escalation_level", "assignee"}) {
		t.Fatalf("last fields %v", tail)
	}
	for name, want := range map[string][2]string{"ack_status": {"breached", ""}, "response_status": {"pending", ""}, "assignee": {"sam", ""}} {
		field, _ := frame.FieldByName(name)
		if got := [2]string{field.At(0).(string), field.At(1).(string)}; got != want {
			t.Errorf("%s = %q, want %q (an incident without response clocks has empty cells)", name, got, want)
		}
	}
	level, _ := frame.FieldByName("escalation_level")
	if first, second := level.At(0).(*float64), level.At(1).(*float64); first == nil || *first != 2 || second != nil {
		t.Errorf("escalation_level = %v, %v", first, second)
	}
	due, _ := frame.FieldByName("ack_due_at")
	if first, second := due.At(0).(*time.Time), due.At(1).(*time.Time); first == nil || !first.Equal(time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC)) || second != nil {
		t.Errorf("ack_due_at = %v, %v", first, second)
	}
	status, _ := frame.FieldByName("ack_status")
	if breached := status.Config.Mappings[0].(data.ValueMapper)["breached"]; breached.Text != "Breached" || breached.Color != "red" {
		t.Errorf("breached maps to %+v", breached)
	}
}

func TestOncallQuerySendsTheTeam(t *testing.T) {
	double := newAPIDouble(t, answerJSON(200, `{"at":"2026-11-24T13:00:00.000Z","teams":[{"team":"billing","primary":null,"secondary":null}]}`))
	ds := newTestDatasource(t, double.URL, map[string]any{})
	response := runOne(t, ds, context.Background(), dataQuery("O", "oncall", map[string]any{"ownerTeam": "billing"}), "")
	if response.Error != nil {
		t.Fatal(response.Error)
	}
	request := double.seen()[0]
	if request.URL.Path != "/api/v1/oncall/now" || request.URL.Query().Get("team") != "billing" {
		t.Errorf("called %s", request.URL)
	}
	if rows, _ := response.Frames[0].RowLen(); rows != 2 {
		t.Errorf("%d rows, want primary and secondary (both gaps)", rows)
	}
}

func TestResponseBreachCount(t *testing.T) {
	double := newAPIDouble(t, answerJSON(200, `{"items":[
		{"id":"a","severity":"sev1","response":{"ack_status":"breached","response_status":"breached"}},
		{"id":"b","severity":"sev1","response":{"ack_status":"met","response_status":"breached"}},
		{"id":"c","severity":"sev2","response":{"ack_status":"pending","response_status":"pending"}},
		{"id":"d","severity":"sev3","response":{"ack_status":"breached","response_status":"met"}},
		{"id":"e","severity":"sev3"}],"next_cursor":null}`))
	ds := newTestDatasource(t, double.URL, map[string]any{})
	tests := []struct {
		model map[string]any
		want  map[string]float64
	}{
		// Both clocks breached count once: the rule is about incidents.
		{map[string]any{}, map[string]float64{"sev1": 2, "sev2": 0, "sev3": 1, "sev4": 0}},
		{map[string]any{"severity": "sev2"}, map[string]float64{"sev2": 0}},
	}
	for _, tc := range tests {
		response := runOne(t, ds, context.Background(), dataQuery("N", "response_breach_count", tc.model), "")
		if response.Error != nil {
			t.Fatal(response.Error)
		}
		frame := response.Frames[0]
		if frame.Meta.Type != data.FrameTypeNumericLong || frame.Fields[0].Name != "severity" || frame.Fields[1].Name != "breached_incidents" {
			t.Fatalf("frame %s %v: %+v", frame.Fields[0].Name, frame.Fields[1].Name, frame.Meta)
		}
		got := map[string]float64{}
		for i := 0; i < frame.Fields[0].Len(); i++ {
			got[frame.Fields[0].At(i).(string)] = frame.Fields[1].At(i).(float64)
		}
		if !maps.Equal(got, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.model, got, tc.want)
		}
	}
	if query := double.seen()[0].URL.Query(); query.Get("status") != "open" {
		t.Errorf("asked %v, want open incidents only", query)
	}
}

// The query editor offers src/datasource/types.ts QUERY_TYPES; each must have a runner here, or a
// panel the editor allows fails on Grafana's server (issue 11 added `oncall` to the editor only).
func TestQueryTypesMatchTheEditor(t *testing.T) {
	source, err := os.ReadFile(filepath.Join("..", "..", "src", "datasource", "types.ts"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)export const QUERY_TYPES = \[(.*?)\] as const`).FindSubmatch(source)
	if block == nil {
		t.Fatal("QUERY_TYPES not found in src/datasource/types.ts")
	}
	var editor []string
	for _, match := range regexp.MustCompile(`'([a-z_]+)'`).FindAllSubmatch(block[1], -1) {
		editor = append(editor, string(match[1]))
	}
	backendTypes := QueryTypes()
	slices.Sort(editor)
	slices.Sort(backendTypes)
	if !slices.Equal(editor, backendTypes) {
		t.Errorf("the editor offers %v, the backend answers %v", editor, backendTypes)
	}
	if runnable := slices.Sorted(maps.Keys(runners)); !slices.Equal(runnable, backendTypes) {
		t.Errorf("runners %v, QueryTypes %v", runnable, backendTypes)
	}
}
