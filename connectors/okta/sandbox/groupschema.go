package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The group profile schema (issue 10 point 8, schema cards): Okta's base
// group attributes (name, description) and the org's custom ones, changed
// by partial updates like the user schema's:
//
//	GET  /api/v1/meta/schemas/group/default   getGroupSchema
//	POST /api/v1/meta/schemas/group/default   updateGroupSchema (definitions.custom.properties: an object adds or changes, null removes)

const groupSchemaID = "osc1sandboxgroup0000"

var groupBaseAttrs = []baseAttr{{"name", "Name", true, 1, 255}, {"description", "Description", false, 0, 1024}}

// matchGroupSchema routes /meta/schemas/group/default; ok is false for other paths.
func matchGroupSchema(method string, segs []string) (route, bool) {
	if len(segs) != 4 || segs[1] != "schemas" || segs[2] != "group" {
		return route{}, false
	}
	switch method {
	case http.MethodGet:
		return read(BucketOther, "okta.schemas.read", (*Server).getGroupSchema), true
	case http.MethodPost:
		return read(BucketOther, "okta.schemas.manage", (*Server).updateGroupSchema), true
	}
	return route{bucket: BucketOther, methodNotAllowed: true}, true
}

func (s *Server) groupSchemaJSONLocked(base string) map[string]any {
	baseProps := map[string]any{}
	for _, b := range groupBaseAttrs {
		a := map[string]any{"title": b.title, "type": "string", "permissions": []map[string]any{{"principal": "SELF", "action": "READ_ONLY"}}}
		if b.required {
			a["required"] = true
		}
		if b.min > 0 {
			a["minLength"] = b.min
		}
		a["maxLength"] = b.max
		baseProps[b.name] = a
	}
	custom := map[string]any{}
	for name, a := range s.groupSchema.custom {
		custom[name] = a
	}
	updated := s.groupSchema.lastUpdated
	if updated.IsZero() {
		updated = s.orgCreated
	}
	return map[string]any{
		"id": base + "/meta/schemas/group/default", "$schema": "http://json-schema.org/draft-04/schema#",
		"name": "group", "title": "Okta group", "description": "Okta group profile template",
		"created": fmtTime(s.orgCreated), "lastUpdated": fmtTime(updated), "type": "object",
		"definitions": map[string]any{
			"custom": map[string]any{"id": "#custom", "type": "object", "properties": custom, "required": []string{}},
			"base":   map[string]any{"id": "#base", "type": "object", "properties": baseProps, "required": []string{"name"}},
		},
		"properties": map[string]any{"profile": map[string]any{"allOf": []map[string]any{{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}}}},
		"_links":     map[string]any{"self": map[string]any{"href": base + "/api/v1/meta/schemas/group/default", "method": "GET", "rel": "self"}},
	}
}

func (s *Server) getGroupSchema(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	if segs[3] != "default" && segs[3] != groupSchemaID {
		notFound(w, segs[3], "GroupSchema")
		return
	}
	s.mu.RLock()
	doc := s.groupSchemaJSONLocked(rc.base)
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) updateGroupSchema(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	if segs[3] != "default" && segs[3] != groupSchemaID {
		notFound(w, segs[3], "GroupSchema")
		return
	}
	var in struct {
		Definitions *struct {
			Custom *struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"custom"`
		} `json:"definitions"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	var props map[string]json.RawMessage
	if in.Definitions != nil && in.Definitions.Custom != nil {
		props = in.Definitions.Custom.Properties
	}
	changes, causes := customChanges(props, func(name string) bool {
		return slices.ContainsFunc(groupBaseAttrs, func(b baseAttr) bool { return b.name == name })
	})
	if len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groupSchema.custom = applyCustom(s.groupSchema.custom, changes)
	s.groupSchema.lastUpdated = time.Now().UTC()
	writeJSON(w, http.StatusOK, s.groupSchemaJSONLocked(rc.base))
}

// customChanges reads a partial update of a profile schema's custom
// attributes (an object adds or changes one, null removes it); isBase says
// which names belong to the base schema.
func customChanges(props map[string]json.RawMessage, isBase func(string) bool) (map[string]map[string]any, []string) {
	var causes []string
	changes := map[string]map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		raw := props[name]
		if string(raw) == "null" {
			changes[name] = nil
			continue
		}
		var a map[string]any
		if err := json.Unmarshal(raw, &a); err != nil {
			causes = append(causes, name+": The property definition must be an object")
			continue
		}
		if !attrName.MatchString(name) {
			causes = append(causes, name+": Variable name must start with a letter and contain only letters, digits and underscores")
		}
		if isBase(name) {
			causes = append(causes, name+": An object with this field already exists in the base schema")
		}
		if t, _ := a["type"].(string); !slices.Contains(attrTypes, t) {
			causes = append(causes, fmt.Sprintf("%s: type must be one of %s", name, strings.Join(attrTypes, ", ")))
		}
		if t, _ := a["title"].(string); strings.TrimSpace(t) == "" {
			causes = append(causes, name+": title: The field cannot be left blank")
		}
		changes[name] = a
	}
	return changes, causes
}

// applyCustom applies customChanges to a schema's custom attributes.
func applyCustom(custom map[string]map[string]any, changes map[string]map[string]any) map[string]map[string]any {
	if custom == nil {
		custom = map[string]map[string]any{}
	}
	for name, a := range changes {
		if a == nil {
			delete(custom, name)
			continue
		}
		if _, ok := a["permissions"]; !ok {
			a["permissions"] = []map[string]any{{"principal": "SELF", "action": "READ_ONLY"}}
		}
		if _, ok := a["master"]; !ok {
			a["master"] = map[string]any{"type": "PROFILE_MASTER"}
		}
		custom[name] = a
	}
	return custom
}
