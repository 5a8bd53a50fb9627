package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// TestConnection runs the connection test ladder: settings, token,
// identity call (the admin's Directory record, or the OAuth user's Gmail
// profile), and the scopes of every service.
func TestConnection(ctx context.Context, c *engine.Connection) *engine.TestReport {
	return TestConnectionWith(ctx, c, ClientOptions{})
}

// TestConnectionWith is TestConnection with client options (tests).
func TestConnectionWith(ctx context.Context, conn *engine.Connection, o ClientOptions) *engine.TestReport {
	rep := &engine.TestReport{Info: map[string]any{}}
	add := func(s engine.TestStep) bool {
		rep.Steps = append(rep.Steps, s)
		return s.OK
	}
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	o.Policy = httpx.Policy{Attempts: 1, RateLimitAttempts: 2, MaxRateWait: 5 * time.Second}

	// 1. settings
	c, err := NewClient(conn, o)
	if err != nil {
		add(engine.TestStep{Name: StepSettings, Message: err.Error(), Hint: settingsHint(conn)})
		return rep
	}
	admin := cfg(conn, CfgAdminEmail)
	if c.sa != nil {
		add(engine.TestStep{Name: StepSettings, OK: true, Message: fmt.Sprintf("service account %s acting as %s", c.sa.ClientEmail, admin)})
		rep.Info["serviceAccount"] = c.sa.ClientEmail
	} else {
		add(engine.TestStep{Name: StepSettings, OK: true, Message: "OAuth 2.0 authorization code token stored"})
	}

	// 2. token
	if _, err := c.Token(ctx, admin, Directory.Scopes[:1]); err != nil {
		add(tokenStep(err, c, admin))
		return rep
	}
	add(engine.TestStep{Name: StepToken, OK: true, Message: "Google issued an access token"})

	// 3. identity
	if c.sa != nil {
		u, _, err := c.JSON(ctx, &Call{Service: Directory, Method: http.MethodGet, Path: dirPath + "users/" + seg(admin)})
		if err != nil {
			add(callStep(StepIdentity, err, "Directory users.get of "+admin, "Check that "+admin+" is a super admin of the Workspace account (Admin console → Account → Admin roles)."))
			return rep
		}
		name, _ := u["name"].(map[string]any)
		rep.Info["admin"] = u["primaryEmail"]
		rep.Info["customerId"] = u["customerId"]
		if u["isAdmin"] != true {
			add(engine.TestStep{Name: StepIdentity, Message: admin + " is not a super admin",
				Hint: "Directory, Licensing and Data Transfer cards need a super admin: set Admin user email to one."})
			return rep
		}
		add(engine.TestStep{Name: StepIdentity, OK: true, Message: fmt.Sprintf("acting as %s (%s), super admin", u["primaryEmail"], engine.ToText(name["fullName"]))})
	} else {
		p, _, err := c.JSON(ctx, &Call{Service: Gmail, Method: http.MethodGet, Path: gmailPath + "me/profile"})
		if err != nil {
			add(callStep(StepIdentity, err, "Gmail users.getProfile", "Authorize again with a Google Workspace account."))
			return rep
		}
		rep.Info["user"] = p["emailAddress"]
		add(engine.TestStep{Name: StepIdentity, OK: true, Message: fmt.Sprintf("signed in as %s", p["emailAddress"])})
	}

	// 4. scopes: one token per service (a service account's delegation
	// refuses the whole request when one scope is missing)
	if c.sa != nil {
		var missing []string
		for _, s := range Services {
			if _, err := c.Token(ctx, admin, s.Scopes); err != nil {
				var te *TokenError
				if errors.As(err, &te) && te.Code == "unauthorized_client" {
					missing = append(missing, s.Title+" ("+strings.Join(s.Scopes, ", ")+")")
					continue
				}
				add(tokenStep(err, c, admin))
				return rep
			}
		}
		if len(missing) > 0 {
			add(engine.TestStep{Name: StepScopes, Code: "unauthorized_client",
				Message: "domain-wide delegation does not grant the scopes of " + strings.Join(missing, "; "),
				Hint: "In the Admin console (Security → Access and data control → API controls → Domain-wide delegation) edit client " +
					c.sa.ClientID + " and add: " + strings.Join(AllScopes(), ",")})
			return rep
		}
		add(engine.TestStep{Name: StepScopes, OK: true, Message: fmt.Sprintf("all %d scopes granted (Directory, Licensing, Data Transfer, Gmail, Drive, Sheets, Calendar)", len(AllScopes()))})
	}
	rep.OK = true
	return rep
}

func settingsHint(conn *engine.Connection) string {
	if authMethod(conn) == AuthCode {
		return "Set the OAuth client ID and secret, then Authorize to sign in with Google."
	}
	return "Paste the service account's JSON key (Google Cloud console → IAM → Service accounts → Keys → Add key → JSON) and the email of a super admin it acts as."
}

func tokenStep(err error, c *Client, admin string) engine.TestStep {
	var te *TokenError
	if !errors.As(err, &te) {
		return engine.TestStep{Name: StepToken, Message: err.Error(), Hint: "Check the network connection to Google's token endpoint."}
	}
	st := engine.TestStep{Name: StepToken, Status: te.Status, Code: te.Code, Message: te.Error()}
	desc := strings.ToLower(te.Description)
	switch {
	case c.oauth != nil && te.Code == "invalid_grant":
		st.Message = "token revoked: reconnect the Google connection. Google answered: " + te.Description
		st.Hint = "The refresh token was revoked or expired (password change, admin reset, or removed app access): Authorize again."
	case te.Code == "invalid_grant" && strings.Contains(desc, "signature"):
		st.Hint = "The service account key was deleted or replaced: create a new JSON key and paste it."
	case te.Code == "invalid_grant" && (strings.Contains(desc, "email") || strings.Contains(desc, "user")):
		st.Hint = admin + " is not an active user of the Workspace account: set Admin user email to an existing super admin."
	case te.Code == "invalid_grant":
		st.Hint = "Check the computer's clock and that the key is still valid."
	case te.Code == "unauthorized_client":
		st.Hint = "Turn on domain-wide delegation for the service account and, in the Admin console (Security → API controls → Domain-wide delegation), authorize its client id with: " + strings.Join(AllScopes(), ",")
	case te.Code == "invalid_client" || te.Code == "deleted_client":
		st.Hint = "The service account or OAuth client no longer exists: create a new key or client."
	default:
		st.Hint = "Check the connection's credentials."
	}
	return st
}

func callStep(name string, err error, what, hint string) engine.TestStep {
	var he *engine.HTTPError
	if errors.As(err, &he) {
		st := engine.TestStep{Name: name, Status: he.Status, Code: he.Code, Message: what + ": " + he.Error(), Hint: hint}
		switch he.Status {
		case http.StatusUnauthorized:
			st.Message = "token revoked: reconnect the Google connection. " + what + " answered " + he.Error()
			st.Hint = "The access token was refused: Authorize again (OAuth) or check the service account key."
		case http.StatusForbidden:
			st.Hint = "The account lacks the permission or scope: " + hint
		}
		return st
	}
	return engine.TestStep{Name: name, Message: what + ": " + err.Error(), Hint: "Check the network connection to Google."}
}
