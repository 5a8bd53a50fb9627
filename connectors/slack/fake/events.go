package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
)

// Events API: like a Slack app's Event Subscriptions, the fake POSTs
// signed event_callback envelopes (channel_created, …) to a Request URL.

// SetEventURL sets the Request URL after checking it the way Slack does: a
// signed url_verification whose challenge the URL must echo. "" stops
// deliveries.
func (s *Server) SetEventURL(u string) error {
	if u != "" {
		ch := fmt.Sprintf("challenge-%d", time.Now().UnixNano())
		body, _ := json.Marshal(map[string]any{"token": "deprecated", "challenge": ch, "type": "url_verification"})
		resp, err := s.send(u, body)
		if err != nil {
			return err
		}
		if resp.status != http.StatusOK || !strings.Contains(resp.body, ch) {
			return fmt.Errorf("the Request URL did not echo the challenge (HTTP %d: %s)", resp.status, resp.body)
		}
	}
	s.mu.Lock()
	s.eventURL = u
	s.mu.Unlock()
	return nil
}

// DeliverEventsTo sets the Request URL without the verification call (the
// app wires its in-process fake before any flow listens).
func (s *Server) DeliverEventsTo(u string) {
	s.mu.Lock()
	s.eventURL = u
	s.mu.Unlock()
}

type sent struct {
	status int
	body   string
}

// send POSTs a signed body.
func (s *Server) send(u string, body []byte) (sent, error) {
	ts := s.cfg.Now().Unix()
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return sent{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", kit.SlackSign(SigningSecret, ts, body))
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return sent{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return sent{resp.StatusCode, string(b)}, nil
}

// emit delivers an event to the Request URL (called with s.mu held; the
// POST runs in the background, as Slack's does, with Slack's retries:
// up to 3 tries, X-Slack-Retry-Num set on retries).
func (s *Server) emit(ev map[string]any) {
	s.seq++
	ev["event_ts"] = s.nextTS()
	env := map[string]any{"token": "deprecated", "team_id": s.team["id"], "api_app_id": "A0FBAPP001", "event": ev,
		"type": "event_callback", "event_id": fmt.Sprintf("Ev0FB%08d", s.seq), "event_time": s.cfg.Now().Unix(),
		"authorizations": []any{map[string]any{"team_id": s.team["id"], "user_id": "U0FBBOT001", "is_bot": true}}}
	for _, h := range s.Hooks {
		go h(env)
	}
	u := s.eventURL
	if u == "" {
		return
	}
	body, _ := json.Marshal(env)
	go func() {
		for try := 0; try < 3; try++ {
			if r, err := s.send(u, body); err == nil && r.status < 300 {
				s.mu.Lock()
				s.delivered++
				s.mu.Unlock()
				return
			}
			time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
		}
	}()
}

// Delivered counts events the Request URL accepted.
func (s *Server) Delivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delivered
}
