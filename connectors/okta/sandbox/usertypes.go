package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Custom user types (issue 10 point 8), next to the default one
// (schemas.go):
//
//	POST   /api/v1/meta/types/user            createUserType (200; name unique and immutable)
//	POST   /api/v1/meta/types/user/{typeId}   updateUserType (partial: displayName, description)
//	PUT    /api/v1/meta/types/user/{typeId}   replaceUserType (name must stay)
//	DELETE /api/v1/meta/types/user/{typeId}   deleteUserType (204; not the default type)
//
// A custom type's schema link names the org's user schema: the sandbox
// keeps one set of custom attributes for every type.

type userTypeRec struct {
	ID, Name, DisplayName, Description, By string
	Created, LastUpdated                   time.Time
}

func matchUserTypes(method string, segs []string) (route, bool) {
	if len(segs) < 3 || segs[1] != "types" || segs[2] != "user" {
		return route{}, false
	}
	const mg = "okta.userTypes.manage"
	switch {
	case len(segs) == 3 && method == http.MethodPost:
		return read(BucketOther, mg, (*Server).createUserType), true
	case len(segs) == 4 && (method == http.MethodPost || method == http.MethodPut):
		return read(BucketOther, mg, (*Server).writeUserType), true
	case len(segs) == 4 && method == http.MethodDelete:
		return read(BucketOther, mg, (*Server).deleteUserType), true
	}
	return route{}, false // GET: schemas.go
}

func (t *userTypeRec) render(base string) map[string]any {
	return map[string]any{"id": t.ID, "name": t.Name, "displayName": t.DisplayName, "description": t.Description, "default": false,
		"created": fmtTime(t.Created), "lastUpdated": fmtTime(t.LastUpdated), "createdBy": t.By, "lastUpdatedBy": t.By,
		"_links": map[string]any{
			"self":   map[string]any{"href": base + "/api/v1/meta/types/user/" + t.ID, "method": "GET", "rel": "self"},
			"schema": map[string]any{"href": base + "/api/v1/meta/schemas/user/" + userSchemaID, "method": "GET", "rel": "schema"},
		}}
}

func (s *Server) userTypeLocked(id string) *userTypeRec {
	for _, t := range s.userTypes {
		if t.ID == id {
			return t
		}
	}
	return nil
}

type userTypeBody struct {
	Name        *string `json:"name"`
	DisplayName *string `json:"displayName"`
	Description *string `json:"description"`
}

func (s *Server) createUserType(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var in userTypeBody
	if !readJSON(w, r, &in) {
		return
	}
	var causes []string
	if in.Name == nil || !attrName.MatchString(*in.Name) {
		causes = append(causes, "name: must start with a letter and hold letters, digits and underscores")
	}
	if in.DisplayName == nil || strings.TrimSpace(*in.DisplayName) == "" {
		causes = append(causes, "displayName: The field cannot be left blank")
	}
	if len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if *in.Name == "user" || slices.ContainsFunc(s.userTypes, func(t *userTypeRec) bool { return t.Name == *in.Name }) {
		validationErr(w, "name: A user type with this name already exists")
		return
	}
	now := time.Now().UTC()
	t := &userTypeRec{ID: s.ids.next("oty"), Name: *in.Name, DisplayName: *in.DisplayName, Created: now, LastUpdated: now, By: s.govActor(rc)}
	if in.Description != nil {
		t.Description = *in.Description
	}
	s.userTypes = append(s.userTypes, t)
	writeJSON(w, http.StatusOK, t.render(rc.base))
}

// writeUserType is updateUserType (POST, partial) and replaceUserType (PUT).
func (s *Server) writeUserType(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in userTypeBody
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.userTypeLocked(segs[3])
	if t == nil {
		if segs[3] == userTypeID || segs[3] == "default" {
			validationErr(w, "id: The default user type cannot be changed in the sandbox")
			return
		}
		notFound(w, segs[3], "UserType")
		return
	}
	if in.Name != nil && *in.Name != t.Name {
		validationErr(w, "name: A user type's name cannot be changed")
		return
	}
	if r.Method == http.MethodPut { // a replacement names all three
		var causes []string
		if in.Name == nil {
			causes = append(causes, "name: The field cannot be left blank")
		}
		if in.DisplayName == nil || strings.TrimSpace(*in.DisplayName) == "" {
			causes = append(causes, "displayName: The field cannot be left blank")
		}
		if in.Description == nil {
			causes = append(causes, "description: The field cannot be left blank")
		}
		if len(causes) > 0 {
			validationErr(w, causes...)
			return
		}
	}
	if in.DisplayName != nil {
		t.DisplayName = *in.DisplayName
	}
	if in.Description != nil {
		t.Description = *in.Description
	}
	t.LastUpdated, t.By = time.Now().UTC(), s.govActor(rc)
	writeJSON(w, http.StatusOK, t.render(rc.base))
}

func (s *Server) deleteUserType(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if segs[3] == userTypeID || segs[3] == "default" {
		validationErr(w, "id: The default user type cannot be deleted")
		return
	}
	if s.userTypeLocked(segs[3]) == nil {
		notFound(w, segs[3], "UserType")
		return
	}
	s.userTypes = slices.DeleteFunc(s.userTypes, func(t *userTypeRec) bool { return t.ID == segs[3] })
	w.WriteHeader(http.StatusNoContent)
}
