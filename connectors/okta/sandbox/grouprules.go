package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Group rules (issue 10 point 8):
//
//	GET    /api/v1/groups/rules[?limit&after&search]          listGroupRules
//	POST   /api/v1/groups/rules                               createGroupRule (INACTIVE)
//	GET    /api/v1/groups/rules/{id}                          getGroupRule
//	PUT    /api/v1/groups/rules/{id}                          replaceGroupRule (only while INACTIVE)
//	DELETE /api/v1/groups/rules/{id}[?removeUsers=true]       deleteGroupRule (202)
//	POST   /api/v1/groups/rules/{id}/lifecycle/activate       (204) assigns every matching user now
//	POST   /api/v1/groups/rules/{id}/lifecycle/deactivate     (204)
//
// The sandbox evaluates the common forms of Okta's expression language:
// user.<attr> == "v", != "v", String.stringContains(user.<attr>, "v"),
// String.startsWith(user.<attr>, "v"), isMemberOfAnyGroup("00g…", …), joined
// with && and || (&& binds tighter) and parenthesised; an expression outside
// that set is refused at create with E0000001 naming it. Users added or
// changed after activation are not re-evaluated.

type groupRule struct {
	ID          string
	Name        string
	Status      string // ACTIVE, INACTIVE
	Expr        string
	GroupIDs    []string
	ExcludeIDs  []string
	Created     time.Time
	LastUpdated time.Time
	added       map[string][]string // group id -> users this rule added
}

type groupRuleBody struct {
	Type       string `json:"type"`
	Name       string `json:"name"`
	Conditions struct {
		Expression struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"expression"`
		People struct {
			Users struct {
				Exclude []string `json:"exclude"`
			} `json:"users"`
		} `json:"people"`
	} `json:"conditions"`
	Actions struct {
		AssignUserToGroups struct {
			GroupIDs []string `json:"groupIds"`
		} `json:"assignUserToGroups"`
	} `json:"actions"`
}

func (r *groupRule) render() map[string]any {
	excl := r.ExcludeIDs
	if excl == nil {
		excl = []string{}
	}
	return map[string]any{"id": r.ID, "type": "group_rule", "name": r.Name, "status": r.Status,
		"created": fmtTime(r.Created), "lastUpdated": fmtTime(r.LastUpdated),
		"conditions": map[string]any{
			"expression": map[string]any{"type": "urn:okta:expression:1.0", "value": r.Expr},
			"people":     map[string]any{"users": map[string]any{"exclude": excl}, "groups": map[string]any{"exclude": []string{}}},
		},
		"actions": map[string]any{"assignUserToGroups": map[string]any{"groupIds": r.GroupIDs}}}
}

func (r *groupRule) field(path string) (any, bool) {
	switch path {
	case "id":
		return r.ID, true
	case "name":
		return r.Name, true
	case "status":
		return r.Status, true
	}
	return nil, false
}

// matchGroupRules routes /groups/rules…; ok is false for other group paths.
func matchGroupRules(method string, segs []string) (route, bool) {
	if len(segs) < 2 || segs[1] != "rules" {
		return route{}, false
	}
	nm := route{bucket: BucketGroups, methodNotAllowed: true}
	switch {
	case len(segs) == 2 && method == http.MethodGet:
		return read(BucketGroups, "okta.groups.read", (*Server).listGroupRules), true
	case len(segs) == 2 && method == http.MethodPost:
		return read(BucketGroups, "okta.groups.manage", (*Server).createGroupRule), true
	case len(segs) == 3 && method == http.MethodGet:
		return read(BucketGroup, "okta.groups.read", (*Server).getGroupRule), true
	case len(segs) == 3 && method == http.MethodPut:
		return read(BucketGroup, "okta.groups.manage", (*Server).replaceGroupRule), true
	case len(segs) == 3 && method == http.MethodDelete:
		return read(BucketGroup, "okta.groups.manage", (*Server).deleteGroupRule), true
	case len(segs) == 5 && segs[3] == "lifecycle" && (segs[4] == "activate" || segs[4] == "deactivate"):
		if method == http.MethodPost {
			return read(BucketGroup, "okta.groups.manage", (*Server).groupRuleLifecycle), true
		}
		return nm, true
	case len(segs) <= 3:
		return nm, true
	}
	return route{bucket: BucketGroups}, true
}

func (s *Server) groupRuleOr404(w http.ResponseWriter, id string) *groupRule {
	for _, r := range s.groupRules {
		if r.ID == id {
			return r
		}
	}
	notFound(w, id, "GroupRule")
	return nil
}

func (s *Server) listGroupRules(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 50, 300)
	if !ok {
		return
	}
	kw := strings.ToLower(strings.TrimSpace(q.Get("search"))) // Okta: keyword search on the rule name
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]string, 0, len(s.groupRules))
	byID := map[string]*groupRule{}
	for _, gr := range s.groupRules {
		ids = append(ids, gr.ID)
		byID[gr.ID] = gr
	}
	slices.Sort(ids)
	page, next := paginate(ids, q.Get("after"), limit, func(id string) bool {
		return kw == "" || strings.Contains(strings.ToLower(byID[id].Name), kw)
	})
	out := make([]any, len(page))
	for i, id := range page {
		out[i] = byID[id].render()
	}
	setPageLinks(w, r, rc, next, limit)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getGroupRule(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if gr := s.groupRuleOr404(w, segs[2]); gr != nil {
		writeJSON(w, http.StatusOK, gr.render())
	}
}

// checkRuleLocked validates a rule body: name, groups that exist, an
// expression the sandbox can evaluate.
func (s *Server) checkRuleLocked(w http.ResponseWriter, b *groupRuleBody) bool {
	b.Name = strings.TrimSpace(b.Name)
	switch {
	case b.Name == "" || len(b.Name) > 50:
		validationErr(w, "name: The name must be 1 to 50 characters long")
		return false
	case len(b.Actions.AssignUserToGroups.GroupIDs) == 0:
		validationErr(w, "actions.assignUserToGroups.groupIds: The rule must assign users to at least one group")
		return false
	}
	for _, id := range b.Actions.AssignUserToGroups.GroupIDs {
		if s.groups[id] == nil {
			validationErr(w, "actions.assignUserToGroups.groupIds: Group "+id+" does not exist")
			return false
		}
	}
	if _, err := parseRuleExpr(b.Conditions.Expression.Value); err != nil {
		validationErr(w, "conditions.expression.value: "+err.Error())
		return false
	}
	return true
}

func (s *Server) createGroupRule(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var b groupRuleBody
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkRuleLocked(w, &b) {
		return
	}
	now := time.Now().UTC()
	gr := &groupRule{ID: s.ids.next("0pr"), Name: b.Name, Status: "INACTIVE", Expr: b.Conditions.Expression.Value,
		GroupIDs: b.Actions.AssignUserToGroups.GroupIDs, ExcludeIDs: b.Conditions.People.Users.Exclude, Created: now, LastUpdated: now}
	s.groupRules = append(s.groupRules, gr)
	s.emitLocked(rc, "group.rule.create", "Create group rule", "INFO", []LogTarget{{ID: gr.ID, Type: "GroupRule", AlternateID: gr.Name, DisplayName: gr.Name}})
	writeJSON(w, http.StatusOK, gr.render())
}

func (s *Server) replaceGroupRule(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var b groupRuleBody
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gr := s.groupRuleOr404(w, segs[2])
	if gr == nil {
		return
	}
	if gr.Status == "ACTIVE" {
		writeErr(w, http.StatusBadRequest, "E0000090", "Api validation failed: groupRule", "Cannot update an active rule; deactivate it first.")
		return
	}
	if !s.checkRuleLocked(w, &b) {
		return
	}
	gr.Name, gr.Expr, gr.GroupIDs, gr.ExcludeIDs, gr.LastUpdated = b.Name, b.Conditions.Expression.Value,
		b.Actions.AssignUserToGroups.GroupIDs, b.Conditions.People.Users.Exclude, time.Now().UTC()
	writeJSON(w, http.StatusOK, gr.render())
}

func (s *Server) deleteGroupRule(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	remove, ok := boolParam(w, r.URL.Query(), "removeUsers", false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gr := s.groupRuleOr404(w, segs[2])
	if gr == nil {
		return
	}
	if remove {
		now := time.Now().UTC()
		for gid, uids := range gr.added {
			g := s.groups[gid]
			for _, uid := range uids {
				if u := s.users[uid]; g != nil && u != nil && g.Members[uid] {
					delete(g.Members, uid)
					delete(u.Groups, gid)
					g.LastMembershipUpdated = now
					s.emitLocked(rc, "group.user_membership.remove", "Remove user from group membership", "INFO", []LogTarget{userTarget(u), groupTarget(g)})
				}
			}
		}
	}
	s.groupRules = slices.DeleteFunc(s.groupRules, func(x *groupRule) bool { return x == gr })
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) groupRuleLifecycle(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gr := s.groupRuleOr404(w, segs[2])
	if gr == nil {
		return
	}
	now := time.Now().UTC()
	if segs[4] == "deactivate" {
		gr.Status, gr.LastUpdated = "INACTIVE", now
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if gr.Status != "ACTIVE" {
		gr.Status, gr.LastUpdated = "ACTIVE", now
		expr, _ := parseRuleExpr(gr.Expr)
		if gr.added == nil {
			gr.added = map[string][]string{}
		}
		for _, uid := range s.userIDs {
			u := s.users[uid]
			if u.Status == StatusDeprovisioned || slices.Contains(gr.ExcludeIDs, uid) || !expr.eval(u) {
				continue
			}
			for _, gid := range gr.GroupIDs {
				if g := s.groups[gid]; g != nil && s.addMemberLocked(rc, g, u, now) {
					gr.added[gid] = append(gr.added[gid], uid)
				}
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- the expression subset ---

type ruleExpr struct {
	op    string // "or", "and", "eq", "ne", "contains", "starts", "member"
	kids  []*ruleExpr
	attr  string
	value string
	ids   []string
}

func (e *ruleExpr) eval(u *user) bool {
	switch e.op {
	case "or":
		for _, k := range e.kids {
			if k.eval(u) {
				return true
			}
		}
		return false
	case "and":
		for _, k := range e.kids {
			if !k.eval(u) {
				return false
			}
		}
		return true
	case "member":
		for _, id := range e.ids {
			if u.Groups[id] {
				return true
			}
		}
		return false
	}
	v, _ := u.Profile[e.attr].(string)
	switch e.op {
	case "eq":
		return v == e.value
	case "ne":
		return v != e.value
	case "contains":
		return strings.Contains(v, e.value)
	case "starts":
		return strings.HasPrefix(v, e.value)
	}
	return false
}

type ruleParser struct {
	s   string
	pos int
}

func parseRuleExpr(s string) (*ruleExpr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("the expression is empty")
	}
	p := &ruleParser{s: s}
	e, err := p.or()
	if err == nil {
		p.space()
		if p.pos < len(p.s) {
			err = fmt.Errorf("unexpected %q at position %d", p.s[p.pos:], p.pos+1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the sandbox evaluates user.<attr> == / != \"text\", String.stringContains(user.<attr>, \"text\"), String.startsWith(user.<attr>, \"text\") and isMemberOfAnyGroup(\"id\", …) joined by && and ||: %v", err)
	}
	return e, nil
}

func (p *ruleParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n') {
		p.pos++
	}
}

func (p *ruleParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *ruleParser) or() (*ruleExpr, error) { return p.joined("or", "||", p.and) }

func (p *ruleParser) and() (*ruleExpr, error) { return p.joined("and", "&&", p.term) }

// joined parses one or more operands separated by tok; more than one become an op node.
func (p *ruleParser) joined(op, tok string, operand func() (*ruleExpr, error)) (*ruleExpr, error) {
	e, err := operand()
	if err != nil {
		return nil, err
	}
	kids := []*ruleExpr{e}
	for p.eat(tok) {
		k, err := operand()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return e, nil
	}
	return &ruleExpr{op: op, kids: kids}, nil
}

func (p *ruleParser) term() (*ruleExpr, error) {
	switch {
	case p.eat("("):
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("missing ) at position %d", p.pos+1)
		}
		return e, nil
	case p.eat("String.stringContains("), p.eat("String.startsWith("):
		op := "contains"
		if strings.HasSuffix(p.s[:p.pos], "startsWith(") {
			op = "starts"
		}
		attr, err := p.attr()
		if err != nil {
			return nil, err
		}
		if !p.eat(",") {
			return nil, fmt.Errorf("expected , at position %d", p.pos+1)
		}
		v, err := p.str()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("missing ) at position %d", p.pos+1)
		}
		return &ruleExpr{op: op, attr: attr, value: v}, nil
	case p.eat("isMemberOfAnyGroup("):
		e := &ruleExpr{op: "member"}
		for {
			v, err := p.str()
			if err != nil {
				return nil, err
			}
			e.ids = append(e.ids, v)
			if p.eat(")") {
				return e, nil
			}
			if !p.eat(",") {
				return nil, fmt.Errorf("expected , or ) at position %d", p.pos+1)
			}
		}
	}
	attr, err := p.attr()
	if err != nil {
		return nil, err
	}
	op := ""
	switch {
	case p.eat("=="):
		op = "eq"
	case p.eat("!="):
		op = "ne"
	default:
		return nil, fmt.Errorf("expected == or != at position %d", p.pos+1)
	}
	v, err := p.str()
	if err != nil {
		return nil, err
	}
	return &ruleExpr{op: op, attr: attr, value: v}, nil
}

func (p *ruleParser) attr() (string, error) {
	if !p.eat("user.") {
		return "", fmt.Errorf("expected user.<attribute> at position %d", p.pos+1)
	}
	start := p.pos
	for p.pos < len(p.s) && (p.s[p.pos] == '_' || p.s[p.pos] >= 'a' && p.s[p.pos] <= 'z' || p.s[p.pos] >= 'A' && p.s[p.pos] <= 'Z' || p.s[p.pos] >= '0' && p.s[p.pos] <= '9') {
		p.pos++
	}
	if p.pos == start {
		return "", fmt.Errorf("expected an attribute name at position %d", p.pos+1)
	}
	return p.s[start:p.pos], nil
}

func (p *ruleParser) str() (string, error) {
	p.space()
	if p.pos >= len(p.s) || p.s[p.pos] != '"' {
		return "", fmt.Errorf("expected a \"quoted\" value at position %d", p.pos+1)
	}
	end := strings.IndexByte(p.s[p.pos+1:], '"')
	if end < 0 {
		return "", fmt.Errorf("unterminated text at position %d", p.pos+1)
	}
	v := p.s[p.pos+1 : p.pos+1+end]
	p.pos += end + 2
	return v, nil
}
