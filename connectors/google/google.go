// Package google is the Google Workspace connector: Google Directory (Admin
// SDK Directory, Licensing and Data Transfer APIs), Gmail, Google Drive,
// Google Sheets and Google Calendar, under Okta Workflows' card kinds
// (namespaces googledirectory, gmail, googledrive, googlesheets2_29 and
// googlecalendar) with Okta's export field keys, so imported cards map with
// no renaming.
//
// One connection kind, "google", serves every service. It authenticates
// either as a service account with domain-wide delegation (a JWT assertion
// signed with the service account's private key, exchanged at the key's
// token_uri for an access token of the impersonated user: the admin for
// Directory, Licensing, Data Transfer, Drive, Sheets and Calendar; the
// mailbox owner for Gmail settings and mail) or with an OAuth 2.0
// authorization code + PKCE token of one user. Every call goes through
// connectors/httpx (retries, governor, attempts in history, redaction).
//
// Google's error body {"error":{"code","message","errors":[{"reason"}],
// "status"}} becomes an *engine.HTTPError (Code = the first reason, else
// the status). Lists follow nextPageToken.
//
// The fake Google APIs (connectors/google/fake) serve every service on one
// origin; a connection points at it with the "API root URL" setting, which
// replaces each service's real root (https://admin.googleapis.com/, …).
// The fake's requests and responses are held to Google's discovery
// documents (testdata/discovery, trimmed to the operations the cards use).
package google

import (
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// KindID is the connection kind.
const KindID = "google"

// Auth methods (config "authMethod").
const (
	AuthServiceAccount = "serviceAccount"
	AuthCode           = "oauth2AuthCode"
)

// Config and secret keys.
const (
	CfgAuthMethod   = "authMethod"
	CfgAdminEmail   = "subject"      // the admin a service account impersonates (domain-wide delegation), as the kit names it
	CfgCustomerID   = "customerId"   // default "my_customer"
	CfgDomain       = "domain"       // primary domain (informational; the ladder reports it)
	CfgRootURL      = "baseUrl"      // replaces every service's root URL (a fake, a proxy), as the kit names it
	CfgClientID     = "clientId"     // OAuth client id (authorization code)
	CfgRedirectPort = "redirectPort" // loopback port of the OAuth redirect

	SecServiceAccountKey = "serviceAccountKey" // the JSON key file of the service account
	SecClientSecret      = "clientSecret"
	SecToken             = "oauthToken" // JSON oauth2.Token (authorization code)
)

// Google's OAuth endpoints for the authorization code method.
const (
	GoogleAuthURL  = "https://accounts.google.com/o/oauth2/v2/auth"
	GoogleTokenURL = "https://oauth2.googleapis.com/token"
)

// Scopes the cards use, by service.
const (
	ScopeDirectoryUser     = "https://www.googleapis.com/auth/admin.directory.user"
	ScopeDirectorySecurity = "https://www.googleapis.com/auth/admin.directory.user.security"
	ScopeDirectoryDevice   = "https://www.googleapis.com/auth/admin.directory.device.mobile"
	ScopeDirectoryGroup    = "https://www.googleapis.com/auth/admin.directory.group"
	ScopeLicensing         = "https://www.googleapis.com/auth/apps.licensing"
	ScopeDataTransfer      = "https://www.googleapis.com/auth/admin.datatransfer"
	ScopeGmailSend         = "https://www.googleapis.com/auth/gmail.send"
	ScopeGmailRead         = "https://www.googleapis.com/auth/gmail.readonly"
	ScopeGmailBasic        = "https://www.googleapis.com/auth/gmail.settings.basic"
	ScopeGmailSharing      = "https://www.googleapis.com/auth/gmail.settings.sharing"
	ScopeDrive             = "https://www.googleapis.com/auth/drive"
	ScopeSheets            = "https://www.googleapis.com/auth/spreadsheets"
	ScopeCalendar          = "https://www.googleapis.com/auth/calendar"
)

// Service is one Google API: its real root URL and the scopes its cards ask
// for.
type Service struct {
	Name   string // "directory", "gmail", …
	Title  string
	Root   string // Google's rootUrl, e.g. "https://admin.googleapis.com/"
	Scopes []string
	// PerUser: calls act as the user they are about (Gmail), not as the
	// admin; a service account impersonates that user.
	PerUser bool
}

// The services.
var (
	Directory = &Service{Name: "directory", Title: "Google Directory", Root: "https://admin.googleapis.com/",
		Scopes: []string{ScopeDirectoryUser, ScopeDirectorySecurity, ScopeDirectoryDevice, ScopeDirectoryGroup}}
	Licensing = &Service{Name: "licensing", Title: "Google Workspace Licensing", Root: "https://licensing.googleapis.com/",
		Scopes: []string{ScopeLicensing}}
	DataTransfer = &Service{Name: "datatransfer", Title: "Google Data Transfer", Root: "https://admin.googleapis.com/",
		Scopes: []string{ScopeDataTransfer}}
	Gmail = &Service{Name: "gmail", Title: "Gmail", Root: "https://gmail.googleapis.com/",
		Scopes: []string{ScopeGmailSend, ScopeGmailRead, ScopeGmailBasic, ScopeGmailSharing}, PerUser: true}
	Drive = &Service{Name: "drive", Title: "Google Drive", Root: "https://www.googleapis.com/",
		Scopes: []string{ScopeDrive}}
	Sheets = &Service{Name: "sheets", Title: "Google Sheets", Root: "https://sheets.googleapis.com/",
		Scopes: []string{ScopeSheets}}
	Calendar = &Service{Name: "calendar", Title: "Google Calendar", Root: "https://www.googleapis.com/",
		Scopes: []string{ScopeCalendar}}
)

// Services lists every service (the connection test checks each one's scopes).
var Services = []*Service{Directory, Licensing, DataTransfer, Gmail, Drive, Sheets, Calendar}

// AllScopes is every scope the cards use (what the domain-wide delegation
// of the service account must grant).
func AllScopes() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range Services {
		for _, sc := range s.Scopes {
			if !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	return out
}

// Kind is the "google" connection kind. As in the kit's forms, a field
// whose Group is an auth method id shows only while that method is chosen.
var Kind = &engine.ConnectionKind{
	ID:    KindID,
	Title: "Google Workspace",
	Fields: []engine.FieldSpec{
		{Key: CfgAuthMethod, Label: "Authorization", Type: engine.T("string"), Required: true, Default: AuthServiceAccount,
			Choices: []engine.Choice{{Value: AuthServiceAccount, Label: "Service account with domain-wide delegation"},
				{Value: AuthCode, Label: "OAuth 2.0 authorization code (PKCE)"}}},
		{Key: CfgAdminEmail, Label: "Admin user email", Type: engine.T("string"), Group: AuthServiceAccount,
			Description: "the super admin the service account acts as for Directory, Licensing, Data Transfer, Drive, Sheets and Calendar calls"},
		{Key: CfgCustomerID, Label: "Customer ID", Type: engine.T("string"), Default: "my_customer",
			Description: `the Workspace account's customer id; "my_customer" is the admin's own account`},
		{Key: CfgDomain, Label: "Primary domain", Type: engine.T("string")},
		{Key: CfgClientID, Label: "OAuth client ID", Type: engine.T("string"), Group: AuthCode},
		{Key: CfgRedirectPort, Label: "Redirect port", Type: engine.T("number"), Group: AuthCode,
			Description: "loopback port registered as http://127.0.0.1:PORT/callback (0: any)"},
		{Key: CfgRootURL, Label: "API root URL", Type: engine.T("string"),
			Description: "leave empty for Google; set to a local fake or proxy that serves every Google API under one origin"},
	},
	Secrets: []engine.FieldSpec{
		{Key: SecServiceAccountKey, Label: "Service account key (JSON)", Type: engine.T("string"), Group: AuthServiceAccount,
			Description: "the JSON key file downloaded from Google Cloud (IAM → Service accounts → Keys)"},
		{Key: SecClientSecret, Label: "OAuth client secret", Type: engine.T("string"), Group: AuthCode},
		{Key: SecToken, Label: "OAuth token (set by Authorize)", Type: engine.T("string"), Group: AuthCode},
	},
	Test: TestConnection,
}

func init() {
	engine.RegisterConnectionKind(Kind)
	for _, s := range Specs() {
		engine.Register(s)
	}
}

func cfg(c *engine.Connection, k string) string { return strings.TrimSpace(engine.ToText(c.Config[k])) }

func authMethod(c *engine.Connection) string {
	if m := cfg(c, CfgAuthMethod); m != "" {
		return m
	}
	return AuthServiceAccount
}

func customerID(c *engine.Connection) string {
	if v := cfg(c, CfgCustomerID); v != "" {
		return v
	}
	return "my_customer"
}

// rootURL is where the service's paths resolve: the connection's override
// or Google's root.
func rootURL(c *engine.Connection, s *Service) string {
	if v := cfg(c, CfgRootURL); v != "" {
		return strings.TrimSuffix(v, "/") + "/"
	}
	return s.Root
}
