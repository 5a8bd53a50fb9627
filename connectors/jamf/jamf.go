// Package jamf is the Jamf Pro connector (Classic API), built on
// connectors/kit: the "jamf" connection kind (an API account's username and
// password exchanged for a bearer token, or an API client's client
// credentials), Okta's Jamf Pro Classic API cards under their corpus
// kinds (jamfproclassicapi_3d816a0a0b7a410fa88c3de81a4aeccb:readComputer, …),
// a Custom API Action, and the local fake server (connectors/jamf/fake).
//
// Classic API answers are JSON when asked with Accept: application/json;
// MDM commands answer XML. Errors are Jamf's HTML status pages (Classic
// API) or {"httpStatus","errors":[{"code","description"}]} (Jamf Pro API):
// JamfErrors turns both into the card error.
package jamf

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/flowbench/flowbench/connectors/jamf/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

// NS is Okta's namespace of the Jamf Pro Classic API cards.
const NS = "jamfproclassicapi_3d816a0a0b7a410fa88c3de81a4aeccb"

// CfgDomain is the Jamf Pro server's address.
const CfgDomain = "domain"

func apiClient() *kit.AuthMethod {
	m := kit.ClientCredentials("API client (client ID and secret)", "https://{domain}/api/oauth/token")
	m.AuthStyle = oauth2.AuthStyleInParams
	return m
}

// Connector is Jamf Pro's declaration.
var Connector = &kit.Connector{
	ID:      "jamf",
	Title:   "Jamf Pro",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/jamfproclassicapi/actions/",
	Fields: []engine.FieldSpec{{Key: CfgDomain, Label: "Jamf Pro server", Type: engine.T("string"), Required: true,
		Description: "yourcompany.jamfcloud.com (or your on-premises server's host:port)"}},
	BaseURL: "https://{domain}",
	Errors:  JamfErrors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/api/v1/auth"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			acct, _ := kit.Dig(r.Body, "account").(map[string]any)
			name := engine.ToText(acct["username"])
			return "authenticated as " + name + " (" + engine.ToText(acct["accessLevel"]) + ")",
				map[string]any{"account": name, "privileges": acct["privileges"]}
		},
		Fixes: map[string]string{
			"INVALID_TOKEN": "Jamf Pro refused the token: check the API client is enabled and its secret is current (Settings → API roles and clients).",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	// the basic-token method reads the connector's base URL: set here to
	// keep the declaration free of an initialization cycle
	Connector.Auth = []*kit.AuthMethod{basicToken(), apiClient()}
	Connector.Cards = cards()
	kit.Register(Connector)
}

var htmlTag = regexp.MustCompile(`<[^>]+>`)

// JamfErrors maps Jamf's error answers: the Jamf Pro API's JSON errors and
// the Classic API's HTML status pages (the message is the page's text).
func JamfErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	he := &engine.HTTPError{Status: r.Status}
	if m := r.Object(); m != nil {
		if errs, ok := m["errors"].([]any); ok && len(errs) > 0 {
			if e, ok := errs[0].(map[string]any); ok {
				he.Code = engine.ToText(e["code"])
				he.Summary = engine.ToText(e["description"])
			}
		}
		if he.Summary == "" {
			return kit.StatusErrors(r)
		}
		return he
	}
	if s, ok := r.Body.(string); ok {
		// the Classic API's page: <p>Not Found</p><p>detail</p>…
		var parts []string
		for _, p := range strings.Split(s, "<p") {
			t := strings.TrimSpace(htmlTag.ReplaceAllString("<p"+p, ""))
			if t != "" && !strings.HasPrefix(t, "You can get technical details") && !strings.Contains(t, "Status page") {
				parts = append(parts, strings.Join(strings.Fields(t), " "))
			}
		}
		if len(parts) > 0 {
			he.Summary = strings.Join(parts, ": ")
		}
	}
	if he.Summary == "" {
		he.Summary = http.StatusText(r.Status)
	}
	if r.Status == http.StatusUnauthorized {
		he.Summary += " (the Jamf Pro credentials were refused: check the API client or reconnect)"
	}
	return he
}

// classic is a Classic API GET answered as JSON.
func classic(path string) *kit.Call {
	return &kit.Call{Path: "/JSSResource" + path, Header: http.Header{"Accept": {"application/json"}}}
}

var _ = fmt.Sprint
