package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Access certification reviews (Okta Identity Governance), after the
// Governance API's Reviews operations (okta-governance-sdk-golang's
// governance/api/openapi.yaml: listReviews, getReview; schemas review-full,
// review-sparse, review-list; testdata/governance-openapi.yaml holds the
// operations the sandbox serves and the tests validate every Governance
// exchange against it, govspec_test.go):
//
//	GET /governance/api/v1/reviews[?filter=campaignId eq "…" AND decision eq "REVOKE"&limit=&after=]  ({data, _links})
//	GET /governance/api/v1/reviews/{reviewId}                                                         (404 E0000007 for an unknown review)
//
// Launching a campaign (SCHEDULED → ACTIVE) assigns its reviews: one per
// principal that has the target resource (an app's direct or group
// assignment, a group's members), limited by principalScopeSettings, each
// UNREVIEWED and given to the reviewer of reviewerSettings. A reviewer's
// decision is made in Okta's end-user Access Certifications app, which has no
// public API: DecideReview is that step, and like Okta it writes the System
// Log event certification.campaign.item.decide (the Access Certification
// Decision Submitted event card); DecisionEvent is the newest such event.
//
// The built-in seed's org has Identity Governance: an ACTIVE campaign
// "Semi-Annual" (the name the grace-period template's readme uses) on GitHub
// Enterprise, reviewed by William Chen, with one APPROVE and then one REVOKE
// decision made before the System Log's window (seedGovernanceLocked).

// Review decisions (schema decision) and remediation statuses.
const (
	DecisionApprove = "APPROVE"
	DecisionRevoke  = "REVOKE"
)

// EventReviewDecided is the System Log event type of a reviewer's decision.
const EventReviewDecided = "certification.campaign.item.decide"

type reviewState struct {
	reviews map[string]map[string]any
	ids     []string
	last    *LogEvent // the newest decision's event (DecisionEvent)
}

func (g *govState) revLocked() *reviewState {
	if g.rev == nil {
		g.rev = &reviewState{reviews: map[string]map[string]any{}}
	}
	return g.rev
}

// principalProfile is Okta's principal-profile of a user (status ACTIVE or
// INACTIVE only: a user who can sign in, also while locked out or in
// recovery, is ACTIVE).
func principalProfile(u *user) map[string]any {
	status := "INACTIVE"
	switch u.Status {
	case StatusActive, StatusRecovery, StatusPasswordExpired, StatusLockedOut:
		status = "ACTIVE"
	}
	email, _ := u.Profile["email"].(string)
	if email == "" {
		email = u.login()
	}
	first, _ := u.Profile["firstName"].(string)
	last, _ := u.Profile["lastName"].(string)
	return map[string]any{"id": u.ID, "login": u.login(), "email": email, "firstName": first, "lastName": last, "status": status}
}

// campaignTargets resolves a campaign's target resources to the org's apps
// and groups (resourceType optional: the id says which).
func (s *Server) campaignTargetsLocked(cp map[string]any) (apps []*app, groups []*group) {
	rs, _ := cp["resourceSettings"].(map[string]any)
	for _, t := range govList(rs["targetResources"]) {
		tr, _ := t.(map[string]any)
		id, _ := tr["resourceId"].(string)
		if a := s.apps[id]; a != nil {
			apps = append(apps, a)
		} else if g := s.groups[id]; g != nil {
			groups = append(groups, g)
		}
	}
	return apps, groups
}

// inPrincipalScope: the user is one the campaign reviews
// (principalScopeSettings: userIds, groupIds, excludedUserIds).
func inPrincipalScope(cp map[string]any, u *user) bool {
	ps, _ := cp["principalScopeSettings"].(map[string]any)
	for _, x := range govList(ps["excludedUserIds"]) {
		if x == u.ID {
			return false
		}
	}
	users, groups := govList(ps["userIds"]), govList(ps["groupIds"])
	if len(users) == 0 && len(groups) == 0 {
		return true
	}
	for _, x := range users {
		if x == u.ID {
			return true
		}
	}
	for _, g := range groups {
		if id, _ := g.(string); u.Groups[id] {
			return true
		}
	}
	return false
}

// reviewerOf fills a review's reviewer fields from reviewerSettings: USER
// → that user; GROUP → the group (reviewerGroupProfile); RESOURCE_OWNER,
// REVIEWER_EXPRESSION → the fallback reviewer (the sandbox has no resource
// owners or expressions to evaluate), else the org's admin; MULTI_LEVEL →
// its first level's reviewer, else the admin.
func (s *Server) reviewerOfLocked(cp map[string]any, rv map[string]any) {
	set, _ := cp["reviewerSettings"].(map[string]any)
	typ, _ := set["type"].(string)
	uid := ""
	switch typ {
	case "USER":
		uid, _ = set["reviewerId"].(string)
	case "GROUP":
		gid, _ := set["reviewerGroupId"].(string)
		if g := s.groups[gid]; g != nil {
			rv["reviewerType"] = "GROUP"
			rv["reviewerGroupProfile"] = map[string]any{"groupId": g.ID, "name": g.Name, "groupType": "GROUP"}
			return
		}
	case "RESOURCE_OWNER", "REVIEWER_EXPRESSION":
		uid, _ = set["fallBackReviewerId"].(string)
	case "MULTI_LEVEL":
		if lv := govList(set["reviewerLevels"]); len(lv) > 0 {
			first, _ := lv[0].(map[string]any)
			uid, _ = first["reviewerId"].(string)
		}
		rv["currentReviewerLevel"] = "FIRST"
	}
	rtype := "USER"
	if typ == "RESOURCE_OWNER" {
		rtype = "RESOURCE_OWNER"
	}
	u := s.users[uid]
	if u == nil {
		u = s.users[s.adminID]
	}
	rv["reviewerType"] = rtype
	if u != nil {
		rv["reviewerProfile"] = principalProfile(u)
	}
}

// assignReviewsLocked creates the reviews of a campaign being launched.
func (s *Server) assignReviewsLocked(cp map[string]any, actor string, ids *idGen) {
	apps, groups := s.campaignTargetsLocked(cp)
	rs := s.govLocked().revLocked()
	now := fmtGovTime(time.Now())
	add := func(resource string, u *user, assignment string) {
		if !inPrincipalScope(cp, u) {
			return
		}
		id := ids.next("icr")
		rv := map[string]any{"id": id, "campaignId": cp["id"], "resourceId": resource, "decision": "UNREVIEWED",
			"remediationStatus": "NONE", "principalProfile": principalProfile(u), "assignmentType": assignment,
			"riskRuleConflicts": []any{}, "delegated": false,
			"created": now, "createdBy": actor, "lastUpdated": now, "lastUpdatedBy": actor}
		s.reviewerOfLocked(cp, rv)
		rs.reviews[id] = rv
		rs.ids = sortedInsert(rs.ids, id)
	}
	for _, a := range apps {
		for _, uid := range s.userIDs {
			if u := s.users[uid]; u != nil && u.Status != StatusDeprovisioned {
				if au := s.effectiveAppUserLocked(a, u); au != nil {
					add(a.ID, u, au.Scope)
				}
			}
		}
	}
	for _, g := range groups {
		for _, uid := range s.userIDs {
			if u := s.users[uid]; u != nil && u.Groups[g.ID] {
				add(g.ID, u, "USER")
			}
		}
	}
}

func (s *Server) renderReview(base string, rv map[string]any, full bool) map[string]any {
	out := cloneJSON(rv)
	out["_links"] = map[string]any{
		"self":           govLink(base + "/governance/api/v1/reviews/" + rv["id"].(string)),
		"reassignReview": govLink(base + "/governance/api/v1/campaigns/" + rv["campaignId"].(string) + "/reviews/reassign"),
	}
	if !full { // review-sparse: no note, no reviewer levels
		delete(out, "note")
		delete(out, "allReviewerLevels")
	}
	return out
}

func (s *Server) listReviews(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 20, 200)
	if !ok {
		return
	}
	f, err := govFilter(q.Get("filter"), "campaignId", "decision", "reviewerId", "resourceId", "principalId", "reviewerType", "remediationStatus")
	if err != nil {
		validationErr(w, "filter: "+err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.govLocked().revLocked()
	ids, next := paginate(rs.ids, q.Get("after"), limit, func(id string) bool {
		rv := rs.reviews[id]
		pp, _ := rv["principalProfile"].(map[string]any)
		rp, _ := rv["reviewerProfile"].(map[string]any)
		vals := map[string]any{"campaignId": rv["campaignId"], "decision": rv["decision"], "reviewerId": rp["id"], "resourceId": rv["resourceId"],
			"principalId": pp["id"], "reviewerType": rv["reviewerType"], "remediationStatus": rv["remediationStatus"]}
		for k, v := range f {
			if vals[k] != v {
				return false
			}
		}
		return true
	})
	data := make([]any, 0, len(ids))
	for _, id := range ids {
		data = append(data, s.renderReview(rc.base, rs.reviews[id], false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "_links": govListLinks(rc, r, next, limit)})
}

func (s *Server) getReview(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := s.govLocked().revLocked().reviews[segs[2]]
	if rv == nil {
		notFound(w, segs[2], "Review")
		return
	}
	writeJSON(w, http.StatusOK, s.renderReview(rc.base, rv, true))
}

// Review returns a review as GET /governance/api/v1/reviews/{id} shows it
// (without _links).
func (s *Server) Review(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := s.govLocked().revLocked().reviews[id]
	if rv == nil {
		return nil, false
	}
	return cloneJSON(rv), true
}

// DecideReview records a reviewer's decision (APPROVE or REVOKE, with an
// optional note) on a review of an ACTIVE campaign, as the reviewer does in
// Okta's Access Certifications app, and writes the System Log event
// certification.campaign.item.decide (delivered to event hooks). It returns
// the event's uuid.
func (s *Server) DecideReview(id, decision, note string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.decideReviewLocked(id, decision, note, true)
	if err != nil {
		return "", err
	}
	return e.UUID, nil
}

// decideReviewLocked decides; logged is false for the seed's decisions, made
// before the System Log's window (the log starts empty).
func (s *Server) decideReviewLocked(id, decision, note string, logged bool) (*LogEvent, error) {
	g := s.govLocked()
	rv := g.revLocked().reviews[id]
	if rv == nil {
		return nil, fmt.Errorf("sandbox: no review %s", id)
	}
	if decision != DecisionApprove && decision != DecisionRevoke {
		return nil, fmt.Errorf("sandbox: decision %q is not APPROVE or REVOKE", decision)
	}
	cid, _ := rv["campaignId"].(string)
	cp := g.campaigns[cid]
	if cp == nil || cp["status"] != "ACTIVE" {
		return nil, fmt.Errorf("sandbox: review %s: its campaign is not ACTIVE", id)
	}
	rp, _ := rv["reviewerProfile"].(map[string]any)
	reviewer, _ := rp["id"].(string)
	if reviewer == "" {
		reviewer = s.adminID
	}
	now := fmtGovTime(time.Now())
	rv["decision"], rv["decided"], rv["lastUpdated"], rv["lastUpdatedBy"] = decision, now, now, reviewer
	if note != "" {
		rv["note"] = map[string]any{"id": "icn" + id[3:], "note": note}
	}
	// remediation follows remediationSettings; the sandbox records a DENY as
	// an open remediation and does not remove the access itself
	rm, _ := cp["remediationSettings"].(map[string]any)
	rv["remediationStatus"] = "NONE"
	if decision == DecisionRevoke && rm["accessRevoked"] == "DENY" {
		rv["remediationStatus"] = "OPEN"
	}
	pp, _ := rv["principalProfile"].(map[string]any)
	principalName := strings.TrimSpace(fmt.Sprint(pp["firstName"], " ", pp["lastName"]))
	reviewerName := strings.TrimSpace(fmt.Sprint(rp["firstName"], " ", rp["lastName"]))
	resID, _ := rv["resourceId"].(string)
	resName, resType := resID, "APP" // the grace-period template tests campaignItemResourceType == "APP"
	if a := s.apps[resID]; a != nil {
		resName = a.Label
	} else if gr := s.groups[resID]; gr != nil {
		resName, resType = gr.Name, "GROUP"
	}
	template, _ := cp["recurringCampaignId"].(string)
	if template == "" {
		template = cid
	}
	rc := &reqCtx{p: &principal{kind: "SSWS", userID: reviewer}, reqID: randID("", 27), ip: "127.0.0.1",
		uri: "/governance/api/v1/reviews/" + id}
	// the review item: Okta's reference names it "Review Item" (ID = the
	// review's id, which templates read with GET /reviews/{id}); its target
	// type is not published, the sandbox calls it CertificationReviewItem
	target := LogTarget{ID: id, Type: "CertificationReviewItem", AlternateID: fmt.Sprint(pp["login"]), DisplayName: principalName + " - " + resName}
	e := s.emitLocked(rc, EventReviewDecided, "Access certification decision submitted", "INFO", []LogTarget{target})
	if !logged {
		s.events = s.events[:len(s.events)-1]
		s.eventSeq--
	}
	g.revLocked().last = e
	// debugData keys as the developers' templates read them (Debug Data of
	// the event card: campaignItem…, campaignTemplate…)
	for k, v := range map[string]any{
		"campaignItemId": id, "campaignItemDecision": decision, "campaignItemDecisionNotes": note,
		"campaignItemPrincipalId": pp["id"], "campaignItemPrincipalName": principalName,
		"campaignItemResourceId": resID, "campaignItemResourceName": resName, "campaignItemResourceType": resType,
		"campaignItemReviewerId": reviewer, "campaignItemReviewerName": reviewerName,
		"campaignTemplateId": template, "campaignTemplateName": cp["name"],
	} {
		e.DebugContext.DebugData[k] = v
	}
	return e, nil
}

// DecisionEvent is the System Log event (as Okta's API shows it, JSON
// values) of the newest review decision, also one the seed made before the
// log's window; nil when no review was decided. The app's Run panel takes
// it as the Access Certification Decision Submitted card's sample.
func (s *Server) DecisionEvent() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.govLocked().revLocked().last
	if e == nil {
		return nil
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

// seedGovernanceLocked gives the built-in seed's org an ACTIVE access
// certification campaign with decided reviews (its own id sequence, so the
// ids of every other seeded or created record stay as they were).
func (s *Server) seedGovernanceLocked() {
	var target *app
	for _, a := range s.apps {
		if a.Label == "GitHub Enterprise" {
			target = a
		}
	}
	reviewer := s.userByLogin["william.chen@example.com"]
	if target == nil || reviewer == nil {
		return
	}
	ids := &idGen{n: 40_000_000, rnd: newIDGen().rnd}
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -7)
	cp := map[string]any{
		"id": ids.next("ici"), "name": "Semi-Annual", "description": "Semi-annual access review of GitHub Enterprise",
		"campaignType": "RESOURCE", "status": "ACTIVE", "recurringCampaignId": nil,
		"scheduleSettings": map[string]any{"type": "ONE_OFF", "startDate": fmtGovTime(start), "durationInDays": 30.0,
			"timeZone": "America/Los_Angeles", "endDate": fmtGovTime(start.AddDate(0, 0, 30))},
		"resourceSettings": map[string]any{"type": "APPLICATION",
			"targetResources": []any{map[string]any{"resourceId": target.ID, "resourceType": "APPLICATION"}}},
		"principalScopeSettings": map[string]any{"type": "USERS"},
		"reviewerSettings":       map[string]any{"type": "USER", "reviewerId": reviewer.ID},
		"remediationSettings":    map[string]any{"accessApproved": "NO_ACTION", "accessRevoked": "NO_ACTION", "noResponse": "NO_ACTION"},
		"created":                fmtGovTime(start), "createdBy": s.adminID, "lastUpdated": fmtGovTime(start), "lastUpdatedBy": s.adminID,
	}
	g := s.govLocked()
	g.campaigns[cp["id"].(string)] = cp
	g.campIDs = sortedInsert(g.campIDs, cp["id"].(string))
	s.assignReviewsLocked(cp, s.adminID, ids)
	// two decisions, the newest a REVOKE of Alice Nguyen's access
	rs := g.revLocked()
	byLogin := map[string]string{}
	for _, id := range rs.ids {
		pp := rs.reviews[id]["principalProfile"].(map[string]any)
		byLogin[pp["login"].(string)] = id
	}
	logins := make([]string, 0, len(byLogin))
	for l := range byLogin {
		logins = append(logins, l)
	}
	sort.Strings(logins)
	for _, l := range logins {
		if id := byLogin[l]; l != "alice.nguyen@example.com" && rs.reviews[id]["principalProfile"].(map[string]any)["status"] == "ACTIVE" {
			_, _ = s.decideReviewLocked(id, DecisionApprove, "Still on the team", false)
			break
		}
	}
	if id := byLogin["alice.nguyen@example.com"]; id != "" {
		_, _ = s.decideReviewLocked(id, DecisionRevoke, "No longer needs GitHub Enterprise", false)
	}
}
