package flopack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// What an import leaves for the person to look at, grouped by app: the
// cards Flowbench does not implement (by Okta title), static values that
// are not among a card field's choices, and the tables and connections
// that need attention. The CLI (`flowbench import --report`) and the
// import dialog both show Report.Apps.

// AppAttention is one app's share of an import's open points.
type AppAttention struct {
	// App is the app's display name: "Salesforce", "Okta", "Tables", or a
	// function family ("Text", "List", …).
	App         string            `json:"app"`
	Unsupported []UnsupportedCard `json:"unsupported,omitempty"`
	Choices     []ChoiceValue     `json:"choices,omitempty"`
	Tables      []TableNote       `json:"tables,omitempty"`
	Connections []ConnectionNote  `json:"connections,omitempty"`
}

// UnsupportedCard is one kind of card Flowbench does not implement yet.
type UnsupportedCard struct {
	Title string   `json:"title"` // Okta's card title, "Create Record"
	Kind  string   `json:"kind"`  // module:method
	Count int      `json:"count"`
	Flows []string `json:"flows"` // names of the flows that use it
}

// ChoiceValue is a static value that is not one of the field's choices.
type ChoiceValue struct {
	Flow    string   `json:"flow"`
	Card    string   `json:"card"`
	Field   string   `json:"field"`
	Value   string   `json:"value"`
	Choices []string `json:"choices"`
}

// TableNote is a table the import brings (or misses) that needs attention.
type TableNote struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Cards is how many cards use the table.
	Cards   int    `json:"cards"`
	Missing bool   `json:"missing,omitempty"` // used by cards, not in the export
	Message string `json:"message"`
}

// ConnectionNote is a connection placeholder to bind.
type ConnectionNote struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Module string `json:"module"`
	Cards  int    `json:"cards"`
	// Supported says whether Flowbench has a connector to bind it to.
	Supported bool   `json:"supported"`
	Missing   bool   `json:"missing,omitempty"` // used by cards, not in the export
	Message   string `json:"message"`
}

// attention collects while importing.
type attention struct {
	unsupported map[[3]string]*UnsupportedCard // app, kind, title
	choices     map[string][]ChoiceValue       // app -> values
	tableUse    map[string]int                 // table id -> cards
	connUse     map[string]int                 // connection id -> cards
	connModule  map[string]string              // connection id -> module of the cards using it
}

func (a *attention) init() {
	if a.unsupported == nil {
		a.unsupported = map[[3]string]*UnsupportedCard{}
		a.choices = map[string][]ChoiceValue{}
		a.tableUse = map[string]int{}
		a.connUse = map[string]int{}
		a.connModule = map[string]string{}
	}
}

// noteUnsupported records an unsupported card of flow.
func (im *importer) noteUnsupported(fl *flowCtx, m *method) {
	im.attn.init()
	title := oktaTitle(m)
	k := [3]string{appOf(m), m.reportKind(), title}
	u := im.attn.unsupported[k]
	if u == nil {
		u = &UnsupportedCard{Title: title, Kind: k[1], Flows: []string{}}
		im.attn.unsupported[k] = u
	}
	u.Count++
	if name := fl.rep.Name; !slices.Contains(u.Flows, name) {
		u.Flows = append(u.Flows, name)
	}
}

// noteChoice checks a static value against the field's choices.
func (im *importer) noteChoice(fl *flowCtx, m *method, fld *engine.Field, s *engine.Spec, v any) {
	if s == nil {
		return
	}
	fs := s.InputSpec(fld.Key)
	if fs == nil || !fs.ClosedChoices() {
		return
	}
	switch v.(type) {
	case string, float64, bool:
	default:
		return // lists and objects are not choice values
	}
	text := engine.ToText(v)
	choices := make([]string, 0, len(fs.Choices))
	for _, c := range fs.Choices {
		ct := engine.ToText(c.Value)
		if ct == text {
			return
		}
		choices = append(choices, ct)
	}
	im.attn.init()
	app := appOf(m)
	label := fld.Label
	if label == "" {
		label = fld.Key
	}
	im.attn.choices[app] = append(im.attn.choices[app], ChoiceValue{Flow: fl.rep.Name, Card: cardTitle(m), Field: label, Value: text, Choices: choices})
	im.warn(fl.label, m.label(), fld.Key, "value %q is not one of the field's choices (%s); choose one on the card", text, strings.Join(choices, ", "))
}

// noteUses counts the cards that use a connection and a table.
func (im *importer) noteConnection(m *method) {
	im.attn.init()
	im.attn.connUse[m.config]++
	if _, ok := im.attn.connModule[m.config]; !ok {
		im.attn.connModule[m.config] = m.module
	}
}

func (im *importer) noteTable(id string) {
	im.attn.init()
	im.attn.tableUse[id]++
}

// finishAttention fills Report.Apps.
func (im *importer) finishAttention() {
	im.attn.init()
	byApp := map[string]*AppAttention{}
	get := func(app string) *AppAttention {
		a := byApp[app]
		if a == nil {
			a = &AppAttention{App: app}
			byApp[app] = a
		}
		return a
	}
	for k, u := range im.attn.unsupported {
		a := get(k[0])
		a.Unsupported = append(a.Unsupported, *u)
	}
	for app, cs := range im.attn.choices {
		get(app).Choices = append(get(app).Choices, cs...)
	}
	// tables: the imported ones (exports carry no rows) and the missing ones
	for _, t := range im.res.Tables {
		n := im.attn.tableUse[t.ID]
		rows := len(im.res.Rows[t.ID])
		if rows > 0 {
			continue
		}
		msg := "imported without rows (Okta exports carry no table data): add rows or import a CSV in the Tables tab"
		if n > 0 {
			msg = fmt.Sprintf("used by %d card%s; %s", n, plural(n), msg)
		}
		get("Tables").Tables = append(get("Tables").Tables, TableNote{ID: t.ID, Name: t.Name, Cards: n, Message: msg})
	}
	for _, id := range slices.Sorted(mapKeys(im.attn.tableUse)) {
		if im.tables[id] {
			continue
		}
		n := im.attn.tableUse[id]
		get("Tables").Tables = append(get("Tables").Tables, TableNote{ID: id, Cards: n, Missing: true,
			Message: fmt.Sprintf("%d card%s use%s a table that is not in the export: pick a table on %s", n, plural(n), pluralVerb(n), itThem(n))})
	}
	// connections: every placeholder, and ids the cards name that the export lacks
	supported := im.supportedModules()
	for _, ref := range im.res.Connections {
		mod := ref.Kind
		if mod == "" {
			mod = im.attn.connModule[ref.ID]
		}
		n := im.attn.connUse[ref.ID]
		note := ConnectionNote{ID: ref.ID, Name: ref.Name, Module: mod, Cards: n, Supported: supported[baseModule(mod)]}
		if note.Supported {
			note.Message = fmt.Sprintf("used by %d card%s: bind it to one of your connections", n, plural(n))
		} else {
			note.Message = fmt.Sprintf("used by %d card%s: Flowbench has no connector for this app yet, so its cards cannot run", n, plural(n))
		}
		get(appName(mod, false)).Connections = append(get(appName(mod, false)).Connections, note)
	}
	for _, id := range slices.Sorted(mapKeys(im.attn.connUse)) {
		if im.connections[id] {
			continue
		}
		mod := im.attn.connModule[id]
		n := im.attn.connUse[id]
		get(appName(mod, false)).Connections = append(get(appName(mod, false)).Connections, ConnectionNote{ID: id, Name: id, Module: mod, Cards: n,
			Supported: supported[baseModule(mod)], Missing: true,
			Message: fmt.Sprintf("%d card%s use%s a connection that is not in the export: choose a connection on %s", n, plural(n), pluralVerb(n), itThem(n))})
	}
	out := make([]AppAttention, 0, len(byApp))
	for _, a := range byApp {
		sort.Slice(a.Unsupported, func(i, j int) bool {
			if a.Unsupported[i].Count != a.Unsupported[j].Count {
				return a.Unsupported[i].Count > a.Unsupported[j].Count
			}
			return a.Unsupported[i].Title < a.Unsupported[j].Title
		})
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].App < out[j].App })
	im.rep.Apps = out
}

func mapKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralVerb(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// supportedModules are the export modules a registered card with a
// connection implements (okta, httpfunctions, …).
func (im *importer) supportedModules() map[string]bool {
	out := map[string]bool{}
	for _, s := range im.reg.Cards() {
		if s.Connection == "" {
			continue
		}
		for _, k := range s.Okta {
			if i := strings.IndexByte(k, ':'); i > 0 {
				out[baseModule(k[:i])] = true
			}
		}
	}
	return out
}

// oktaTitle is the card's title as Okta shows it: the card's name, else
// the method's catalogue name, else the method key — never an address.
func oktaTitle(m *method) string {
	if t := strings.TrimSpace(m.title); t != "" {
		return t
	}
	var raw struct {
		Node struct {
			Model struct {
				Metadata struct {
					Name string `json:"name"`
				} `json:"metadata"`
			} `json:"model"`
		} `json:"node"`
	}
	if json.Unmarshal(m.raw, &raw) == nil {
		if t := strings.TrimSpace(raw.Node.Model.Metadata.Name); t != "" {
			return t
		}
	}
	if m.key != "" {
		return m.key
	}
	return "card"
}

func cardTitle(m *method) string { return oktaTitle(m) }

// appOf is the display name of the app a card belongs to.
func appOf(m *method) string { return appName(m.module, m.kernel) }

var moduleSuffix = regexp.MustCompile(`(_[0-9a-f]{32}|_?[0-9]+(_[0-9]+)*)$`)

// baseModule drops the catalogue suffix of a connector module:
// "marketo2_29" → "marketo", "slack_4151667dbd1c434fb0b7dae901b00cc7" → "slack".
func baseModule(mod string) string {
	mod = strings.ToLower(mod)
	if b := moduleSuffix.ReplaceAllString(mod, ""); b != "" {
		return b
	}
	return mod
}

// AppName is the display name of an Okta Workflows module: a connector
// ("salesforce2_29" → "Salesforce") or, for kernel cards, a function
// family ("string" → "Text").
func AppName(module string, kernel bool) string { return appName(module, kernel) }

// AppOfAddress is the display name of the app of a card address
// (root:kernel:<module>:… or root:channels:<ns>:<connector>:…).
func AppOfAddress(address string) string {
	m := &method{address: address}
	if m.parseAddress() == nil {
		return appOf(m)
	}
	return ""
}

func appName(module string, kernel bool) string {
	if kernel {
		if n, ok := kernelApps[strings.ToLower(module)]; ok {
			return n
		}
		return titleCase(module)
	}
	if n, ok := connectorApps[strings.ToLower(module)]; ok {
		return n
	}
	b := baseModule(module)
	if n, ok := connectorApps[b]; ok {
		return n
	}
	if b == "" {
		return "Unknown app"
	}
	return titleCase(b)
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// kernelApps are Okta's function families by kernel module.
var kernelApps = map[string]string{
	"string": "Text", "text": "Text", "math": "Number", "number": "Number", "date": "Date & Time",
	"list": "List", "object": "Object", "control": "Flow Control", "branching": "Branching", "boolean": "True/False",
	"json": "JSON", "error": "Error Handling", "url": "URL", "crypto": "Crypto", "csv": "CSV", "stash": "Tables",
	"ai": "AI", "flo": "Flow Control", "http": "HTTP",
}

// connectorApps are connector display names by module (suffix dropped).
var connectorApps = map[string]string{
	"okta": "Okta", "oktadevices": "Okta Devices", "oktarealms": "Okta Realms", "oktaprivilegedaccess": "Okta Privileged Access",
	"oktaauthenticator": "Okta Authenticator", "stash": "Tables", "httpfunctions": "API Connector", "http": "API Connector",
	"googledirectory": "Google Workspace Admin", "googledrive": "Google Drive", "googlesheets": "Google Sheets",
	"googlecalendar": "Google Calendar", "gmail": "Gmail", "office365admin": "Office 365 Admin",
	"office365mail": "Office 365 Mail", "opsgenie": "Opsgenie", "marketo": "Marketo", "github": "GitHub",
	"salesforce": "Salesforce", "box": "Box", "shopify": "Shopify", "jamfproclassicapi": "Jamf Pro Classic API",
	"yubico": "Yubico", "auth0": "Auth0", "slack": "Slack", "servicenow": "ServiceNow", "jira": "Jira",
	"openai": "OpenAI", "kandji": "Kandji", "filefunctions": "File", "darwinbox": "Darwinbox", "workday": "Workday",
	"sendgrid": "SendGrid", "securecodewarrior": "Secure Code Warrior", "personio": "Personio",
	"pendometadataupdateconnector": "Pendo", "pagerduty": "PagerDuty", "awslambda": "AWS Lambda", "zoom": "Zoom",
	"docusign": "DocuSign", "smartsheet": "Smartsheet", "zendesk": "Zendesk", "adobe": "Adobe", "bamboohr": "BambooHR",
	"confluence": "Confluence", "microsoftteams": "Microsoft Teams", "azuread": "Azure AD", "aws": "AWS",
	"twilio": "Twilio", "hubspot": "HubSpot", "dropbox": "Dropbox", "webex": "Webex", "asana": "Asana",
	"trello": "Trello", "zscaler": "Zscaler", "splunk": "Splunk", "datadog": "Datadog", "sap": "SAP",
}

// AttentionText renders Report.Apps for the CLI, one app after another.
func (r *Report) AttentionText() string {
	if len(r.Apps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("needs attention, by app:\n")
	for _, a := range r.Apps {
		fmt.Fprintf(&b, "  %s\n", a.App)
		for _, u := range a.Unsupported {
			fmt.Fprintf(&b, "    unsupported card %q ×%d (%s) in %s\n", u.Title, u.Count, u.Kind, strings.Join(u.Flows, ", "))
		}
		for _, c := range a.Choices {
			fmt.Fprintf(&b, "    value %q of %q on card %q (flow %q) is not among its choices: %s\n", c.Value, c.Field, c.Card, c.Flow, strings.Join(c.Choices, ", "))
		}
		for _, t := range a.Tables {
			name := t.Name
			if name == "" {
				name = t.ID
			}
			fmt.Fprintf(&b, "    table %q: %s\n", name, t.Message)
		}
		for _, c := range a.Connections {
			fmt.Fprintf(&b, "    connection %q (%s): %s\n", c.Name, c.Module, c.Message)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
