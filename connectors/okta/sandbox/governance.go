package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Okta Identity Governance endpoints the developers' templates call through
// Custom API Action (issue 10 point 8), following Okta's Governance API
// reference (campaigns, request conditions v2):
//
//	GET    /governance/api/v1/campaigns                         listCampaigns ({data, _links})
//	POST   /governance/api/v1/campaigns                         createCampaign (201, status SCHEDULED)
//	GET    /governance/api/v1/campaigns/{id}                    getCampaign
//	DELETE /governance/api/v1/campaigns/{id}                    deleteCampaign (204; SCHEDULED or ERROR only, else 409)
//	POST   /governance/api/v1/campaigns/{id}/launch             launchCampaign (202; SCHEDULED → ACTIVE, else 409; assigns its reviews, reviews.go)
//	POST   /governance/api/v1/campaigns/{id}/end                endCampaign (202; ACTIVE → COMPLETED, else 409)
//	GET    /governance/api/v2/resources/{rid}/request-conditions           list ({data, _links})
//	POST   /governance/api/v2/resources/{rid}/request-conditions           create (201, status INACTIVE)
//	GET    /governance/api/v2/resources/{rid}/request-conditions/{id}      get
//	PATCH  /governance/api/v2/resources/{rid}/request-conditions/{id}      update (200)
//	DELETE /governance/api/v2/resources/{rid}/request-conditions/{id}      delete (204)
//	POST   /governance/api/v2/resources/{rid}/request-conditions/{id}/activate|deactivate (200)
//
// Request bodies are checked like the reference's schemas (required fields,
// enumerations, lengths) and the users, groups and apps they name must exist
// in the tenant; errors come in Okta's error shape (E0000001 400, E0000007
// 404, E0000195 409).
// The tests validate every exchange against Okta's Governance OpenAPI
// description of these operations (testdata/governance-openapi.yaml,
// govspec_test.go).

type govState struct {
	campaigns  map[string]map[string]any
	campIDs    []string
	conditions map[string]map[string]any // by condition id
	condRes    map[string]string         // condition id -> resource id
	condIDs    []string
	ent        *entState    // entitlements, bundles (entitlements.go)
	rev        *reviewState // access certification reviews (reviews.go)
}

func (s *Server) govLocked() *govState {
	if s.gov == nil {
		s.gov = &govState{campaigns: map[string]map[string]any{}, conditions: map[string]map[string]any{}, condRes: map[string]string{}}
	}
	return s.gov
}

const (
	govCertManage = "okta.governance.accessCertifications.manage"
	govCertRead   = "okta.governance.accessCertifications.read"
	govReqManage  = "okta.governance.accessRequests.manage"
	govReqRead    = "okta.governance.accessRequests.read"
)

// matchGovernance routes a path under /governance/api/; segs are its parts.
func matchGovernance(method string, segs []string) route {
	rt := func(scope string, h handlerFunc) route { return read(BucketOther, scope, h) }
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	if rt, ok := matchEntitlements(method, segs); ok {
		return rt
	}
	switch {
	case len(segs) >= 2 && segs[0] == "v1" && segs[1] == "campaigns":
		switch len(segs) {
		case 2:
			switch method {
			case http.MethodGet:
				return rt(govCertRead, (*Server).listCampaigns)
			case http.MethodPost:
				return rt(govCertManage, (*Server).createCampaign)
			}
			return nm
		case 3:
			switch method {
			case http.MethodGet:
				return rt(govCertRead, (*Server).getCampaign)
			case http.MethodDelete:
				return rt(govCertManage, (*Server).deleteCampaign)
			}
			return nm
		case 4:
			if segs[3] == "launch" || segs[3] == "end" {
				if method == http.MethodPost {
					return rt(govCertManage, (*Server).campaignTransition)
				}
				return nm
			}
		}
	case len(segs) >= 4 && segs[0] == "v2" && segs[1] == "resources" && segs[3] == "request-conditions":
		switch len(segs) {
		case 4:
			switch method {
			case http.MethodGet:
				return rt(govReqRead, (*Server).listConditions)
			case http.MethodPost:
				return rt(govReqManage, (*Server).createCondition)
			}
			return nm
		case 5:
			switch method {
			case http.MethodGet:
				return rt(govReqRead, (*Server).getCondition)
			case http.MethodPatch:
				return rt(govReqManage, (*Server).patchCondition)
			case http.MethodDelete:
				return rt(govReqManage, (*Server).deleteCondition)
			}
			return nm
		case 6:
			if segs[5] == "activate" || segs[5] == "deactivate" {
				if method == http.MethodPost {
					return rt(govReqManage, (*Server).conditionLifecycle)
				}
				return nm
			}
		}
	}
	return route{bucket: BucketOther}
}

// --- checks shared by the bodies ---

type govCheck struct {
	s      *Server
	causes []string
}

func (c *govCheck) fail(format string, args ...any) {
	c.causes = append(c.causes, fmt.Sprintf(format, args...))
}

func (c *govCheck) obj(m map[string]any, key string, required bool) map[string]any {
	v, ok := m[key]
	if !ok || v == nil {
		if required {
			c.fail("%s: The field cannot be left blank", key)
		}
		return nil
	}
	o, isObj := v.(map[string]any)
	if !isObj {
		c.fail("%s: must be an object", key)
	}
	return o
}

func (c *govCheck) str(m map[string]any, key, path string, required bool, min, max int) string {
	v, ok := m[key]
	if !ok || v == nil {
		if required {
			c.fail("%s: The field cannot be left blank", path)
		}
		return ""
	}
	t, isStr := v.(string)
	switch {
	case !isStr:
		c.fail("%s: must be a string", path)
	case len(t) < min:
		c.fail("%s: The field cannot be left blank", path)
	case max > 0 && len(t) > max:
		c.fail("%s: must be at most %d characters", path, max)
	}
	return t
}

func (c *govCheck) enum(m map[string]any, key, path string, required bool, values ...string) string {
	t := c.str(m, key, path, required, 0, 0)
	if t == "" {
		if _, present := m[key]; present && required {
			c.fail("%s: must be one of %s", path, strings.Join(values, ", "))
		}
		return ""
	}
	for _, v := range values {
		if t == v {
			return t
		}
	}
	c.fail("%s: %q is not one of %s", path, t, strings.Join(values, ", "))
	return ""
}

func (c *govCheck) user(id, path string) {
	if id != "" && c.s.users[id] == nil {
		c.fail("%s: no user %s in the org", path, id)
	}
}

func (c *govCheck) group(id, path string) {
	if id != "" && c.s.groups[id] == nil {
		c.fail("%s: no group %s in the org", path, id)
	}
}

func govList(v any) []any {
	l, _ := v.([]any)
	return l
}

func (s *Server) govActor(rc *reqCtx) string {
	if rc.p != nil && rc.p.userID != "" {
		return rc.p.userID
	}
	return s.adminID
}

func govLink(href string) map[string]any { return map[string]any{"href": href} }

func fmtGovTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// --- campaigns ---

func (s *Server) checkCampaignLocked(b map[string]any) []string {
	c := &govCheck{s: s}
	c.str(b, "name", "name", true, 1, 255)
	c.str(b, "description", "description", false, 0, 1000)
	c.enum(b, "campaignType", "campaignType", false, "RESOURCE", "USER")
	if sch := c.obj(b, "scheduleSettings", true); sch != nil {
		c.enum(sch, "type", "scheduleSettings.type", true, "ONE_OFF", "RECURRING")
		if d := c.str(sch, "startDate", "scheduleSettings.startDate", true, 1, 0); d != "" {
			if _, err := time.Parse(time.RFC3339, d); err != nil {
				c.fail("scheduleSettings.startDate: %q is not an ISO 8601 date-time", d)
			}
		}
		if n, ok := sch["durationInDays"].(float64); !ok || n < 0 {
			c.fail("scheduleSettings.durationInDays: must be a number of days, 0 or more")
		}
		c.str(sch, "timeZone", "scheduleSettings.timeZone", true, 1, 64)
		if sch["type"] == "RECURRING" && c.obj(sch, "recurrence", true) == nil {
			c.fail("scheduleSettings.recurrence: a RECURRING campaign needs its recurrence")
		}
	}
	if rs := c.obj(b, "resourceSettings", true); rs != nil {
		c.enum(rs, "type", "resourceSettings.type", true, "GROUP", "APPLICATION", "APPLICATION_AND_GROUP", "OKTA_SERVICE_ACCOUNT", "APP_SERVICE_ACCOUNT")
		for i, t := range govList(rs["targetResources"]) {
			tr, _ := t.(map[string]any)
			if tr == nil {
				c.fail("resourceSettings.targetResources[%d]: must be an object", i)
				continue
			}
			id := c.str(tr, "resourceId", fmt.Sprintf("resourceSettings.targetResources[%d].resourceId", i), false, 1, 0)
			typ := c.enum(tr, "resourceType", fmt.Sprintf("resourceSettings.targetResources[%d].resourceType", i), false,
				"GROUP", "APPLICATION", "GOVERNANCE_LABEL_VALUE", "APP_SERVICE_ACCOUNT", "OKTA_SERVICE_ACCOUNT")
			if typ == "" && id != "" { // the type is optional: the id says which kind of record it is
				if s.groups[id] != nil || strings.HasPrefix(id, "00g") {
					typ = "GROUP"
				} else {
					typ = "APPLICATION"
				}
			}
			switch {
			case typ == "APPLICATION" && id != "" && s.apps[id] == nil:
				c.fail("resourceSettings.targetResources[%d].resourceId: no application %s in the org", i, id)
			case typ == "GROUP":
				c.group(id, fmt.Sprintf("resourceSettings.targetResources[%d].resourceId", i))
			}
		}
	}
	if ps := c.obj(b, "principalScopeSettings", false); ps != nil {
		c.enum(ps, "type", "principalScopeSettings.type", true, "USERS")
		for i, u := range govList(ps["userIds"]) {
			id, _ := u.(string)
			c.user(id, fmt.Sprintf("principalScopeSettings.userIds[%d]", i))
		}
		for i, g := range govList(ps["groupIds"]) {
			id, _ := g.(string)
			c.group(id, fmt.Sprintf("principalScopeSettings.groupIds[%d]", i))
		}
		for i, u := range govList(ps["excludedUserIds"]) {
			id, _ := u.(string)
			c.user(id, fmt.Sprintf("principalScopeSettings.excludedUserIds[%d]", i))
		}
	}
	if rv := c.obj(b, "reviewerSettings", true); rv != nil {
		switch c.enum(rv, "type", "reviewerSettings.type", true, "USER", "REVIEWER_EXPRESSION", "GROUP", "RESOURCE_OWNER", "MULTI_LEVEL") {
		case "USER":
			c.user(c.str(rv, "reviewerId", "reviewerSettings.reviewerId", true, 1, 0), "reviewerSettings.reviewerId")
		case "GROUP":
			c.group(c.str(rv, "reviewerGroupId", "reviewerSettings.reviewerGroupId", true, 1, 0), "reviewerSettings.reviewerGroupId")
		case "REVIEWER_EXPRESSION":
			c.str(rv, "reviewerScopeExpression", "reviewerSettings.reviewerScopeExpression", true, 1, 0)
			c.user(c.str(rv, "fallBackReviewerId", "reviewerSettings.fallBackReviewerId", true, 1, 0), "reviewerSettings.fallBackReviewerId")
		case "RESOURCE_OWNER":
			c.user(c.str(rv, "fallBackReviewerId", "reviewerSettings.fallBackReviewerId", false, 0, 0), "reviewerSettings.fallBackReviewerId")
		case "MULTI_LEVEL":
			if len(govList(rv["reviewerLevels"])) == 0 {
				c.fail("reviewerSettings.reviewerLevels: a MULTI_LEVEL campaign needs its reviewer levels")
			}
		}
	}
	if rm := c.obj(b, "remediationSettings", true); rm != nil {
		c.enum(rm, "accessApproved", "remediationSettings.accessApproved", true, "NO_ACTION")
		c.enum(rm, "accessRevoked", "remediationSettings.accessRevoked", true, "NO_ACTION", "DENY")
		c.enum(rm, "noResponse", "remediationSettings.noResponse", true, "NO_ACTION", "DENY")
	}
	return c.causes
}

func campaignLinks(base, id string) map[string]any {
	self := base + "/governance/api/v1/campaigns/" + id
	return map[string]any{"self": govLink(self), "launchCampaign": govLink(self + "/launch"), "endCampaign": govLink(self + "/end"),
		"reviews": govLink(base + "/governance/api/v1/reviews?filter=" + strings.ReplaceAll(`campaignId eq "`+id+`"`, " ", "%20"))}
}

func (s *Server) renderCampaign(base string, cp map[string]any) map[string]any {
	out := cloneJSON(cp)
	out["_links"] = campaignLinks(base, cp["id"].(string))
	return out
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if causes := s.checkCampaignLocked(b); len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	g := s.govLocked()
	now := time.Now().UTC()
	cp := cloneJSON(b)
	delete(cp, "_links")
	if cp["campaignType"] == nil {
		cp["campaignType"] = "RESOURCE"
	}
	sch := cp["scheduleSettings"].(map[string]any)
	start, _ := time.Parse(time.RFC3339, sch["startDate"].(string))
	sch["endDate"] = fmtGovTime(start.Add(time.Duration(sch["durationInDays"].(float64)*24) * time.Hour))
	id := s.ids.next("ici")
	actor := s.govActor(rc)
	cp["id"], cp["status"], cp["recurringCampaignId"] = id, "SCHEDULED", nil
	cp["created"], cp["createdBy"], cp["lastUpdated"], cp["lastUpdatedBy"] = fmtGovTime(now), actor, fmtGovTime(now), actor
	g.campaigns[id] = cp
	g.campIDs = sortedInsert(g.campIDs, id)
	writeJSON(w, http.StatusCreated, s.renderCampaign(rc.base, cp))
}

func (s *Server) campaignOr404(w http.ResponseWriter, id string) map[string]any {
	cp := s.govLocked().campaigns[id]
	if cp == nil {
		notFound(w, id, "Campaign")
	}
	return cp
}

func (s *Server) getCampaign(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp := s.campaignOr404(w, segs[2]); cp != nil {
		writeJSON(w, http.StatusOK, s.renderCampaign(rc.base, cp))
	}
}

var govFilterEq = regexp.MustCompile(`^\s*(name|status|scheduleType|reviewerType|recurringCampaignId)\s+eq\s+"?([^"]*)"?\s*$`)

func (s *Server) listCampaigns(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 20, 200)
	if !ok {
		return
	}
	var clauses [][]string
	if f := strings.TrimSpace(q.Get("filter")); f != "" {
		for _, part := range regexp.MustCompile(`(?i)\s+or\s+`).Split(f, -1) {
			m := govFilterEq.FindStringSubmatch(part)
			if m == nil {
				validationErr(w, "filter: unsupported campaign filter "+part)
				return
			}
			clauses = append(clauses, m[1:])
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.govLocked()
	match := func(cp map[string]any) bool {
		if len(clauses) == 0 {
			return true
		}
		sch, _ := cp["scheduleSettings"].(map[string]any)
		rv, _ := cp["reviewerSettings"].(map[string]any)
		vals := map[string]any{"name": cp["name"], "status": cp["status"], "scheduleType": sch["type"], "reviewerType": rv["type"],
			"recurringCampaignId": cp["recurringCampaignId"]}
		for _, cl := range clauses {
			if fmt.Sprint(vals[cl[0]]) == cl[1] {
				return true
			}
		}
		return false
	}
	ids, next := paginate(g.campIDs, q.Get("after"), limit, func(id string) bool { return match(g.campaigns[id]) })
	data := make([]any, 0, len(ids))
	for _, id := range ids {
		cp := g.campaigns[id]
		sch, _ := cp["scheduleSettings"].(map[string]any)
		rv, _ := cp["reviewerSettings"].(map[string]any)
		data = append(data, map[string]any{"id": id, "name": cp["name"], "description": cp["description"], "status": cp["status"],
			"startDate": sch["startDate"], "endDate": sch["endDate"], "scheduleType": sch["type"], "reviewerType": rv["type"], "campaignType": cp["campaignType"], "recurringCampaignId": cp["recurringCampaignId"],
			"created": cp["created"], "createdBy": cp["createdBy"], "lastUpdated": cp["lastUpdated"], "lastUpdatedBy": cp["lastUpdatedBy"],
			"_links": campaignLinks(rc.base, id)})
	}
	links := map[string]any{"self": govLink(rc.base + r.URL.RequestURI())}
	if next != "" {
		links["next"] = govLink(rc.base + "/governance/api/v1/campaigns?after=" + next + fmt.Sprintf("&limit=%d", limit))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "_links": links})
}

func govConflict(w http.ResponseWriter, what, status string) {
	writeErr(w, http.StatusConflict, "E0000195", "The request conflicts with the current state of the resource.",
		fmt.Sprintf("Cannot %s a campaign whose status is %s.", what, status))
}

func (s *Server) deleteCampaign(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := s.campaignOr404(w, segs[2])
	if cp == nil {
		return
	}
	if st := cp["status"].(string); st != "SCHEDULED" && st != "ERROR" {
		govConflict(w, "delete", st)
		return
	}
	g := s.govLocked()
	delete(g.campaigns, segs[2])
	g.campIDs = sortedRemove(g.campIDs, segs[2])
	w.WriteHeader(http.StatusNoContent)
}

// campaignTransition launches (SCHEDULED → ACTIVE) or ends (ACTIVE →
// COMPLETED) a campaign.
func (s *Server) campaignTransition(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := s.campaignOr404(w, segs[2])
	if cp == nil {
		return
	}
	from, to := "SCHEDULED", "ACTIVE"
	if segs[3] == "end" {
		from, to = "ACTIVE", "COMPLETED"
	}
	if st := cp["status"].(string); st != from {
		govConflict(w, segs[3], st)
		return
	}
	cp["status"], cp["lastUpdated"], cp["lastUpdatedBy"] = to, fmtGovTime(time.Now()), s.govActor(rc)
	if to == "ACTIVE" {
		s.assignReviewsLocked(cp, s.govActor(rc), s.ids) // reviews.go
	}
	w.Header().Set("Location", rc.base+"/governance/api/v1/campaigns/"+segs[2])
	w.WriteHeader(http.StatusAccepted)
}

// --- request conditions (v2) ---

var (
	sequenceID  = regexp.MustCompile(`^[a-fA-F0-9]{24}$`)
	isoDuration = regexp.MustCompile(`^P(\d+D|\d+W|T\d+H)$`)
	ornSuffix   = regexp.MustCompile(`^orn:[a-z0-9]+:[a-z]+:[^:]+:(apps|groups):(?:[^:]+:)?([^:]+)$`)
)

// govResourceLocked resolves a resource id (Okta id or ORN) to an app or a
// group of the org; "" when there is none.
func (s *Server) govResourceLocked(rid string) string {
	id := rid
	if m := ornSuffix.FindStringSubmatch(rid); m != nil {
		id = m[2]
	}
	if s.apps[id] != nil || s.groups[id] != nil {
		return id
	}
	return ""
}

func (s *Server) checkConditionLocked(b map[string]any, create bool) []string {
	c := &govCheck{s: s}
	c.str(b, "name", "name", create, 1, 255)
	c.str(b, "description", "description", false, 0, 2000)
	if _, ok := b["approvalSequenceId"]; ok || create {
		if id := c.str(b, "approvalSequenceId", "approvalSequenceId", true, 1, 0); id != "" && !sequenceID.MatchString(id) {
			c.fail("approvalSequenceId: %q is not an approval sequence id (24 hexadecimal characters)", id)
		}
	}
	if p, ok := b["priority"]; ok {
		if n, isNum := p.(float64); !isNum || n < 0 || n != float64(int(n)) {
			c.fail("priority: must be a whole number, 0 or more")
		}
	}
	if rq := c.obj(b, "requesterSettings", create); rq != nil {
		switch c.enum(rq, "type", "requesterSettings.type", true, "EVERYONE", "GROUPS", "TEAMS") {
		case "GROUPS":
			gs := govList(rq["groups"])
			if len(gs) == 0 {
				c.fail("requesterSettings.groups: GROUPS requesters need at least one group")
			}
			for i, g := range gs {
				gm, _ := g.(map[string]any)
				id, _ := gm["id"].(string)
				if id == "" {
					c.fail("requesterSettings.groups[%d].id: The field cannot be left blank", i)
				}
				c.group(id, fmt.Sprintf("requesterSettings.groups[%d].id", i))
			}
		case "TEAMS":
			if len(govList(rq["teams"])) == 0 {
				c.fail("requesterSettings.teams: TEAMS requesters need at least one team")
			}
		}
	}
	if as := c.obj(b, "accessScopeSettings", create); as != nil {
		switch c.enum(as, "type", "accessScopeSettings.type", true, "RESOURCE_DEFAULT", "GROUPS", "ENTITLEMENT_BUNDLES") {
		case "GROUPS":
			gs := govList(as["groups"])
			if len(gs) == 0 {
				c.fail("accessScopeSettings.groups: GROUPS access needs at least one group")
			}
			for i, g := range gs {
				gm, _ := g.(map[string]any)
				id, _ := gm["id"].(string)
				c.group(id, fmt.Sprintf("accessScopeSettings.groups[%d].id", i))
			}
		case "ENTITLEMENT_BUNDLES":
			if len(govList(as["entitlementBundles"])) == 0 {
				c.fail("accessScopeSettings.entitlementBundles: ENTITLEMENT_BUNDLES access needs at least one bundle")
			}
		}
	}
	if ad := c.obj(b, "accessDurationSettings", false); ad != nil {
		switch c.enum(ad, "type", "accessDurationSettings.type", true, "ADMIN_FIXED_DURATION", "REQUESTER_SPECIFIED_DURATION") {
		case "ADMIN_FIXED_DURATION":
			if d := c.str(ad, "duration", "accessDurationSettings.duration", true, 1, 0); d != "" && !isoDuration.MatchString(d) {
				c.fail("accessDurationSettings.duration: %q is not an ISO 8601 duration in days, weeks or hours (P30D, P2W, PT72H)", d)
			}
		case "REQUESTER_SPECIFIED_DURATION":
			if d := c.str(ad, "maximumDuration", "accessDurationSettings.maximumDuration", true, 1, 0); d != "" && !isoDuration.MatchString(d) {
				c.fail("accessDurationSettings.maximumDuration: %q is not an ISO 8601 duration in days, weeks or hours (P30D, P2W, PT72H)", d)
			}
		}
	}
	return c.causes
}

func (s *Server) renderCondition(base string, rc map[string]any) map[string]any {
	out := cloneJSON(rc)
	out["_links"] = map[string]any{"self": govLink(base + "/governance/api/v2/request-conditions/" + rc["id"].(string))}
	return out
}

// conditionResourceLocked checks the path's resource and answers 404 when
// the org has no such app or group.
func (s *Server) conditionResourceLocked(w http.ResponseWriter, rid string) (string, bool) {
	id := s.govResourceLocked(rid)
	if id == "" {
		notFound(w, rid, "Resource")
		return "", false
	}
	return id, true
}

func (s *Server) listConditions(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.conditionResourceLocked(w, segs[2])
	if !ok {
		return
	}
	g := s.govLocked()
	data := []any{}
	for _, id := range g.condIDs {
		if g.condRes[id] == res {
			data = append(data, s.renderCondition(rc.base, g.conditions[id]))
		}
	}
	sort.SliceStable(data, func(i, j int) bool {
		return data[i].(map[string]any)["priority"].(float64) < data[j].(map[string]any)["priority"].(float64)
	})
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "_links": map[string]any{"self": govLink(rc.base + r.URL.RequestURI())}})
}

func (s *Server) createCondition(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.conditionResourceLocked(w, segs[2])
	if !ok {
		return
	}
	if causes := s.checkConditionLocked(b, true); len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	g := s.govLocked()
	n := 0.0
	for _, id := range g.condIDs {
		if g.condRes[id] == res {
			n++
		}
	}
	now, actor := fmtGovTime(time.Now()), s.govActor(rc)
	cd := cloneJSON(b)
	delete(cd, "_links")
	if _, set := cd["priority"]; !set {
		cd["priority"] = n // a new condition defaults to the lowest priority
	}
	id := s.ids.next("rco")
	cd["id"], cd["status"] = id, "INACTIVE"
	cd["created"], cd["createdBy"], cd["lastUpdated"], cd["lastUpdatedBy"] = now, actor, now, actor
	g.conditions[id], g.condRes[id] = cd, res
	g.condIDs = sortedInsert(g.condIDs, id)
	writeJSON(w, http.StatusCreated, s.renderCondition(rc.base, cd))
}

func (s *Server) conditionLocked(w http.ResponseWriter, segs []string) map[string]any {
	res, ok := s.conditionResourceLocked(w, segs[2])
	if !ok {
		return nil
	}
	g := s.govLocked()
	cd := g.conditions[segs[4]]
	if cd == nil || g.condRes[segs[4]] != res {
		notFound(w, segs[4], "RequestCondition")
		return nil
	}
	return cd
}

func (s *Server) getCondition(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cd := s.conditionLocked(w, segs); cd != nil {
		writeJSON(w, http.StatusOK, s.renderCondition(rc.base, cd))
	}
}

func (s *Server) patchCondition(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cd := s.conditionLocked(w, segs)
	if cd == nil {
		return
	}
	if causes := s.checkConditionLocked(b, false); len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	for k, v := range b {
		switch k {
		case "name", "description", "approvalSequenceId", "priority", "requesterSettings", "accessScopeSettings", "accessDurationSettings":
			if v == nil {
				delete(cd, k)
			} else {
				cd[k] = v
			}
		}
	}
	cd["lastUpdated"], cd["lastUpdatedBy"] = fmtGovTime(time.Now()), s.govActor(rc)
	writeJSON(w, http.StatusOK, s.renderCondition(rc.base, cd))
}

func (s *Server) deleteCondition(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cd := s.conditionLocked(w, segs); cd != nil {
		g := s.govLocked()
		delete(g.conditions, segs[4])
		delete(g.condRes, segs[4])
		g.condIDs = sortedRemove(g.condIDs, segs[4])
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) conditionLifecycle(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cd := s.conditionLocked(w, segs)
	if cd == nil {
		return
	}
	cd["status"] = map[string]string{"activate": "ACTIVE", "deactivate": "INACTIVE"}[segs[5]]
	cd["lastUpdated"], cd["lastUpdatedBy"] = fmtGovTime(time.Now()), s.govActor(rc)
	writeJSON(w, http.StatusOK, s.renderCondition(rc.base, cd))
}
