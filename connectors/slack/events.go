package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// SecSigningSecret is the Slack app's signing secret (Basic Information →
// App Credentials), which signs Events API deliveries.
const SecSigningSecret = "signingSecret"

func events() []*kit.EventCard {
	return []*kit.EventCard{
		{Okta: NS + ":channelCreated", Title: "New Channel Created", Type: "channel_created",
			Description: "Starts the flow when a public channel is created in the Slack workspace (Events API channel_created).",
			Sample: func() map[string]any {
				now := time.Now().UTC()
				return map[string]any{"Channel ID": "C0FBITOPS01", "Channel Name": "it-ops", "Creator ID": "U0FB000001",
					"Created": now.Format(engine.DateLayout), "Event ID": "Ev0FBSAMPLE1", "Event Time": now.Format(engine.DateLayout), "Team ID": "T0FLOWBNCH"}
			},
			Outputs: []engine.FieldSpec{
				kit.Output("Channel", "Channel ID", "string"), kit.Output("Channel", "Channel Name", "string"),
				kit.Output("Channel", "Creator ID", "string"), {Key: "Created", Group: "Channel", Label: "Created", Type: engine.T("date")},
				kit.Output("Event", "Event ID", "string"), {Key: "Event Time", Group: "Event", Label: "Event Time", Type: engine.T("date")},
				kit.Output("Event", "Team ID", "string"),
			}},
	}
}

// envelope is an Events API request body.
type envelope struct {
	Type      string         `json:"type"`
	Challenge string         `json:"challenge"`
	TeamID    string         `json:"team_id"`
	EventID   string         `json:"event_id"`
	EventTime int64          `json:"event_time"`
	Event     map[string]any `json:"event"`
}

var webhook = &kit.Webhook{
	Hint: "Paste it into the Slack app's Event Subscriptions → Request URL (Slack checks it at once) and subscribe to channel_created; deliveries are checked against the connection's signing secret",
	Authenticate: func(conn *engine.Connection, r *http.Request, body []byte, now time.Time) error {
		return kit.SlackSignature(conn.Secrets[SecSigningSecret], r.Header, body, now)
	},
	// the Request URL check Slack makes when the URL is saved: echo the challenge
	Handshake: func(_ *http.Request, body []byte) (int, string, []byte, bool) {
		var e envelope
		if json.Unmarshal(body, &e) != nil || e.Type != "url_verification" {
			return 0, "", nil, false
		}
		return http.StatusOK, "text/plain", []byte(e.Challenge), true
	},
	Parse: func(_ http.Header, body []byte) ([]kit.Event, error) {
		var e envelope
		if err := json.Unmarshal(body, &e); err != nil {
			return nil, fmt.Errorf("not a Slack Events API request: %v", err)
		}
		if e.Type != "event_callback" || e.Event == nil {
			return nil, errors.New("not a Slack event_callback")
		}
		typ, _ := e.Event["type"].(string)
		at := time.Unix(e.EventTime, 0).UTC()
		out := map[string]any{"Event ID": e.EventID, "Event Time": at.Format(engine.DateLayout), "Team ID": e.TeamID}
		if ch, ok := e.Event["channel"].(map[string]any); ok {
			out["Channel ID"], out["Channel Name"], out["Creator ID"] = ch["id"], ch["name"], ch["creator"]
			if n, err := engine.ToNumber(ch["created"]); err == nil {
				out["Created"] = time.Unix(int64(n), 0).UTC().Format(engine.DateLayout)
			}
		}
		return []kit.Event{{ID: e.EventID, Type: typ, Time: at, Output: out}}, nil
	},
}
