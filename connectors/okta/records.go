package okta

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

func get(v any, path ...string) any {
	x, _ := engine.Get(v, path)
	return x
}

func str(t string) *engine.Type { return engine.T(t) }

// userSystemFields are Read User's "System Properties" outputs.
var userSystemFields = []engine.FieldSpec{
	{Key: "ID", Type: str("string"), Group: "System Properties"},
	{Key: "Status", Type: str("string"), Group: "System Properties"},
	{Key: "Created", Type: str("string"), Group: "System Properties"},
	{Key: "Activated", Type: str("string"), Group: "System Properties"},
	{Key: "Status Changed", Type: str("string"), Group: "System Properties"},
	{Key: "Last Login", Type: str("string"), Group: "System Properties"},
	{Key: "Last Updated", Type: str("string"), Group: "System Properties"},
	{Key: "Password Changed", Type: str("string"), Group: "System Properties"},
	{Key: "Credentials", Type: engine.Obj(map[string]*engine.Type{"Emails": str("object[]"), "Password": str("object"),
		"Recovery Question": str("string"), "Provider": str("object")}), Group: "System Properties"},
	{Key: "Realm ID", Type: str("string"), Group: "System Properties"},
}

func credentials(u any) map[string]any {
	c, _ := get(u, "credentials").(map[string]any)
	if c == nil {
		return map[string]any{}
	}
	out := map[string]any{"Emails": c["emails"], "Password": c["password"], "Provider": c["provider"]}
	if q := get(c, "recovery_question", "question"); q != nil {
		out["Recovery Question"] = q
	} else {
		out["Recovery Question"] = nil
	}
	if _, ok := out["Emails"].([]any); !ok {
		out["Emails"] = nil
	}
	if _, ok := out["Password"].(map[string]any); !ok {
		out["Password"] = nil
	}
	if _, ok := out["Provider"].(map[string]any); !ok {
		out["Provider"] = nil
	}
	return out
}

// userOutputs maps an Okta user to Read User's outputs: system properties
// by Okta's labels, profile attributes by their own names.
func userOutputs(u any) engine.Outputs {
	out := engine.Outputs{
		"ID": get(u, "id"), "Status": get(u, "status"), "Created": get(u, "created"), "Activated": get(u, "activated"),
		"Status Changed": get(u, "statusChanged"), "Last Login": get(u, "lastLogin"), "Last Updated": get(u, "lastUpdated"),
		"Password Changed": get(u, "passwordChanged"), "Credentials": credentials(u), "Realm ID": get(u, "realmId"),
	}
	if p, ok := get(u, "profile").(map[string]any); ok {
		for k, v := range p {
			if _, clash := out[k]; !clash {
				out[k] = v
			}
		}
	}
	return out
}

// userRecordType is one element of the search cards' Users list.
var userRecordType = engine.Obj(map[string]*engine.Type{
	"Raw Output": str("object"), "ID": str("string"), "Status": str("string"), "Created": str("string"),
	"Activated": str("string"), "Status Changed": str("string"), "Last Login": str("string"), "Last Updated": str("string"),
	"Password Changed": str("string"), "First Name": str("string"), "Last Name": str("string"), "Mobile Phone": str("string"),
	"Second Email": str("string"), "Login": str("string"), "Email": str("string"),
})

func userRecord(u any) map[string]any {
	return map[string]any{
		"Raw Output": u, "ID": get(u, "id"), "Status": get(u, "status"), "Created": get(u, "created"),
		"Activated": get(u, "activated"), "Status Changed": get(u, "statusChanged"), "Last Login": get(u, "lastLogin"),
		"Last Updated": get(u, "lastUpdated"), "Password Changed": get(u, "passwordChanged"),
		"First Name": get(u, "profile", "firstName"), "Last Name": get(u, "profile", "lastName"),
		"Mobile Phone": get(u, "profile", "mobilePhone"), "Second Email": get(u, "profile", "secondEmail"),
		"Login": get(u, "profile", "login"), "Email": get(u, "profile", "email"),
	}
}

var groupRecordType = engine.Obj(map[string]*engine.Type{
	"ID": str("string"), "Name": str("string"), "Description": str("string"), "Created": str("string"),
	"Last Updated": str("string"), "Last Membership Updated": str("string"), "Object Class": str("string[]"),
	"Type": str("string"), "Profile": engine.Obj(map[string]*engine.Type{"Name": str("string"), "Description": str("string")}),
	"Raw Object": str("object"),
})

func groupRecord(g any) map[string]any {
	return map[string]any{
		"ID": get(g, "id"), "Name": get(g, "profile", "name"), "Description": get(g, "profile", "description"),
		"Created": get(g, "created"), "Last Updated": get(g, "lastUpdated"), "Last Membership Updated": get(g, "lastMembershipUpdated"),
		"Object Class": get(g, "objectClass"), "Type": get(g, "type"),
		"Profile":    map[string]any{"Name": get(g, "profile", "name"), "Description": get(g, "profile", "description")},
		"Raw Object": g,
	}
}

var appUserSystemFields = []engine.FieldSpec{
	{Key: "User ID", Type: str("string"), Group: "System Properties"},
	{Key: "External ID", Type: str("string"), Group: "System Properties"},
	{Key: "Created", Type: str("string"), Group: "System Properties"},
	{Key: "Last Updated", Type: str("string"), Group: "System Properties"},
	{Key: "Scope", Type: str("string"), Group: "System Properties"},
	{Key: "Status", Type: str("string"), Group: "System Properties"},
	{Key: "Status Changed", Type: str("string"), Group: "System Properties"},
	{Key: "Password Changed", Type: str("string"), Group: "System Properties"},
	{Key: "Sync State", Type: str("string"), Group: "System Properties"},
	{Key: "Last Sync", Type: str("string"), Group: "System Properties"},
	{Key: "Credentials", Type: engine.Obj(map[string]*engine.Type{"Username": str("string"), "Password": str("object")}), Group: "System Properties"},
}

func appUserOutputs(au any) engine.Outputs {
	out := engine.Outputs{
		"User ID": get(au, "id"), "External ID": get(au, "externalId"), "Created": get(au, "created"),
		"Last Updated": get(au, "lastUpdated"), "Scope": get(au, "scope"), "Status": get(au, "status"),
		"Status Changed": get(au, "statusChanged"), "Password Changed": get(au, "passwordChanged"),
		"Sync State": get(au, "syncState"), "Last Sync": get(au, "lastSync"),
		"Credentials": map[string]any{"Username": get(au, "credentials", "userName"), "Password": objOrNil(get(au, "credentials", "password"))},
	}
	if p, ok := get(au, "profile").(map[string]any); ok {
		for k, v := range p {
			if _, clash := out[k]; !clash {
				out[k] = v
			}
		}
	}
	return out
}

func objOrNil(v any) any {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return nil
}

// nextLink returns the rel="next" URL of a Link header set.
func nextLink(links []string) string {
	for _, h := range links {
		for _, part := range strings.Split(h, ",") {
			u, params, ok := strings.Cut(part, ";")
			if !ok || !strings.Contains(params, `rel="next"`) {
				continue
			}
			return strings.Trim(strings.TrimSpace(u), "<>")
		}
	}
	return ""
}

// errStop ends a listing early without error.
var errStop = errors.New("stop")

// List pages through a collection (Link rel="next"), calling each for every
// item, up to max items (0 = no bound). It returns how many it visited.
func (c *Client) List(ctx context.Context, path string, q url.Values, max int, onAttempt func(engine.Attempt), each func(item any) error) (int, error) {
	n := 0
	next := path
	first := true
	for next != "" {
		call := &Call{Method: "GET", Path: next, OnAttempt: onAttempt}
		if first {
			call.Query = q
			first = false
		}
		v, resp, err := c.JSON(ctx, call)
		if err != nil {
			return n, err
		}
		items, ok := v.([]any)
		if !ok {
			return n, fmt.Errorf("expected a list from %s", path)
		}
		for _, it := range items {
			if max > 0 && n >= max {
				return n, nil
			}
			if err := each(it); err != nil {
				if err == errStop {
					return n + 1, nil
				}
				return n, err
			}
			n++
		}
		next = nextLink(resp.Header.Values("Link"))
		if next != "" {
			// follow only links on the same org, so the token never leaves it
			if !strings.HasPrefix(next, c.Base+"/") {
				return n, fmt.Errorf("Okta returned a next link outside the org: %s", next)
			}
			next = strings.TrimPrefix(next, c.Base)
		}
		if max > 0 && n >= max {
			break
		}
	}
	return n, nil
}
