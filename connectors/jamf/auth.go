package jamf

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

// AuthBasicToken is Jamf Pro's username and password exchanged for a
// bearer token (POST /api/v1/auth/token with Basic credentials; the Classic
// API no longer takes Basic credentials on each call).
const AuthBasicToken = "basicToken"

func basicToken() *kit.AuthMethod {
	return &kit.AuthMethod{ID: AuthBasicToken, Label: "Username and password (bearer token)",
		Fields:  []engine.FieldSpec{{Key: kit.CfgUsername, Label: "Username", Type: engine.T("string"), Required: true}},
		Secrets: []engine.FieldSpec{{Key: kit.SecPassword, Label: "Password", Type: engine.T("string"), Required: true}},
		Source: func(c *engine.Connection, hc *http.Client) (oauth2.TokenSource, error) {
			base, err := Connector.Base(c)
			if err != nil {
				return nil, err
			}
			return &tokenSource{hc: hc, url: base + "/api/v1/auth/token",
				user: strings.TrimSpace(engine.ToText(c.Config[kit.CfgUsername])), pass: c.Secrets[kit.SecPassword]}, nil
		}}
}

type tokenSource struct {
	hc              *http.Client
	url, user, pass string
}

// Token asks Jamf Pro for a bearer token (valid 30 minutes by default).
func (s *tokenSource) Token() (*oauth2.Token, error) {
	req, err := http.NewRequest(http.MethodPost, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(s.user, s.pass)
	req.Header.Set("Accept", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asking Jamf Pro for a token: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode == http.StatusUnauthorized {
		return nil, fmt.Errorf("Jamf Pro refused the username or password (HTTP 401): check the Jamf Pro API account's username and password")
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("Jamf Pro's token endpoint answered HTTP %d", resp.StatusCode)
	}
	var t struct {
		Token   string `json:"token"`
		Expires string `json:"expires"`
	}
	if err := json.Unmarshal(body, &t); err != nil || t.Token == "" {
		return nil, fmt.Errorf("Jamf Pro's token endpoint answered without a token")
	}
	exp, err := time.Parse(time.RFC3339, t.Expires)
	if err != nil {
		exp = time.Now().Add(20 * time.Minute)
	}
	return &oauth2.Token{AccessToken: t.Token, TokenType: "Bearer", Expiry: exp}, nil
}
