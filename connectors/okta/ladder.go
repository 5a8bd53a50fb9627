package okta

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Ladder step names.
const (
	StepSettings  = "settings"
	StepDiscovery = "discovery"
	StepToken     = "token"
	StepRead      = "read users"
	StepIdentity  = "identity"
	StepHeadroom  = "rate limit"
)

// TestConnection runs the connection test ladder: settings and domain,
// DNS/TLS and OIDC discovery, token request (OAuth), an authorised read,
// identity, and rate-limit headroom. It stops at the first failing step.
func TestConnection(ctx context.Context, c *engine.Connection) *engine.TestReport {
	return TestConnectionWith(ctx, c, ClientOptions{})
}

// TestConnectionWith is TestConnection with client options (tests).
func TestConnectionWith(ctx context.Context, c *engine.Connection, o ClientOptions) *engine.TestReport {
	rep := &engine.TestReport{Info: map[string]any{}}
	add := func(s engine.TestStep) bool {
		rep.Steps = append(rep.Steps, s)
		return s.OK
	}
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	o.Policy = httpx.Policy{Attempts: 1, RateLimitAttempts: 2, MaxRateWait: 5 * time.Second}

	// 1. settings and domain
	s, err := parseSettings(c)
	if err != nil {
		add(engine.TestStep{Name: StepSettings, Message: err.Error(), Hint: settingsHint(err)})
		return rep
	}
	cl, err := NewClient(c, o)
	if err != nil {
		add(engine.TestStep{Name: StepSettings, Message: err.Error(),
			Hint: "Paste the whole private key, including the -----BEGIN PRIVATE KEY----- line, or a JWK with its private members (d, p, q…). Generate a new pair if unsure."})
		return rep
	}
	add(engine.TestStep{Name: StepSettings, OK: true, Message: "org URL " + s.base + ", authentication " + s.method})
	rep.Info["orgUrl"] = s.base
	secrets := cl.secrets

	// 2. DNS/TLS + OIDC discovery (unauthenticated)
	plain := httpx.New(httpx.Options{Key: "discovery:" + s.base, NoGovernor: true, Transport: o.Transport,
		Policy: o.Policy, Timeout: 15 * time.Second, Secrets: secrets})
	resp, err := plain.Do(ctx, &httpx.Request{URL: s.base + "/.well-known/openid-configuration"})
	if err != nil {
		msg, hint := reachHint(s.base, err)
		add(engine.TestStep{Name: StepDiscovery, Message: msg, Hint: hint})
		return rep
	}
	var disc struct {
		Issuer        string   `json:"issuer"`
		TokenEndpoint string   `json:"token_endpoint"`
		DPoPAlgs      []string `json:"dpop_signing_alg_values_supported"`
	}
	if resp.Status != 200 || json.Unmarshal(resp.Body, &disc) != nil || disc.TokenEndpoint == "" {
		add(engine.TestStep{Name: StepDiscovery, Status: resp.Status,
			Message: fmt.Sprintf("%s answered HTTP %d without Okta's OpenID configuration", s.base, resp.Status),
			Hint:    "This host is reachable but is not an Okta org. Use your org's domain (e.g. acme.okta.com or acme.oktapreview.com), not the admin console or a custom app URL."})
		return rep
	}
	skew := time.Duration(0)
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		skew = time.Until(d).Round(time.Second)
		rep.Info["clockSkewSeconds"] = skew.Seconds()
	}
	add(engine.TestStep{Name: StepDiscovery, OK: true, Status: resp.Status, Message: "reached " + disc.Issuer})

	// 3. token (OAuth)
	if cl.ts != nil {
		cl.ts.tokenURL = disc.TokenEndpoint
		if !strings.HasPrefix(disc.TokenEndpoint, s.base+"/") {
			cl.ts.tokenURL = s.base + "/oauth2/v1/token"
		}
		tok, err := cl.ts.Token(ctx)
		if err != nil {
			add(tokenStep(err, s, skew))
			return rep
		}
		granted := cl.ts.Granted()
		rep.Info["scopes"] = strings.Fields(granted)
		rep.Info["tokenType"] = tok.TokenType
		add(engine.TestStep{Name: StepToken, OK: true, Status: 200, Message: fmt.Sprintf("%s token granted with scopes: %s", tok.TokenType, granted)})
	}

	// 4. authorised read
	resp, err = cl.Do(ctx, &Call{Method: "GET", Path: "/api/v1/users", Query: url.Values{"limit": {"1"}}})
	if err != nil {
		msg, hint := reachHint(s.base, err)
		add(engine.TestStep{Name: StepRead, Message: msg, Hint: hint})
		return rep
	}
	if resp.Status != 200 {
		he := cl.httpError(resp)
		st := engine.TestStep{Name: StepRead, Status: resp.Status, Code: he.Code, Message: "GET /api/v1/users: " + he.Error()}
		switch resp.Status {
		case 401:
			if s.method == AuthToken {
				st.Hint = "Okta rejected the API token: it is wrong, revoked, expired (30 days unused) or its admin was deactivated. Create a new token under Security → API → Tokens."
			} else {
				st.Hint = "Okta rejected the access token. Check that the service app is active and the token is not DPoP-bound when DPoP is off."
			}
		case 403:
			st.Message = "role lacks permission: " + st.Message
			if s.method == AuthToken {
				st.Hint = "The token works but its admin cannot read users. Create the token as an admin with a role that can read users (or a dedicated service account with one)."
			} else {
				st.Hint = "The token has the scopes but the service app's admin role cannot read users (Okta downscopes silently). Assign an admin role to the app under Admin roles, e.g. Read-only Administrator or a custom role with user read permission."
			}
		case 429:
			st.Hint = "The org's rate limit for /api/v1/users is spent; wait for the reset and test again."
		default:
			st.Hint = "Unexpected answer from Okta; try again later."
		}
		add(st)
		return rep
	}
	add(engine.TestStep{Name: StepRead, OK: true, Status: 200, Message: "read /api/v1/users"})
	rl := httpx.ParseRate(resp.Header)

	// 5. identity
	idStep := engine.TestStep{Name: StepIdentity, OK: true}
	if s.method == AuthToken {
		if v, r, err := cl.JSON(ctx, &Call{Method: "GET", Path: "/api/v1/users/me"}); err == nil {
			login, _ := engine.Get(v, []string{"profile", "login"})
			id, _ := engine.Get(v, []string{"id"})
			rep.Info["actingAs"] = engine.ToText(login)
			rep.Info["actingAsId"] = engine.ToText(id)
			idStep.Status = r.Status
			idStep.Message = "acting as " + engine.ToText(login)
		} else {
			idStep.Message = "could not read the token's user: " + err.Error()
		}
	}
	if v, r, err := cl.JSON(ctx, &Call{Method: "GET", Path: "/api/v1/org"}); err == nil {
		for k, p := range map[string]string{"orgId": "id", "orgName": "companyName", "subdomain": "subdomain"} {
			if x, ok := engine.Get(v, []string{p}); ok {
				rep.Info[k] = engine.ToText(x)
			}
		}
		idStep.Status = r.Status
		idStep.Message = strings.TrimPrefix(idStep.Message+"; org "+engine.ToText(rep.Info["orgName"])+" ("+engine.ToText(rep.Info["orgId"])+")", "; ")
	} else if idStep.Message == "" {
		idStep.Message = "org details unavailable (needs okta.orgs.read and an admin role); the connection still works"
	}
	add(idStep)

	// 6. rate-limit headroom
	hr := engine.TestStep{Name: StepHeadroom, OK: true}
	if rl.OK {
		reset := time.Until(rl.Reset.Add(-skew)).Round(time.Second)
		rep.Info["rateLimit"] = map[string]any{"bucket": httpx.OktaUsers, "limit": float64(rl.Limit),
			"remaining": float64(rl.Remaining), "reset": rl.Reset.UTC().Format(engine.DateLayout)}
		hr.Message = fmt.Sprintf("/api/v1/users: %d of %d requests left, resets in %s", rl.Remaining, rl.Limit, max(reset, 0))
		if rl.Limit > 0 && rl.Remaining*10 < rl.Limit {
			hr.Hint = "Less than 10% of this minute's quota is left; flows will be paced until the reset."
		}
	} else {
		hr.Message = "Okta sent no rate-limit headers"
	}
	rep.Info["concurrencyLimit"] = float64(s.concurrency)
	add(hr)
	rep.OK = true
	return rep
}

func settingsHint(err error) string {
	m := err.Error()
	switch {
	case strings.Contains(m, "domain") || strings.Contains(m, "https") || strings.Contains(m, "scheme"):
		return "Enter your Okta org domain, e.g. acme.okta.com (without /admin); the local sandbox uses http://127.0.0.1:PORT."
	case strings.Contains(m, "token"):
		return "Paste an API token from Security → API → Tokens."
	case strings.Contains(m, "client"):
		return "Copy the client ID (and secret) from the API Services app's General tab."
	}
	return "Check the connection settings."
}

// reachHint explains a transport failure.
func reachHint(base string, err error) (string, string) {
	var dns *net.DNSError
	var cert x509.UnknownAuthorityError
	var host x509.HostnameError
	var rec tls.RecordHeaderError
	var he *httpx.Error
	switch {
	case errors.As(err, &dns):
		return "cannot resolve " + dns.Name, "Check the domain's spelling (acme.okta.com, acme.oktapreview.com) and your DNS or VPN."
	case errors.As(err, &cert), errors.As(err, &host):
		return "TLS certificate not trusted for " + base, "A proxy may be intercepting TLS; add its CA to the system trust store, or check the domain."
	case errors.As(err, &rec):
		return base + " does not speak TLS", "Use https:// for Okta orgs; only the local sandbox uses http://."
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing is listening at " + base + " (connection refused)", "The org or the local sandbox is down, or the port is wrong. Start the sandbox and test again."
	case errors.As(err, &he) && he.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return "no answer from " + base + " (timed out)", "A firewall or proxy may be blocking the connection; check the network and try again."
	}
	return "cannot reach " + base + ": " + err.Error(), "Check the domain and the network connection."
}

func tokenStep(err error, s *settings, skew time.Duration) engine.TestStep {
	st := engine.TestStep{Name: StepToken, Message: err.Error()}
	var te *TokenError
	if !errors.As(err, &te) {
		st.Message, st.Hint = reachHint(s.base, err)
		return st
	}
	st.Status, st.Code = te.Status, te.Code
	if te.Skew != 0 {
		skew = te.Skew
	}
	switch te.Code {
	case "invalid_client":
		switch {
		case skew > 2*time.Minute || skew < -2*time.Minute:
			st.Hint = fmt.Sprintf("This computer's clock is %s off Okta's; the signed assertion looks expired or not yet valid. Sync the clock (NTP) and test again.", skew.Abs())
		case s.method == AuthPrivateKey:
			st.Hint = "Okta did not accept the signed assertion: check the client ID, that the app uses 'Public key / Private key' authentication, and that the public key (and kid) registered in the app matches this private key."
		default:
			st.Hint = "Okta did not accept the client ID and secret. Copy them again from the app's General tab (service apps that request okta.* scopes must use a private key)."
		}
	case "invalid_scope":
		st.Hint = "Grant the missing scopes to the app in Okta (app → Okta API Scopes → Grant), or remove them from the connection's scopes."
	case "use_dpop_nonce", "invalid_dpop_proof":
		if s.dpop {
			st.Hint = "The DPoP proof was rejected. Check the computer's clock; if the problem persists, turn off 'Require DPoP' in the Okta app and in the connection."
		} else {
			st.Hint = "The Okta app requires DPoP-bound tokens. Turn on 'Require DPoP' in this connection, or uncheck 'Require Demonstrating Proof of Possession (DPoP)' in the app's General settings."
		}
	case "unauthorized_client", "invalid_grant", "unsupported_grant_type":
		st.Hint = "The app must be an API Services app allowed to use the client credentials grant."
	default:
		st.Hint = "Okta refused the token request."
	}
	return st
}
