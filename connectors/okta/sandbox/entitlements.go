package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Identity Governance entitlements, entitlement bundles and reviews that the
// developers' templates call (issue 10 point 8), after Okta's Governance API
// reference:
//
//	GET  /governance/api/v1/entitlements[?filter=parent.externalId eq "…" AND parent.type eq "APPLICATION"]  ({data, _links, metadata})
//	POST /governance/api/v1/entitlements                  createEntitlement (201; the parent app must exist)
//	GET  /governance/api/v1/entitlements/{id}             getEntitlement
//	GET  /governance/api/v1/entitlement-bundles[?filter=target.externalId eq "…"]
//	POST /governance/api/v1/entitlement-bundles           createEntitlementBundle (201; entitlements and values must exist)
//	GET  /governance/api/v1/entitlement-bundles/{id}      getEntitlementBundle
//	GET  /governance/api/v1/reviews                       listReviews (reviews.go)
//	GET  /governance/api/v1/reviews/{id}                  getReview (reviews.go)

type entState struct {
	ents    map[string]map[string]any // entitlement id -> entitlement
	entIDs  []string
	values  map[string]string // value id -> entitlement id
	bundles map[string]map[string]any
	bunIDs  []string
}

func (g *govState) entLocked() *entState {
	if g.ent == nil {
		g.ent = &entState{ents: map[string]map[string]any{}, values: map[string]string{}, bundles: map[string]map[string]any{}}
	}
	return g.ent
}

// matchEntitlements routes v1 entitlements, entitlement-bundles and reviews
// (segs after /governance/api/); ok is false for other paths.
func matchEntitlements(method string, segs []string) (route, bool) {
	if len(segs) < 2 || segs[0] != "v1" || len(segs) > 3 {
		return route{}, false
	}
	var list, create, get handlerFunc
	rd, mg := "okta.governance.entitlements.read", "okta.governance.entitlements.manage"
	switch segs[1] {
	case "entitlements":
		list, create, get = (*Server).listEntitlements, (*Server).createEntitlement, (*Server).getEntitlement
	case "entitlement-bundles":
		list, create, get = (*Server).listBundles, (*Server).createBundle, (*Server).getBundle
	case "reviews":
		list, get = (*Server).listReviews, (*Server).getReview
		rd = "okta.governance.accessCertifications.read"
	default:
		return route{}, false
	}
	rt := func(scope string, h handlerFunc) (route, bool) {
		return route{bucket: BucketOther, auth: true, scope: scope, h: h}, true
	}
	switch {
	case len(segs) == 2 && method == http.MethodGet:
		return rt(rd, list)
	case len(segs) == 2 && method == http.MethodPost && create != nil:
		return rt(mg, create)
	case len(segs) == 3 && method == http.MethodGet:
		return rt(rd, get)
	}
	return route{bucket: BucketOther, methodNotAllowed: true}, true
}

// appORN is an application's Okta resource name.
func (s *Server) appORN(a *app) string {
	return "orn:okta:idp:" + s.orgID + ":apps:" + a.Name + ":" + a.ID
}

// parentApp checks a target-resource object ({externalId, type:
// APPLICATION}) naming one of the org's apps.
func (c *govCheck) parentApp(m map[string]any, key string) *app {
	p := c.obj(m, key, true)
	if p == nil {
		return nil
	}
	c.enum(p, "type", key+".type", true, "APPLICATION")
	id := c.str(p, "externalId", key+".externalId", true, 1, 0)
	if id == "" {
		return nil
	}
	a := c.s.apps[id]
	if a == nil {
		c.fail("%s.externalId: no application %s in the org", key, id)
	}
	return a
}

func (s *Server) createEntitlement(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &govCheck{s: s}
	c.str(b, "name", "name", true, 1, 255)
	c.str(b, "externalValue", "externalValue", true, 1, 255)
	c.str(b, "description", "description", false, 0, 1000)
	if mv, ok := b["multiValue"].(bool); !ok {
		c.fail("multiValue: must be true or false")
	} else if dt := c.enum(b, "dataType", "dataType", true, "string", "array"); dt != "" && mv != (dt == "array") {
		c.fail("dataType: %q does not match multiValue %v (a multi-value entitlement is an array)", dt, mv)
	}
	a := c.parentApp(b, "parent")
	vals := govList(b["values"])
	if _, ok := b["values"]; !ok {
		c.fail("values: The field cannot be left blank")
	}
	for i, v := range vals {
		vm, _ := v.(map[string]any)
		if vm == nil {
			c.fail("values[%d]: must be an object", i)
			continue
		}
		c.str(vm, "name", fmt.Sprintf("values[%d].name", i), true, 1, 255)
		c.str(vm, "externalValue", fmt.Sprintf("values[%d].externalValue", i), true, 1, 255)
	}
	if len(c.causes) > 0 {
		validationErr(w, c.causes...)
		return
	}
	es := s.govLocked().entLocked()
	for _, id := range es.entIDs { // an app's entitlement names its property once
		if e := es.ents[id]; e["parent"].(map[string]any)["externalId"] == a.ID && e["externalValue"] == b["externalValue"] {
			writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: externalValue",
				fmt.Sprintf("externalValue: the application already has the entitlement %q", b["externalValue"]))
			return
		}
	}
	now, actor := fmtGovTime(time.Now()), s.govActor(rc)
	id := s.ids.next("esp")
	e := map[string]any{"id": id, "name": b["name"], "externalValue": b["externalValue"], "multiValue": b["multiValue"], "required": false,
		"dataType": b["dataType"], "parent": map[string]any{"externalId": a.ID, "type": "APPLICATION"}, "parentResourceOrn": s.appORN(a),
		"created": now, "createdBy": actor, "lastUpdated": now, "lastUpdatedBy": actor}
	if d, ok := b["description"]; ok {
		e["description"] = d
	}
	values := []any{}
	for _, v := range vals {
		vm := v.(map[string]any)
		vid := s.ids.next("ent")
		val := map[string]any{"id": vid, "name": vm["name"], "externalValue": vm["externalValue"], "externalId": vm["externalValue"],
			"orn": "orn:okta:governance:" + s.orgID + ":entitlement-values:" + vid}
		if d, ok := vm["description"]; ok {
			val["description"] = d
		}
		values = append(values, val)
		es.values[vid] = id
	}
	e["values"] = values
	es.ents[id] = e
	es.entIDs = sortedInsert(es.entIDs, id)
	writeJSON(w, http.StatusCreated, s.renderEntitlement(rc.base, e, true))
}

func (s *Server) renderEntitlement(base string, e map[string]any, withValues bool) map[string]any {
	out := cloneJSON(e)
	self := base + "/governance/api/v1/entitlements/" + e["id"].(string)
	out["_links"] = map[string]any{"self": govLink(self), "values": govLink(self + "/values")}
	if !withValues {
		delete(out, "values")
	}
	return out
}

func (s *Server) getEntitlement(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.govLocked().entLocked().ents[segs[2]]
	if e == nil {
		notFound(w, segs[2], "Entitlement")
		return
	}
	writeJSON(w, http.StatusOK, s.renderEntitlement(rc.base, e, true))
}

// govClause is one `field eq "value"` of a governance SCIM filter.
var govClause = regexp.MustCompile(`^\s*([A-Za-z.]+)\s+eq\s+"([^"]*)"\s*$`)

// govFilter parses `a eq "x" AND b eq "y"` over the allowed fields; nil
// clauses and an error for anything else.
func govFilter(f string, fields ...string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(f) == "" {
		return out, nil
	}
	for _, part := range regexp.MustCompile(`(?i)\s+and\s+`).Split(f, -1) {
		m := govClause.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("unsupported filter %q", part)
		}
		ok := false
		for _, f := range fields {
			ok = ok || f == m[1]
		}
		if !ok {
			return nil, fmt.Errorf("unsupported filter field %q", m[1])
		}
		out[m[1]] = m[2]
	}
	return out, nil
}

func (s *Server) listEntitlements(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 20, 200)
	if !ok {
		return
	}
	f, err := govFilter(q.Get("filter"), "parent.externalId", "parent.type", "name", "externalValue")
	if err != nil {
		validationErr(w, "filter: "+err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	es := s.govLocked().entLocked()
	ids, next := paginate(es.entIDs, q.Get("after"), limit, func(id string) bool {
		e := es.ents[id]
		p := e["parent"].(map[string]any)
		vals := map[string]any{"parent.externalId": p["externalId"], "parent.type": p["type"], "name": e["name"], "externalValue": e["externalValue"]}
		for k, v := range f {
			if vals[k] != v {
				return false
			}
		}
		return true
	})
	data := []any{}
	for _, id := range ids {
		data = append(data, s.renderEntitlement(rc.base, es.ents[id], false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "metadata": map[string]any{"total": len(data)}, "_links": govListLinks(rc, r, next, limit)})
}

func govListLinks(rc *reqCtx, r *http.Request, next string, limit int) map[string]any {
	links := map[string]any{"self": govLink(rc.base + r.URL.RequestURI())}
	if next != "" {
		q := r.URL.Query()
		q.Set("after", next)
		q.Set("limit", fmt.Sprint(limit))
		links["next"] = govLink(rc.base + r.URL.Path + "?" + q.Encode())
	}
	return links
}

func (s *Server) createBundle(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &govCheck{s: s}
	c.str(b, "name", "name", true, 1, 255)
	c.str(b, "description", "description", false, 0, 1000)
	a := c.parentApp(b, "target")
	es := s.govLocked().entLocked()
	if _, ok := b["entitlements"]; !ok {
		c.fail("entitlements: The field cannot be left blank")
	}
	for i, en := range govList(b["entitlements"]) {
		em, _ := en.(map[string]any)
		id, _ := em["id"].(string)
		e := es.ents[id]
		switch {
		case e == nil:
			c.fail("entitlements[%d].id: no entitlement %s in the org", i, id)
			continue
		case a != nil && e["parent"].(map[string]any)["externalId"] != a.ID:
			c.fail("entitlements[%d].id: entitlement %s belongs to another application", i, id)
		}
		for j, v := range govList(em["values"]) {
			vm, _ := v.(map[string]any)
			vid, _ := vm["id"].(string)
			if es.values[vid] != id {
				c.fail("entitlements[%d].values[%d].id: no value %s of entitlement %s", i, j, vid, id)
			}
		}
	}
	if len(c.causes) > 0 {
		validationErr(w, c.causes...)
		return
	}
	now, actor := fmtGovTime(time.Now()), s.govActor(rc)
	id := s.ids.next("enb")
	bn := map[string]any{"id": id, "name": b["name"], "status": "ACTIVE", "target": map[string]any{"externalId": a.ID, "type": "APPLICATION"},
		"targetResourceOrn": s.appORN(a), "orn": "orn:okta:governance:" + s.orgID + ":entitlement-bundles:" + id, "entitlements": b["entitlements"],
		"created": now, "createdBy": actor, "lastUpdated": now, "lastUpdatedBy": actor}
	if d, ok := b["description"]; ok {
		bn["description"] = d
	}
	es.bundles[id] = bn
	es.bunIDs = sortedInsert(es.bunIDs, id)
	writeJSON(w, http.StatusCreated, s.renderBundle(rc.base, bn))
}

func (s *Server) renderBundle(base string, bn map[string]any) map[string]any {
	out := cloneJSON(bn)
	out["_links"] = map[string]any{"self": govLink(base + "/governance/api/v1/entitlement-bundles/" + bn["id"].(string))}
	return out
}

func (s *Server) getBundle(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bn := s.govLocked().entLocked().bundles[segs[2]]
	if bn == nil {
		notFound(w, segs[2], "EntitlementBundle")
		return
	}
	writeJSON(w, http.StatusOK, s.renderBundle(rc.base, bn))
}

func (s *Server) listBundles(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 20, 200)
	if !ok {
		return
	}
	f, err := govFilter(q.Get("filter"), "target.externalId", "target.type", "name")
	if err != nil {
		validationErr(w, "filter: "+err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	es := s.govLocked().entLocked()
	ids, next := paginate(es.bunIDs, q.Get("after"), limit, func(id string) bool {
		bn := es.bundles[id]
		t := bn["target"].(map[string]any)
		vals := map[string]any{"target.externalId": t["externalId"], "target.type": t["type"], "name": bn["name"]}
		for k, v := range f {
			if vals[k] != v {
				return false
			}
		}
		return true
	})
	data := []any{}
	for _, id := range ids {
		data = append(data, s.renderBundle(rc.base, es.bundles[id]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "metadata": map[string]any{"total": len(data)}, "_links": govListLinks(rc, r, next, limit)})
}
