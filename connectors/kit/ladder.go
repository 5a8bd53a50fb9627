package kit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Ladder step names.
const (
	StepSettings = "settings"
	StepToken    = "token"
	StepIdentity = "identity"
	StepScopes   = "scopes"
)

// Ladder declares a connector's connection test: settings → token (OAuth
// methods) → an identity call → granted scopes. Each failing rung names the
// fix.
type Ladder struct {
	// Identity is the call that proves the credentials ("GET /auth.test").
	Identity Call
	// Describe reads who the credentials are from the identity result: a
	// line for the step and info for the report (team, user, org…).
	Describe func(r *Result) (string, map[string]any)
	// Granted returns the scopes the credentials carry (Slack's
	// X-OAuth-Scopes header, a token's scp claim); nil: not checked.
	Granted func(r *Result) []string
	// Needed are the scopes the connector's cards use.
	Needed []string
	// Fixes maps a vendor error code to the fix ("token_revoked" → …).
	Fixes map[string]string
}

// Test walks the connector's ladder for a connection.
func (c *Connector) Test(ctx context.Context, conn *engine.Connection) *engine.TestReport {
	return c.TestWith(ctx, conn, ClientOptions{})
}

// TestWith is Test with client options (tests pass a transport).
func (c *Connector) TestWith(ctx context.Context, conn *engine.Connection, o ClientOptions) *engine.TestReport {
	rep := &engine.TestReport{Info: map[string]any{}}
	add := func(s engine.TestStep) bool {
		rep.Steps = append(rep.Steps, s)
		return s.OK
	}
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	o.Policy = httpx.Policy{Attempts: 1, RateLimitAttempts: 2, MaxRateWait: 5 * time.Second}
	o.Governor = httpx.NewGovernor()

	m, err := c.Method(conn)
	if err != nil {
		add(engine.TestStep{Name: StepSettings, Message: err.Error(), Hint: "Choose one of the listed authentication methods."})
		return rep
	}
	cl, err := c.NewClient(conn, o)
	if err != nil {
		add(engine.TestStep{Name: StepSettings, Message: err.Error(), Hint: settingsFix(m, err)})
		return rep
	}
	base := cl.BaseURL()
	add(engine.TestStep{Name: StepSettings, OK: true, Message: m.Label + " · " + httpx.RedactURL(base)})
	if cl.auth.ts != nil {
		tok, err := cl.auth.token()
		if err != nil {
			add(engine.TestStep{Name: StepToken, Message: httpx.Scrub(err.Error(), cl.Secrets()...), Hint: tokenFix(m, err)})
			return rep
		}
		add(engine.TestStep{Name: StepToken, OK: true, Message: "token obtained (" + tok.Type() + ")"})
	}
	l := c.Ladder
	if l == nil {
		rep.OK = true
		return rep
	}
	call := l.Identity
	r, err := cl.Do(ctx, &call)
	if err != nil {
		st := engine.TestStep{Name: StepIdentity, Message: err.Error()}
		var he *engine.HTTPError
		if errors.As(err, &he) {
			st.Status, st.Code = he.Status, he.Code
			st.Hint = l.fix(c, he)
		} else {
			st.Hint = "Check the network and the connection's address (" + httpx.RedactURL(base) + ")."
		}
		add(st)
		return rep
	}
	msg := fmt.Sprintf("%s %s → HTTP %d", orGET(call.Method), call.Path, r.Status)
	if l.Describe != nil {
		m, info := l.Describe(r)
		if m != "" {
			msg = m
		}
		for k, v := range info {
			rep.Info[k] = v
		}
	}
	add(engine.TestStep{Name: StepIdentity, OK: true, Status: r.Status, Message: msg})
	if l.Granted != nil && len(l.Needed) > 0 {
		got := l.Granted(r)
		var miss []string
		for _, s := range l.Needed {
			if !slices.Contains(got, s) {
				miss = append(miss, s)
			}
		}
		rep.Info["scopes"] = strings.Join(got, " ")
		if len(miss) > 0 {
			add(engine.TestStep{Name: StepScopes, Message: "missing scopes: " + strings.Join(miss, ", "),
				Hint: "Add these scopes to the " + c.Title + " app, reinstall it to the workspace, and paste the new token (or authorize again)."})
			return rep
		}
		add(engine.TestStep{Name: StepScopes, OK: true, Message: fmt.Sprintf("all %d scopes the cards use are granted", len(l.Needed))})
	}
	rep.OK = true
	return rep
}

func orGET(m string) string {
	if m == "" {
		return "GET"
	}
	return m
}

func (l *Ladder) fix(c *Connector, he *engine.HTTPError) string {
	if f, ok := l.Fixes[he.Code]; ok {
		return f
	}
	switch {
	case he.Status == 401:
		return "The " + c.Title + " credentials were refused: paste a current token (or authorize again)."
	case he.Status == 403:
		return "The credentials lack a permission this call needs: grant it to the " + c.Title + " app."
	case he.Status == 429:
		return "Rate limited: wait a minute and test again."
	case he.Status >= 500:
		return c.Title + " is failing right now: try again later."
	}
	return "Check the connection's settings."
}

func settingsFix(m *AuthMethod, err error) string {
	switch m.ID {
	case AuthOAuth2Code:
		if strings.Contains(err.Error(), "not authorized") {
			return "Press Authorize to sign in and store a token."
		}
		return "Authorize again to store a fresh token."
	case AuthServiceAccount:
		return "Paste the service account's JSON key file and the admin user it acts as."
	}
	return "Fill in the " + strings.ToLower(m.Label) + " settings."
}

func tokenFix(m *AuthMethod, err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "invalid_client"):
		return "The client ID or secret is wrong: copy them again from the app's registration."
	case strings.Contains(s, "invalid_grant"):
		return "The grant was refused (a revoked or expired refresh token, or a delegation not set up): authorize again / check domain-wide delegation."
	case strings.Contains(s, "invalid_scope"), strings.Contains(s, "unauthorized_client"):
		return "A requested scope is not granted to the app: grant it, or request fewer scopes."
	}
	return "Check the token URL, the client ID and secret, and the network."
}
