package temporal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Worker API paths on the serve node (app/worker_api.go).
const (
	PathFlow       = "/api/worker/flow"
	PathConnection = "/api/worker/connection"
	PathHistory    = "/api/worker/history"
	PathPing       = "/api/worker/ping"
)

// NotFoundError is a flow or connection the serve node does not have.
type NotFoundError struct{ What, ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %q not found on the serve node", e.What, e.ID)
}

// HTTPSource reads flows and connections from a serve node's worker API
// and posts execution records to it, with the worker token as Bearer.
// Connections (with their secrets) are fetched per card run and kept in
// memory only.
type HTTPSource struct {
	Base   string // http://HOST:PORT of `flowbench serve`
	Token  string
	Client *http.Client
}

func (s *HTTPSource) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func (s *HTTPSource) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(s.Base, "/")+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client().Do(req)
	if err != nil {
		return fmt.Errorf("serve node %s: %w", s.Base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("serve node %s: %w", s.Base, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		return &statusError{status: resp.StatusCode, msg: e.Error}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return fmt.Sprintf("serve node: HTTP %d: %s", e.status, e.msg) }

// Flow implements engine.FlowSource.
func (s *HTTPSource) Flow(ctx context.Context, id string) (*engine.Flow, error) {
	var f engine.Flow
	if err := s.do(ctx, http.MethodGet, PathFlow+"?id="+url.QueryEscape(id), nil, &f); err != nil {
		if se, ok := err.(*statusError); ok && se.status == http.StatusNotFound {
			return nil, &NotFoundError{What: "flow", ID: id}
		}
		return nil, err
	}
	return &f, nil
}

// Connection implements engine.ConnectionSource.
func (s *HTTPSource) Connection(ctx context.Context, id string) (*engine.Connection, error) {
	var c engine.Connection
	if err := s.do(ctx, http.MethodGet, PathConnection+"?id="+url.QueryEscape(id), nil, &c); err != nil {
		if se, ok := err.(*statusError); ok && se.status == http.StatusNotFound {
			return nil, &NotFoundError{What: "connection", ID: id}
		}
		return nil, err
	}
	return &c, nil
}

// Record posts execution records to the serve node's history.
func (s *HTTPSource) Record(ctx context.Context, execs []*engine.Execution) error {
	return s.do(ctx, http.MethodPost, PathHistory, execs, nil)
}

// Check asks the serve node whether it takes this worker (reachable,
// --temporal on, the token right), so a worker fails at start, not at its
// first card.
func (s *HTTPSource) Check(ctx context.Context) error {
	return s.do(ctx, http.MethodGet, PathPing, nil, nil)
}
