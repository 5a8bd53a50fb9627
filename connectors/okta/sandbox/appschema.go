package sandbox

import (
	"encoding/json"
	"net/http"
	"time"
)

// App user schemas (issue 10 point 8, schema cards): each application's
// app user profile, with Okta's base userName and the app's custom
// attributes, changed by partial updates like the group schema's:
//
//	GET  /api/v1/meta/schemas/apps/{appId}/default   getApplicationUserSchema
//	POST /api/v1/meta/schemas/apps/{appId}/default   updateApplicationUserProfile

// matchAppSchema routes /meta/schemas/apps/{appId}/default; ok is false for other paths.
func matchAppSchema(method string, segs []string) (route, bool) {
	if len(segs) != 5 || segs[1] != "schemas" || segs[2] != "apps" || segs[4] != "default" {
		return route{}, false
	}
	switch method {
	case http.MethodGet:
		return read(BucketOther, "okta.schemas.read", (*Server).getAppSchema), true
	case http.MethodPost:
		return read(BucketOther, "okta.schemas.manage", (*Server).updateAppSchema), true
	}
	return route{bucket: BucketOther, methodNotAllowed: true}, true
}

func (s *Server) appSchemaJSONLocked(base string, a *app) map[string]any {
	sch := s.appSchemas[a.ID]
	custom := map[string]any{}
	updated := a.Created
	if sch != nil {
		for name, attr := range sch.custom {
			custom[name] = attr
		}
		if !sch.lastUpdated.IsZero() {
			updated = sch.lastUpdated
		}
	}
	self := base + "/api/v1/meta/schemas/apps/" + a.ID + "/default"
	return map[string]any{
		"id": base + "/meta/schemas/apps/" + a.ID + "/default", "$schema": "http://json-schema.org/draft-04/schema#",
		"name": a.Name, "title": a.Label, "description": a.Label + " app user profile", "type": "object",
		"created": fmtTime(a.Created), "lastUpdated": fmtTime(updated),
		"definitions": map[string]any{
			"custom": map[string]any{"id": "#custom", "type": "object", "properties": custom, "required": []string{}},
			"base": map[string]any{"id": "#base", "type": "object", "required": []string{"userName"}, "properties": map[string]any{
				"userName": map[string]any{"title": "Username", "type": "string", "required": true, "scope": "NONE", "maxLength": 100,
					"master": map[string]any{"type": "PROFILE_MASTER"}}}},
		},
		"properties": map[string]any{"profile": map[string]any{"allOf": []map[string]any{{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}}}},
		"_links":     map[string]any{"self": map[string]any{"href": self, "method": "GET", "rel": "self"}},
	}
}

func (s *Server) getAppSchema(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a := s.appOr404(w, segs[3]); a != nil {
		writeJSON(w, http.StatusOK, s.appSchemaJSONLocked(rc.base, a))
	}
}

func (s *Server) updateAppSchema(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
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
	changes, causes := customChanges(props, func(name string) bool { return name == "userName" })
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[3])
	if a == nil {
		return
	}
	if len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	if s.appSchemas == nil {
		s.appSchemas = map[string]*userSchema{}
	}
	sch := s.appSchemas[a.ID]
	if sch == nil {
		sch = &userSchema{}
		s.appSchemas[a.ID] = sch
	}
	sch.custom = applyCustom(sch.custom, changes)
	sch.lastUpdated = time.Now().UTC()
	writeJSON(w, http.StatusOK, s.appSchemaJSONLocked(rc.base, a))
}
