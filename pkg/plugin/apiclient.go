package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// APIError is the companion API's error envelope {code, message, correlation_id, details}, or what
// stood in for it (a proxy's HTML page, a refused connection), with the HTTP status.
type APIError struct {
	Status        int            `json:"-"`
	Code          string         `json:"code"`
	Message       string         `json:"message"`
	CorrelationID string         `json:"correlation_id"`
	Details       map[string]any `json:"details"`
}

// Error reads as the frontend's describeFailure did: message (code, correlation ID …).
func (e *APIError) Error() string {
	if e.CorrelationID != "" {
		return fmt.Sprintf("%s (%s, correlation ID %s)", e.Message, e.Code, e.CorrelationID)
	}
	return e.Message
}

// Caller is who asks, as Grafana tells the backend: the signed-in user (none for alert rules).
type Caller struct {
	Login string
	// OrgID comes from Grafana's namespace ("default" is org 1, "org-<n>" is org n); 0 when unknown.
	OrgID int64
}

// APIClient calls the companion API with the service token. One per datasource instance.
type APIClient struct {
	settings Settings
	http     *http.Client
	logger   log.Logger
	// backoff is the wait before retry n (1-based); a test shortens it.
	backoff func(attempt int) time.Duration
}

// NewAPIClient takes the HTTP client from the SDK's httpclient (tracing, metrics, Grafana's proxy settings).
func NewAPIClient(settings Settings, client *http.Client, logger log.Logger) *APIClient {
	return &APIClient{
		settings: settings,
		http:     client,
		logger:   logger,
		backoff:  func(attempt int) time.Duration { return time.Duration(200*(1<<(attempt-1))) * time.Millisecond },
	}
}

// Get fetches path with params as JSON into out. project "" means the instance's default project;
// noProject sends none (for /readyz). 5xx, 429 and transport errors are retried with backoff
// (honouring Retry-After up to 5 s); the request ends when ctx ends (Grafana cancelled, or timeout).
func (c *APIClient) Get(ctx context.Context, caller Caller, path string, params url.Values, project string, out any) error {
	target := c.settings.APIURL + path
	if len(params) > 0 {
		target += "?" + params.Encode()
	}
	if project == "" {
		project = c.settings.DefaultProject
	}
	var last error
	for attempt := 0; attempt <= c.settings.Retries; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, c.wait(attempt, last)); err != nil {
				return err
			}
			c.logger.Warn("retrying the Opsdeck API", "path", path, "attempt", attempt, "error", last.Error())
		}
		retry, err := c.once(ctx, caller, target, project, out)
		if err == nil || !retry {
			return err
		}
		last = err
	}
	return last
}

type retryAfterError struct {
	*APIError
	after time.Duration
}

func (c *APIClient) wait(attempt int, last error) time.Duration {
	var withAfter *retryAfterError
	if errors.As(last, &withAfter) && withAfter.after > 0 {
		return min(withAfter.after, 5*time.Second)
	}
	return c.backoff(attempt)
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return cancelled(ctx)
	case <-timer.C:
		return nil
	}
}

func cancelled(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &APIError{Status: http.StatusGatewayTimeout, Code: "timeout", Message: "the Opsdeck API did not answer in time"}
	}
	return &APIError{Status: 499, Code: "cancelled", Message: "the request was cancelled"}
}

// once makes one attempt; retry says whether another may help.
func (c *APIClient) once(ctx context.Context, caller Caller, target, project string, out any) (bool, error) {
	attemptCtx, cancel := context.WithTimeout(ctx, c.settings.Timeout)
	defer cancel()
	request, err := http.NewRequestWithContext(attemptCtx, http.MethodGet, target, nil)
	if err != nil {
		return false, &APIError{Status: http.StatusBadRequest, Code: "invalid_request", Message: err.Error()}
	}
	request.Header.Set("Accept", "application/json")
	request.Header.Set("Authorization", "Bearer "+c.settings.Token)
	// The capability the datasource's proxy route proves (reqAction on incidents:read): the backend holds
	// the service token, so it states the same read-only capability itself (docs/grafana-rbac.md).
	request.Header.Set("X-Opsdeck-Capability", "incidents:read")
	request.Header.Set("X-Project-ID", project)
	// Without a signed-in user (alert rules, reports) the API would see the token's bare `service`
	// identity, which is a member of no project: name the server identity access.yaml grants instead.
	login := caller.Login
	if login == "" {
		login = c.settings.ServerUser
	}
	request.Header.Set("X-Grafana-User", login)
	if caller.OrgID > 0 {
		request.Header.Set("X-Grafana-Org-Id", strconv.FormatInt(caller.OrgID, 10))
	}
	response, err := c.http.Do(request)
	if err != nil {
		if ctx.Err() != nil {
			return false, cancelled(ctx)
		}
		var netErr net.Error
		if attemptCtx.Err() != nil || (errors.As(err, &netErr) && netErr.Timeout()) {
			return true, &APIError{Status: http.StatusGatewayTimeout, Code: "timeout", Message: fmt.Sprintf("the Opsdeck API did not answer within %s", c.settings.Timeout)}
		}
		return true, &APIError{Status: http.StatusBadGateway, Code: "unreachable", Message: fmt.Sprintf("the Opsdeck API is not reachable at %s: %v", c.settings.APIURL, unwrapURLError(err))}
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 32<<20))
	if err != nil {
		return true, &APIError{Status: http.StatusBadGateway, Code: "bad_gateway", Message: "the Opsdeck API's answer was cut off: " + err.Error()}
	}
	if response.StatusCode >= 300 {
		apiErr := envelopeOf(response, body)
		retry := response.StatusCode >= 500 || response.StatusCode == http.StatusTooManyRequests
		if retry {
			return true, &retryAfterError{APIError: apiErr, after: retryAfter(response.Header.Get("Retry-After"))}
		}
		return false, apiErr
	}
	if err := json.Unmarshal(body, out); err != nil {
		return false, &APIError{Status: http.StatusBadGateway, Code: "bad_gateway", Message: "the Opsdeck API answered something that is not its JSON: " + err.Error()}
	}
	return false, nil
}

func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

func envelopeOf(response *http.Response, body []byte) *APIError {
	envelope := &APIError{}
	if json.Unmarshal(body, envelope) == nil && envelope.Message != "" {
		envelope.Status = response.StatusCode
		if envelope.CorrelationID == "" {
			envelope.CorrelationID = response.Header.Get("X-Correlation-ID")
		}
		return envelope
	}
	return &APIError{
		Status:        response.StatusCode,
		Code:          "http_" + strconv.Itoa(response.StatusCode),
		Message:       fmt.Sprintf("the Opsdeck API request failed: HTTP %d", response.StatusCode),
		CorrelationID: response.Header.Get("X-Correlation-ID"),
	}
}

func retryAfter(value string) time.Duration {
	if seconds, err := strconv.Atoi(value); err == nil && seconds >= 0 {
		return time.Duration(seconds) * time.Second
	}
	return 0
}

// Unwrap lets errors.As find the envelope inside a retryable error.
func (e *retryAfterError) Unwrap() error { return e.APIError }
