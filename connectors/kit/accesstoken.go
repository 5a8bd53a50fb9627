package kit

// AccessToken returns the OAuth 2.0 access token the client sends (fetched
// or refreshed when due), or "" for methods without one (API token, Basic).
// A connector's ladder reads the permissions a token carries from it (a
// Microsoft Graph token's roles/scp claims).
func (cl *Client) AccessToken() (string, error) {
	tok, err := cl.auth.token()
	if err != nil || tok == nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Connector is the connector the client belongs to.
func (cl *Client) Connector() *Connector { return cl.c }
