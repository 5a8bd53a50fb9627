package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// tenantIDs are real ids of the sandbox tenant that sample inputs name: a
// user (the sample user), a group and an application.
type tenantIDs struct {
	userID, login, name, groupID, groupName, appID, adminID string
}

// sandboxIDs reads them once from the sandbox over its API, like a client.
func sandboxIDs(s *sandbox.Server) func() tenantIDs {
	var once sync.Once
	var ids tenantIDs
	return func() tenantIDs {
		once.Do(func() {
			ids.adminID = s.AdminUserID()
			if u, ok := s.User("alice.nguyen@example.com"); ok {
				ids.userID, _ = u["id"].(string)
				ids.login, ids.name = "alice.nguyen@example.com", "Alice Nguyen"
			}
			get := func(path string) map[string]any {
				if l := sandboxList(s, path); len(l) > 0 {
					return l[0]
				}
				return nil
			}
			if g := get("/api/v1/groups?limit=1&filter=type+eq+%22OKTA_GROUP%22"); g != nil {
				ids.groupID, _ = g["id"].(string)
				if p, ok := g["profile"].(map[string]any); ok {
					ids.groupName, _ = p["name"].(string)
				}
			}
			if a := get("/api/v1/apps?limit=1"); a != nil {
				ids.appID, _ = a["id"].(string)
			}
		})
		return ids
	}
}

// fillTenantIDs replaces the placeholder text ("sample <key>") of a flow's
// text inputs whose name says what they hold (user id, login, email, group,
// app) with real values of the tenant, so a helper flow's sample runs
// against real records, as an event flow's sample does. Values the flow
// itself gives (defaults) are kept.
func fillTenantIDs(f *engine.Flow, in map[string]any, ids tenantIDs) {
	// an event sample's admin, group and app are the tenant's own
	swap := map[string]string{okta.SampleAdminID: ids.adminID, okta.SampleGroupID: ids.groupID, okta.SampleAppID: ids.appID}
	for k, v := range in {
		in[k] = replaceIDs(v, swap)
	}
	// a helper flow run on its own is item 0 of its caller's list
	if ctxT := triggerContextType(f); ctxT != nil && ctxT.Fields["index"] != nil {
		c, _ := in["context"].(map[string]any)
		if c == nil {
			c = map[string]any{}
			in["context"] = c
		}
		if _, has := c["index"]; !has {
			c["index"] = 0.0
		}
	}
	for _, o := range f.Trigger.Outputs {
		if m, ok := in[o.Key].(map[string]any); ok && o.Key != "context" {
			fillFields(m, ids) // an object input's fields: Record.ID, Record.Login…
			continue
		}
		cur, ok := in[o.Key].(string)
		if !ok || cur != "sample "+o.Key || (o.Type != nil && (o.Type.List || o.Type.Kind != engine.KindString)) {
			continue
		}
		if v := tenantValue(o.Key, ids); v != "" {
			in[o.Key] = v
		}
	}
}

func tenantValue(key string, ids tenantIDs) string {
	k := strings.NewReplacer(" ", "", "_", "", "-", "", ".", "").Replace(strings.ToLower(key))
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(k, x) {
				return true
			}
		}
		return false
	}
	idish := has("id") && !has("idp", "provider")
	switch {
	case has("group") && idish:
		return ids.groupID
	case (has("app") && !has("approv")) && idish:
		return ids.appID
	case has("login", "username", "email", "upn"):
		return ids.login
	case has("user", "employee", "manager", "person", "principal", "entity") && idish, k == "id":
		return ids.userID
	case has("displayname", "fullname"):
		return ids.name
	}
	return ""
}

func triggerContextType(f *engine.Flow) *engine.Type {
	for _, o := range f.Trigger.Outputs {
		if o.Key == "context" && o.Type != nil && o.Type.Kind == engine.KindObject {
			return o.Type
		}
	}
	return nil
}

// replaceIDs swaps placeholder ids in a sample value (maps and lists are
// changed in place; they are the sample's own).
func replaceIDs(v any, swap map[string]string) any {
	switch x := v.(type) {
	case string:
		if r, ok := swap[x]; ok && r != "" {
			return r
		}
	case map[string]any:
		for k, e := range x {
			x[k] = replaceIDs(e, swap)
		}
	case []any:
		for i, e := range x {
			x[i] = replaceIDs(e, swap)
		}
	}
	return v
}

// fillFields fills an object sample's placeholder texts by field name.
func fillFields(m map[string]any, ids tenantIDs) {
	for k, v := range m {
		switch x := v.(type) {
		case string:
			if x == "sample "+k {
				if r := tenantValue(k, ids); r != "" {
					m[k] = r
				}
			}
		case map[string]any:
			fillFields(x, ids)
		}
	}
}

// sandboxList GETs a list from the sandbox's API with its default token, as
// a client would; nil when it cannot be read.
func sandboxList(s *sandbox.Server, path string) []map[string]any {
	req, err := http.NewRequest("GET", s.URL()+path, nil)
	if err != nil {
		return nil
	}
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var l []map[string]any
	if json.NewDecoder(resp.Body).Decode(&l) != nil {
		return nil
	}
	return l
}
