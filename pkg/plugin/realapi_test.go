package plugin

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// seededAPI starts the real companion API from this repository, seeded as the browser suite seeds it
// (tests/browser/support/seeded-api.ts), and stops it when the test ends. Without Node and the
// repository's node_modules the test is skipped, or fails when CI=true.
func seededAPI(t *testing.T) (url, token string) {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	tsx := filepath.Join(root, "node_modules", ".bin", "tsx")
	if _, err := exec.LookPath("node"); err != nil || !exists(tsx) {
		if os.Getenv("CI") == "true" {
			t.Fatal("the real-API test needs node and node_modules (npm ci)")
		}
		t.Skip("SKIPPED: the real-API test needs node and node_modules")
	}
	cmd := exec.Command(tsx, "tests/browser/support/seeded-api.ts")
	cmd.Dir = root
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close() // seeded-api.ts stops the API and exits when stdin closes
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	line := make(chan string, 1)
	go func() {
		reader := bufio.NewReader(stdout)
		text, _ := reader.ReadString('\n')
		line <- text
		_, _ = io.Copy(io.Discard, reader)
	}()
	var started struct {
		URL   string `json:"url"`
		Token string `json:"token"`
	}
	select {
	case text := <-line:
		if err := json.Unmarshal([]byte(text), &started); err != nil {
			t.Fatalf("seeded-api.ts said %q: %v\n%s", text, err, stderr.String())
		}
	case <-time.After(120 * time.Second):
		t.Fatalf("the API did not start within 120 s:\n%s", stderr.String())
	}
	return started.URL, started.Token
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// apiItems asks the real API directly, as the datasource would, how many items a path has.
func apiItems(t *testing.T, apiURL, token, path string) []map[string]any {
	t.Helper()
	request, _ := http.NewRequest(http.MethodGet, apiURL+path, nil)
	request.Header.Set("Authorization", "Bearer "+token)
	request.Header.Set("X-Project-ID", "*")
	request.Header.Set("X-Opsdeck-Capability", "incidents:read")
	request.Header.Set("X-Grafana-User", "grafana-server")
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.NewDecoder(response.Body).Decode(&page); err != nil || response.StatusCode != 200 {
		t.Fatalf("%s: %d %v", path, response.StatusCode, err)
	}
	return page.Items
}

func TestAgainstTheRealAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real API")
	}
	apiURL, token := seededAPI(t)
	raw, _ := json.Marshal(map[string]any{"apiUrl": apiURL, "defaultProject": "*"})
	instance, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		UID: "opsdeck", Type: PluginID, JSONData: raw, DecryptedSecureJSONData: map[string]string{"apiToken": token},
	})
	if err != nil {
		t.Fatal(err)
	}
	ds := instance.(*Datasource)
	defer ds.Dispose()

	health, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil || health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, "store: embedded") {
		t.Fatalf("health: %v %+v", err, health)
	}

	rows := map[string]int{
		"incidents": len(apiItems(t, apiURL, token, "/api/v1/incidents?status=open&limit=500")),
		"runbooks":  len(apiItems(t, apiURL, token, "/api/v1/admin/runbooks")),
		"approvals": len(apiItems(t, apiURL, token, "/api/v1/approvals?limit=500")),
	}
	for _, queryType := range QueryTypes() {
		t.Run(queryType, func(t *testing.T) {
			dq := dataQuery("A", queryType, map[string]any{})
			dq.TimeRange = backend.TimeRange{From: time.Now().Add(-24 * time.Hour), To: time.Now().Add(time.Minute)}
			response := runOne(t, ds, context.Background(), dq, "sre-lead")
			if response.Error != nil || len(response.Frames) != 1 {
				t.Fatalf("error %v, %d frames", response.Error, len(response.Frames))
			}
			length, _ := response.Frames[0].RowLen()
			if want, known := rows[queryType]; known && length != want {
				t.Errorf("%d rows, the API has %d", length, want)
			}
			if length == 0 && queryType != "slo_burn_budget" && queryType != "slo_status" {
				t.Errorf("no rows from the seeded API")
			}
		})
	}

	pending := map[string]float64{}
	for _, item := range apiItems(t, apiURL, token, "/api/v1/approvals?status=pending&limit=500") {
		pending[item["risk_class"].(string)]++
	}
	frame := runOne(t, ds, context.Background(), dataQuery("P", "pending_approval_count", map[string]any{}), "").Frames[0]
	for i := 0; i < frame.Fields[0].Len(); i++ {
		if got, want := frame.Fields[1].At(i).(float64), pending[frame.Fields[0].At(i).(string)]; got != want {
			t.Errorf("pending %s: %v, the API has %v", frame.Fields[0].At(i), got, want)
		}
	}
}
