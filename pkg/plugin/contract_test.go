package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/opsdeck/opsdeck/pkg/internal/framecontract"
)

// The frame contract, Go side: each query type's frame, built from the recorded API answer served
// by an httptest double, must equal the committed description the TypeScript frames.ts also gives.
func TestFrameContract(t *testing.T) {
	cases, err := framecontract.Cases()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 6 {
		t.Fatalf("expected the six table query types, got %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			answer, err := framecontract.Read(tc.Answer)
			if err != nil {
				t.Fatal(err)
			}
			double := newAPIDouble(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != tc.Path {
					answerJSON(404, `{"code":"not_found","message":"no route","correlation_id":"c","details":{}}`)(w, r)
					return
				}
				answerJSON(200, string(answer))(w, r)
			})
			var model map[string]any
			_ = json.Unmarshal(tc.Query, &model)
			ds := newTestDatasource(t, double.URL, map[string]any{})
			response := runOne(t, ds, context.Background(), dataQuery(model["refId"].(string), model["queryType"].(string), model), "")
			if response.Error != nil {
				t.Fatalf("query failed: %v", response.Error)
			}
			got, err := framecontract.Describe(response.Frames[0])
			if err != nil {
				t.Fatal(err)
			}
			want, err := framecontract.Expected(tc.Frame)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				gotJSON, _ := json.MarshalIndent(got, "", " ")
				t.Errorf("frame differs from %s; Go gave:\n%s", tc.Frame, truncate(string(gotJSON), 4000))
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
