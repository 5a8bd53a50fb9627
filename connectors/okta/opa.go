package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Okta Privileged Access (issue 10 point 8): the connection kind and the
// connector's Custom API Action (oktaprivilegedaccess:customApiAction_KC4ijKL5WC,
// connector 0.23.0), which imported flows use for secrets and server
// resources. OPA's API lives at https://{team}.pam.okta.com/v1/teams/{team};
// a service user's key id and secret buy a bearer token from
// POST …/v1/teams/{team}/service_token (cached until it expires).

// OPA connection fields.
const (
	OPACfgURL  = "url"  // https://{team}.pam.okta.com
	OPACfgTeam = "team" // team name
	OPASecKey  = "keyId"
	OPASecSec  = "keySecret"
)

// OPAKind is the Okta Privileged Access connection kind.
var OPAKind = &engine.ConnectionKind{ID: "oktaprivilegedaccess", Title: "Okta Privileged Access",
	Fields: []engine.FieldSpec{
		{Key: OPACfgURL, Label: "Team URL", Type: engine.T("string"), Required: true, Description: "https://{team}.pam.okta.com"},
		{Key: OPACfgTeam, Label: "Team name", Type: engine.T("string"), Required: true},
	},
	Secrets: []engine.FieldSpec{
		{Key: OPASecKey, Label: "Service user key ID", Type: engine.T("string"), Required: true},
		{Key: OPASecSec, Label: "Service user key secret", Type: engine.T("string"), Required: true},
	},
	Test: testOPA,
}

func init() {
	engine.RegisterConnectionKind(OPAKind)
	engine.Register(&engine.Spec{ID: "oktaprivilegedaccess.customApiAction", Okta: []string{"oktaprivilegedaccess:customApiAction_KC4ijKL5WC"},
		Title: "Custom API Action", Category: "Okta Privileged Access", App: "oktaprivilegedaccess", Kind: engine.KindAction,
		Connection: OPAKind.ID, DocURL: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/oktaprivilegedaccess/actions/customapiaction.htm",
		Description: "Calls any Okta Privileged Access API endpoint of the connection's team with a service user token. The Relative URL is relative to /v1/teams/{team} (\"/secret_folders\"); a full path starting with /v1/ is used as it is. Query values are percent-encoded; Body is sent as JSON. Answers of 400 and above are errors naming the status.",
		Inputs: []engine.FieldSpec{
			{Key: "relative_url_9KSKGU", Group: "Inputs", Label: "Relative URL", Type: engine.T("string"), Required: true},
			{Key: "query_7JH1QC", Group: "Inputs", Label: "Query", Type: engine.T("object")},
			{Key: "headers_CG1EEI", Group: "Inputs", Label: "Headers", Type: engine.T("object")},
			{Key: "body_SPVYBK", Group: "Inputs", Label: "Body", Type: engine.T("object")},
			param("request_type_QBJ3VI", "Request Type", "GET", choices("GET", "PATCH", "POST", "PUT", "DELETE")),
		},
		Outputs: []engine.FieldSpec{
			{Key: "status_code_WGJUCK", Group: "Response", Label: "Status Code", Type: engine.T("number")},
			{Key: "headers_NRUK9C", Group: "Response", Label: "Headers", Type: engine.T("object")},
			{Key: "body_ABKPIP", Group: "Response", Label: "Body", Type: engine.T("any")},
		},
		Run: opaCustomAction})
}

type opaToken struct {
	token   string
	expires time.Time
}

var (
	opaTokensMu sync.Mutex
	opaTokens   = map[string]opaToken{} // connection fingerprint -> token
)

type opaConn struct {
	base, team, key, secret string
	fp                      string
}

func opaConnOf(c *engine.Connection) (*opaConn, error) {
	o := &opaConn{base: strings.TrimSuffix(strings.TrimSpace(engine.ToText(c.Config[OPACfgURL])), "/"),
		team: strings.TrimSpace(engine.ToText(c.Config[OPACfgTeam])), key: c.Secrets[OPASecKey], secret: c.Secrets[OPASecSec],
		fp: httpx.Fingerprint(c)}
	u, err := url.Parse(o.base)
	switch {
	case o.base == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return nil, fmt.Errorf("connection %q: Team URL %q is not a URL like https://acme.pam.okta.com", c.ID, o.base)
	case o.team == "":
		return nil, fmt.Errorf("connection %q: the team name is empty", c.ID)
	case o.key == "" || o.secret == "":
		return nil, fmt.Errorf("connection %q: the service user key ID and secret are required", c.ID)
	}
	return o, nil
}

func (o *opaConn) teamURL() string { return o.base + "/v1/teams/" + url.PathEscape(o.team) }

func opaClient(rt http.RoundTripper, o *opaConn, onAttempt func(engine.Attempt)) *httpx.Client {
	return httpx.New(httpx.Options{Key: "opa:" + o.fp, BaseURL: o.base, Transport: rt, OnAttempt: onAttempt,
		Secrets: []string{o.secret}, NoGovernor: true})
}

// opaBearer returns a cached service token, or asks for a new one.
func opaBearer(ctx context.Context, hc *httpx.Client, o *opaConn, fresh bool) (string, error) {
	opaTokensMu.Lock()
	t, ok := opaTokens[o.fp]
	opaTokensMu.Unlock()
	if ok && !fresh && time.Until(t.expires) > time.Minute {
		return t.token, nil
	}
	resp, err := hc.Do(ctx, &httpx.Request{Method: "POST", URL: o.teamURL() + "/service_token",
		JSON: map[string]any{"key_id": o.key, "key_secret": o.secret}})
	if err != nil {
		return "", err
	}
	v, _ := resp.JSON()
	if resp.Status >= 400 {
		return "", &engine.HTTPError{Status: resp.Status, Summary: "Okta Privileged Access refused the service user key: " + opaMessage(v), Body: v}
	}
	tok, _ := get(v, "bearer_token").(string)
	if tok == "" {
		return "", errors.New("Okta Privileged Access answered the service token request without a bearer_token")
	}
	exp := time.Now().Add(time.Hour)
	if s, _ := get(v, "expires_at").(string); s != "" {
		if e, err := time.Parse(time.RFC3339, s); err == nil {
			exp = e
		}
	}
	opaTokensMu.Lock()
	opaTokens[o.fp] = opaToken{token: tok, expires: exp}
	opaTokensMu.Unlock()
	return tok, nil
}

func opaMessage(v any) string {
	for _, k := range []string{"message", "error", "code"} {
		if s, _ := get(v, k).(string); s != "" {
			return s
		}
	}
	return "no message"
}

func opaCustomAction(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	if in.Card == nil || in.Card.Connection == "" {
		return nil, errors.New("no Okta Privileged Access connection chosen for this card")
	}
	conn, err := in.Run.Connection(ctx, in.Card.Connection)
	if err != nil {
		return nil, err
	}
	if conn.Kind != "" && conn.Kind != OPAKind.ID {
		return nil, fmt.Errorf("connection %q is a %s connection, not Okta Privileged Access", conn.ID, conn.Kind)
	}
	o, err := opaConnOf(conn)
	if err != nil {
		return nil, err
	}
	method := strings.ToUpper(text(in, "request_type_QBJ3VI"))
	if method == "" {
		method = "GET"
	}
	switch method {
	case "GET", "POST", "PUT", "PATCH", "DELETE":
	default:
		return nil, engine.InputErrorf("request_type_QBJ3VI", "unsupported request type %q (GET, PATCH, POST, PUT or DELETE)", method)
	}
	rel, err := required(in, "relative_url_9KSKGU")
	if err != nil {
		return nil, err
	}
	if strings.Contains(rel, "://") {
		return nil, engine.InputErrorf("relative_url_9KSKGU", "must be a path of the team's API (e.g. /secret_folders), not a full URL")
	}
	if !strings.HasPrefix(rel, "/") {
		rel = "/" + rel
	}
	target := o.teamURL() + rel
	if strings.HasPrefix(rel, "/v1/") {
		target = o.base + rel
	}
	var q url.Values
	if i := strings.IndexByte(target, '?'); i >= 0 {
		pq, err := url.ParseQuery(target[i+1:])
		if err != nil {
			return nil, engine.InputErrorf("relative_url_9KSKGU", "query is not valid: %v", err)
		}
		q, target = pq, target[:i]
	}
	if q == nil {
		q = url.Values{}
	}
	if m, ok := in.Values["query_7JH1QC"].(map[string]any); ok {
		for k, v := range m {
			if l, ok := v.([]any); ok {
				for _, x := range l {
					q.Add(k, engine.ToText(x))
				}
			} else if v != nil {
				q.Set(k, engine.ToText(v))
			}
		}
	}
	hdr := http.Header{}
	if m, ok := in.Values["headers_CG1EEI"].(map[string]any); ok {
		for k, v := range m {
			hdr.Set(k, engine.ToText(v))
		}
	}
	var body any
	if b, ok := in.Values["body_SPVYBK"]; ok && b != nil && method != "GET" && method != "DELETE" {
		body = b
	}
	rt, _ := in.Run.Service("http").(http.RoundTripper)
	hc := opaClient(rt, o, in.Run.Attempt)
	var resp *httpx.Response
	for try := 0; try < 2; try++ {
		tok, err := opaBearer(ctx, hc, o, try > 0)
		if err != nil {
			return nil, err
		}
		h := hdr.Clone()
		h.Set("Authorization", "Bearer "+tok)
		resp, err = hc.Do(ctx, &httpx.Request{Method: method, URL: target, Query: q, Header: h, JSON: body, Policy: httpx.CardPolicy(in.Card)})
		if err != nil {
			return nil, err
		}
		if resp.Status != http.StatusUnauthorized {
			break // a 401 means the cached token expired early: one fresh try
		}
	}
	v, err := resp.JSON()
	if err != nil {
		v = string(resp.Body)
	}
	v = httpx.ScrubValue(v, o.secret)
	if resp.Status >= 400 {
		return nil, &engine.HTTPError{Status: resp.Status, Summary: opaMessage(v), Body: v}
	}
	if v == nil {
		v = map[string]any{}
	}
	return engine.Outputs{"status_code_WGJUCK": float64(resp.Status), "headers_NRUK9C": httpx.HeaderMap(resp.Header), "body_ABKPIP": v}, nil
}

func testOPA(ctx context.Context, c *engine.Connection) *engine.TestReport {
	rep := &engine.TestReport{}
	step := func(name string, err error, hint string) bool {
		s := engine.TestStep{Name: name, OK: err == nil, Message: "ok", Hint: hint}
		if err != nil {
			s.Message = err.Error()
			var he *engine.HTTPError
			if errors.As(err, &he) {
				s.Status = he.Status
			}
		}
		rep.Steps = append(rep.Steps, s)
		return err == nil
	}
	o, err := opaConnOf(c)
	if !step("Connection settings", err, "Enter the team URL (https://{team}.pam.okta.com), the team name and a service user's key.") {
		return rep
	}
	hc := opaClient(nil, o, nil)
	_, err = opaBearer(ctx, hc, o, true)
	rep.OK = step("Service user token", err, "Create an API key for a service user in Okta Privileged Access (Service Users) and paste its ID and secret.")
	return rep
}
