package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The user profile schema: Okta's base attributes (fixed) and the org's
// custom attributes (from the seed's "userSchema", changed by partial
// updates). Served at /api/v1/meta/schemas/user/{default|id} and, with the
// one default user type, /api/v1/meta/types/user[/{id}].

const userSchemaID = "osc1sandboxdefault00"

// userSchema is the org's custom part of the user schema (under s.mu).
type userSchema struct {
	custom      map[string]map[string]any
	lastUpdated time.Time
}

type baseAttr struct {
	name, title string
	required    bool
	min, max    int // length bounds, 0 = none
}

// baseAttrs are Okta's base user profile attributes, in Okta's order.
var baseAttrs = []baseAttr{
	{"login", "Username", true, 5, 100}, {"firstName", "First name", true, 1, 50}, {"lastName", "Last name", true, 1, 50},
	{"middleName", "Middle name", false, 0, 0}, {"honorificPrefix", "Honorific prefix", false, 0, 0},
	{"honorificSuffix", "Honorific suffix", false, 0, 0}, {"email", "Primary email", true, 5, 100},
	{"title", "Title", false, 0, 0}, {"displayName", "Display name", false, 0, 0}, {"nickName", "Nickname", false, 0, 0},
	{"profileUrl", "Profile Url", false, 0, 0}, {"secondEmail", "Secondary email", false, 5, 100},
	{"mobilePhone", "Mobile phone", false, 0, 100}, {"primaryPhone", "Primary phone", false, 0, 100},
	{"streetAddress", "Street address", false, 0, 0}, {"city", "City", false, 0, 0}, {"state", "State", false, 0, 0},
	{"zipCode", "Zip code", false, 0, 0}, {"countryCode", "Country code", false, 0, 0},
	{"postalAddress", "Postal Address", false, 0, 0}, {"preferredLanguage", "Preferred language", false, 0, 0},
	{"locale", "Locale", false, 0, 0}, {"timezone", "Time zone", false, 0, 0}, {"userType", "User type", false, 0, 0},
	{"employeeNumber", "Employee number", false, 0, 0}, {"costCenter", "Cost center", false, 0, 0},
	{"organization", "Organization", false, 0, 0}, {"division", "Division", false, 0, 0},
	{"department", "Department", false, 0, 0}, {"managerId", "ManagerId", false, 0, 0}, {"manager", "Manager", false, 0, 0},
}

func isBaseAttr(name string) bool {
	return slices.ContainsFunc(baseAttrs, func(b baseAttr) bool { return b.name == name })
}

func (b baseAttr) json() map[string]any {
	a := map[string]any{"title": b.title, "type": "string", "mutability": "READ_WRITE", "scope": "NONE",
		"permissions": []map[string]any{{"principal": "SELF", "action": "READ_WRITE"}}, "master": map[string]any{"type": "PROFILE_MASTER"}}
	if b.required {
		a["required"] = true
	}
	if b.min > 0 {
		a["minLength"] = b.min
	}
	if b.max > 0 {
		a["maxLength"] = b.max
	}
	switch b.name {
	case "login":
		a["pattern"] = ".+"
		a["permissions"] = []map[string]any{{"principal": "SELF", "action": "READ_ONLY"}}
	case "email", "secondEmail":
		a["format"] = "email"
	}
	return a
}

// schemaJSONLocked is the UserSchema document.
func (s *Server) schemaJSONLocked(base string) map[string]any {
	baseProps := make(map[string]any, len(baseAttrs))
	var required []string
	for _, b := range baseAttrs {
		baseProps[b.name] = b.json()
		if b.required {
			required = append(required, b.name)
		}
	}
	custom := make(map[string]any, len(s.schema.custom))
	var customReq []string
	for name, a := range s.schema.custom {
		custom[name] = a
		if r, _ := a["required"].(bool); r {
			customReq = append(customReq, name)
		}
	}
	slices.Sort(customReq)
	if customReq == nil {
		customReq = []string{}
	}
	updated := s.schema.lastUpdated
	if updated.IsZero() {
		updated = s.orgCreated
	}
	return map[string]any{
		"id":          base + "/meta/schemas/user/" + userSchemaID,
		"$schema":     "http://json-schema.org/draft-04/schema#",
		"name":        "user",
		"title":       "User",
		"description": "Okta user profile template with default permission settings",
		"created":     fmtTime(s.orgCreated),
		"lastUpdated": fmtTime(updated),
		"definitions": map[string]any{
			"custom": map[string]any{"id": "#custom", "type": "object", "properties": custom, "required": customReq},
			"base":   map[string]any{"id": "#base", "type": "object", "properties": baseProps, "required": required},
		},
		"type": "object",
		"properties": map[string]any{"profile": map[string]any{"allOf": []map[string]any{
			{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}}}},
		"_links": map[string]any{
			"self": map[string]any{"href": base + "/api/v1/meta/schemas/user/" + userSchemaID, "method": "GET", "rel": "self"},
			"type": map[string]any{"href": base + "/api/v1/meta/types/user/" + userTypeID, "method": "GET", "rel": "type"},
		},
	}
}

func schemaIDOK(id string) bool { return id == "default" || id == userSchemaID }

// GET /api/v1/meta/schemas/user/{schemaId}
func (s *Server) getUserSchema(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	if !schemaIDOK(segs[3]) {
		notFound(w, segs[3], "UserSchema")
		return
	}
	s.mu.RLock()
	doc := s.schemaJSONLocked(rc.base)
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, doc)
}

var attrName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

var attrTypes = []string{"string", "boolean", "number", "integer", "array"}

// POST /api/v1/meta/schemas/user/{schemaId}: partial update of the custom
// attributes (definitions.custom.properties: an object adds or changes an
// attribute, null removes it). Base attributes only take permission
// changes, which the sandbox accepts and ignores.
func (s *Server) updateUserSchema(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	if !schemaIDOK(segs[3]) {
		notFound(w, segs[3], "UserSchema")
		return
	}
	var in struct {
		Definitions *struct {
			Custom *struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"custom"`
			Base *struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"base"`
		} `json:"definitions"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	var causes []string
	changes := map[string]map[string]any{}
	if in.Definitions != nil && in.Definitions.Base != nil {
		for name := range in.Definitions.Base.Properties {
			if !isBaseAttr(name) {
				causes = append(causes, name+": Property does not exist in the base schema")
			}
		}
	}
	if in.Definitions != nil && in.Definitions.Custom != nil {
		for _, name := range slices.Sorted(maps.Keys(in.Definitions.Custom.Properties)) {
			raw := in.Definitions.Custom.Properties[name]
			if string(raw) == "null" {
				changes[name] = nil
				continue
			}
			var a map[string]any
			if err := json.Unmarshal(raw, &a); err != nil {
				causes = append(causes, name+": The property definition must be an object")
				continue
			}
			switch {
			case !attrName.MatchString(name):
				causes = append(causes, name+": Variable name must start with a letter and contain only letters, digits and underscores")
			case isBaseAttr(name):
				causes = append(causes, name+": An object with this field already exists in the base schema")
			}
			if t, _ := a["type"].(string); !slices.Contains(attrTypes, t) {
				causes = append(causes, fmt.Sprintf("%s: type must be one of %s", name, strings.Join(attrTypes, ", ")))
			}
			if t, _ := a["title"].(string); strings.TrimSpace(t) == "" {
				causes = append(causes, name+": title: The field cannot be left blank")
			}
			if a["type"] == "array" {
				if it, _ := a["items"].(map[string]any); it == nil || !slices.Contains([]string{"string", "number", "integer"}, fmt.Sprint(it["type"])) {
					causes = append(causes, name+": items: an array attribute needs items of type string, number or integer")
				}
			}
			changes[name] = a
		}
	}
	if len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	s.mu.Lock()
	if s.schema.custom == nil {
		s.schema.custom = map[string]map[string]any{}
	}
	for name, a := range changes {
		if a == nil {
			delete(s.schema.custom, name)
			continue
		}
		if _, ok := a["mutability"]; !ok {
			a["mutability"] = "READ_WRITE"
		}
		if _, ok := a["scope"]; !ok {
			a["scope"] = "NONE"
		}
		if _, ok := a["permissions"]; !ok {
			a["permissions"] = []map[string]any{{"principal": "SELF", "action": "READ_ONLY"}}
		}
		if _, ok := a["master"]; !ok {
			a["master"] = map[string]any{"type": "PROFILE_MASTER"}
		}
		s.schema.custom[name] = a
	}
	s.schema.lastUpdated = time.Now().UTC()
	doc := s.schemaJSONLocked(rc.base)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) userTypeJSON(base string) map[string]any {
	return map[string]any{
		"id": userTypeID, "name": "user", "displayName": "User", "description": "Okta user profile template with default permission settings",
		"default": true, "created": fmtTime(s.orgCreated), "lastUpdated": fmtTime(s.orgCreated),
		"createdBy": s.adminID, "lastUpdatedBy": s.adminID,
		"_links": map[string]any{
			"self":   map[string]any{"href": base + "/api/v1/meta/types/user/" + userTypeID, "method": "GET", "rel": "self"},
			"schema": map[string]any{"href": base + "/api/v1/meta/schemas/user/" + userSchemaID, "method": "GET", "rel": "schema"},
		},
	}
}

// GET /api/v1/meta/types/user: the default type and the custom ones (usertypes.go)
func (s *Server) listUserTypes(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []map[string]any{s.userTypeJSON(rc.base)}
	for _, t := range s.userTypes {
		out = append(out, t.render(rc.base))
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /api/v1/meta/types/user/{typeId}
func (s *Server) getUserType(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.userTypeLocked(segs[3]); t != nil {
		writeJSON(w, http.StatusOK, t.render(rc.base))
		return
	}
	if segs[3] != "default" && segs[3] != userTypeID {
		notFound(w, segs[3], "UserType")
		return
	}
	writeJSON(w, http.StatusOK, s.userTypeJSON(rc.base))
}

// matchMeta routes /api/v1/meta/... (segs start with "meta").
func matchMeta(method string, segs []string) (route, bool) {
	switch {
	case len(segs) == 4 && segs[1] == "schemas" && segs[2] == "user":
		switch method {
		case http.MethodGet:
			return read(BucketOther, "okta.schemas.read", (*Server).getUserSchema), true
		case http.MethodPost:
			return read(BucketOther, "okta.schemas.manage", (*Server).updateUserSchema), true
		}
		return route{bucket: BucketOther, methodNotAllowed: true}, true
	case len(segs) == 3 && segs[1] == "types" && segs[2] == "user":
		if method == http.MethodGet {
			return read(BucketOther, "okta.userTypes.read", (*Server).listUserTypes), true
		}
		return route{bucket: BucketOther, methodNotAllowed: true}, true
	case len(segs) == 4 && segs[1] == "types" && segs[2] == "user":
		if method == http.MethodGet {
			return read(BucketOther, "okta.userTypes.read", (*Server).getUserType), true
		}
		return route{bucket: BucketOther, methodNotAllowed: true}, true
	}
	return route{}, false
}

// setSeedSchema installs a seed's custom attributes (under s.mu).
func (s *Server) setSeedSchemaLocked(custom map[string]map[string]any) error {
	if s.schema.custom == nil {
		s.schema.custom = map[string]map[string]any{}
	}
	for name, a := range custom {
		if !attrName.MatchString(name) || isBaseAttr(name) {
			return fmt.Errorf("sandbox: seed: userSchema: %q cannot be a custom attribute", name)
		}
		if t, _ := a["type"].(string); !slices.Contains(attrTypes, t) {
			return fmt.Errorf("sandbox: seed: userSchema: %q: type must be one of %s", name, strings.Join(attrTypes, ", "))
		}
		s.schema.custom[name] = a
	}
	return nil
}

// customTypeCausesLocked checks profile values of custom attributes against
// their schema types (null always passes: it clears the attribute).
func (s *Server) customTypeCausesLocked(p map[string]any) []string {
	var causes []string
	for _, name := range slices.Sorted(maps.Keys(p)) {
		a := s.schema.custom[name]
		v := p[name]
		if a == nil || v == nil {
			continue
		}
		t, _ := a["type"].(string)
		if !valueOfType(v, t, a) {
			causes = append(causes, fmt.Sprintf("%s: Does not match required type %s", name, t))
			continue
		}
		if enum, ok := a["enum"].([]any); ok && len(enum) > 0 && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
			causes = append(causes, fmt.Sprintf("%s: Does not match required enum", name))
		}
	}
	return causes
}

func valueOfType(v any, t string, a map[string]any) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "array":
		l, ok := v.([]any)
		if !ok {
			return false
		}
		it, _ := a["items"].(map[string]any)
		et, _ := it["type"].(string)
		for _, e := range l {
			if !valueOfType(e, et, nil) {
				return false
			}
		}
		return true
	}
	return true
}
