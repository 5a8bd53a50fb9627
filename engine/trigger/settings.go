package trigger

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// settings are a trigger card's own settings, read from the flow alone: what
// switching a flow on reads before it listens (prepare), and what the
// design-time check reports on the card's fields while the flow is edited.
// Zero values mean the runtime's defaults.
type settings struct {
	maxConcurrent int           // runs of the flow at once; 0: no cap
	rate          float64       // API Endpoint requests per second
	timeout       time.Duration // API Endpoint answer timeout
	security      string        // API Endpoint security level (Security*)
	oauth         TokenRequirements
	delivery      string        // event delivery (DeliveryHook, DeliveryPoll)
	interval      time.Duration // event polling interval
}

func init() { engine.RegisterCheck(CheckSettings) }

// CheckSettings reports a trigger setting that switching the flow on would
// refuse (Poll every "soon", a rate limit of 0, an unknown security level, an
// app instance event without its instance), on its field, while the flow is
// edited and in `flowbench validate`, so "No problems" means it switches on.
// Schedules are checked by connectors/schedule.
func CheckSettings(f *engine.Flow) []engine.Problem {
	if f == nil {
		return nil
	}
	if _, err := readSettings(f); err != nil {
		return []engine.Problem{ConfigProblem(f, err, "bad-trigger-setting")}
	}
	return nil
}

// ConfigProblem is a trigger set-up error as a design-time problem of kind
// on the field it names.
func ConfigProblem(f *engine.Flow, err error, kind string) engine.Problem {
	field, msg := "", err.Error()
	var ce *ConfigError
	if errors.As(err, &ce) {
		field, msg = ce.Field, ce.Err.Error()
	}
	ptr := "/trigger/inputs"
	for i, in := range f.Trigger.Inputs {
		if in.Key == field {
			ptr = fmt.Sprintf("/trigger/inputs/%d/value", i)
		}
	}
	if field == "connection" {
		ptr = "/trigger/connection"
	}
	return engine.Problem{Flow: f.ID, Card: f.Trigger.ID, Title: f.Trigger.Title, Input: field, Pointer: ptr,
		Kind: kind, Message: msg, Severity: "error"}
}

// readSettings reads and checks f's trigger settings; an error is a
// *ConfigError naming the field.
func readSettings(f *engine.Flow) (settings, error) {
	var s settings
	if v := InputValue(f, "maxConcurrent"); v != nil {
		n, err := engine.ToNumber(v)
		if err != nil || n < 1 {
			return s, cfgErr(f, "maxConcurrent", "must be a number of at least 1")
		}
		s.maxConcurrent = int(n)
	}
	switch Classify(f) {
	case KindAPI:
		if err := readSecurity(f, &s); err != nil {
			return s, err
		}
		if v := InputValue(f, "rateLimit"); v != nil {
			n, err := engine.ToNumber(v)
			if err != nil || n <= 0 {
				return s, cfgErr(f, "rateLimit", "must be a positive number of requests per second")
			}
			s.rate = n
		}
		if v := inputText(f, "timeout"); v != "" {
			d, err := parseDuration(v)
			if err != nil || d <= 0 {
				return s, cfgErr(f, "timeout", "%q is not a duration (\"30s\")", v)
			}
			s.timeout = d
		}
	case KindEvent:
		p := ProviderFor(f.Trigger.Type)
		if p == nil {
			return s, nil
		}
		if p.Check != nil {
			if err := p.Check(f); err != nil {
				return s, err
			}
		}
		s.delivery = strings.ToLower(inputText(f, "delivery"))
		if s.delivery == "" {
			s.delivery = p.DefaultDelivery
			if s.delivery == "" {
				s.delivery = DeliveryHook
			}
		}
		switch s.delivery {
		case DeliveryHook:
		case DeliveryPoll:
			if p.Poll == nil {
				return s, cfgErr(f, "delivery", "%s events cannot be polled", p.Name)
			}
			if f.Trigger.Connection == "" {
				return s, cfgErr(f, "connection", "polling needs a connection on the trigger card")
			}
			if v := inputText(f, "pollInterval"); v != "" {
				d, err := parseDuration(v)
				if err != nil || d <= 0 {
					return s, cfgErr(f, "pollInterval", "%q is not a duration (\"60s\")", v)
				}
				s.interval = d
			}
		default:
			return s, cfgErr(f, "delivery", "%q is not a delivery (hook or poll)", s.delivery)
		}
	}
	return s, nil
}

// readSecurity reads an API Endpoint's security level and, for OAuth 2.0,
// what an access token must carry. Whether the chosen connection can verify
// tokens is known only where connections are (prepareAuth).
func readSecurity(f *engine.Flow, s *settings) error {
	lvl := strings.ToLower(inputText(f, "security_level"))
	switch lvl {
	case "", "high":
		lvl = SecurityToken
	case SecurityOpen, SecurityToken, SecurityHMAC, SecurityOAuth:
	default:
		return cfgErr(f, "security_level", "%q is not a security level (open = None (public), medium = Client token, hmac = HMAC signature, oauth2 = OAuth 2.0)", lvl)
	}
	s.security = lvl
	if lvl != SecurityOAuth {
		return nil
	}
	need := TokenRequirements{AuthServer: inputText(f, "authServer"), Scope: inputText(f, "scope"), Audience: inputText(f, "audience")}
	if need.AuthServer == "" {
		need.AuthServer = "org"
	}
	if need.Scope == "" {
		need.Scope = DefaultInvokeScope
	}
	if strings.ContainsAny(need.AuthServer, "/?# ") {
		return cfgErr(f, "authServer", "%q is not an authorization server id (\"org\", \"default\" or the id of a custom server)", need.AuthServer)
	}
	if f.Trigger.Connection == "" {
		return cfgErr(f, "connection", "OAuth 2.0 security needs an Okta connection on the API Endpoint card: its org issues and signs the access tokens")
	}
	s.oauth = need
	return nil
}
