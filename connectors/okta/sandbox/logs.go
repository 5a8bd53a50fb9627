package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LogEvent is Okta's System Log event (LogEvent in the OpenAPI spec).
type LogEvent struct {
	UUID                  string                   `json:"uuid"`
	Published             string                   `json:"published"`
	EventType             string                   `json:"eventType"`
	Version               string                   `json:"version"`
	Severity              string                   `json:"severity"`
	LegacyEventType       string                   `json:"legacyEventType,omitempty"`
	DisplayMessage        string                   `json:"displayMessage"`
	Actor                 LogActor                 `json:"actor"`
	Client                LogClient                `json:"client"`
	Request               LogRequest               `json:"request"`
	Outcome               LogOutcome               `json:"outcome"`
	Target                []LogTarget              `json:"target"`
	Transaction           LogTransaction           `json:"transaction"`
	DebugContext          LogDebugContext          `json:"debugContext"`
	AuthenticationContext LogAuthenticationContext `json:"authenticationContext"`
	SecurityContext       LogSecurityContext       `json:"securityContext"`

	seq  int64
	when time.Time
}

// LogActor is the principal that caused an event.
type LogActor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId"`
	DisplayName string `json:"displayName"`
}

// LogTarget is an entity an event acted on.
type LogTarget struct {
	ID          string         `json:"id"`
	Type        string         `json:"type"`
	AlternateID string         `json:"alternateId"`
	DisplayName string         `json:"displayName"`
	DetailEntry map[string]any `json:"detailEntry,omitempty"`
}

// LogUserAgent describes the client's user agent.
type LogUserAgent struct {
	RawUserAgent string `json:"rawUserAgent"`
	OS           string `json:"os"`
	Browser      string `json:"browser"`
}

// LogGeo is Okta's geographicalContext.
type LogGeo struct {
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// LogClient describes the client that made the request.
type LogClient struct {
	UserAgent           LogUserAgent `json:"userAgent"`
	Zone                string       `json:"zone"`
	Device              string       `json:"device"`
	ID                  string       `json:"id,omitempty"`
	IPAddress           string       `json:"ipAddress"`
	GeographicalContext LogGeo       `json:"geographicalContext"`
}

// LogIP is one entry of request.ipChain.
type LogIP struct {
	IP                  string `json:"ip"`
	GeographicalContext LogGeo `json:"geographicalContext"`
	Version             string `json:"version"`
}

// LogRequest is Okta's request context.
type LogRequest struct {
	IPChain []LogIP `json:"ipChain"`
}

// LogOutcome is the event outcome.
type LogOutcome struct {
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// LogTransaction identifies the request.
type LogTransaction struct {
	Type   string         `json:"type"`
	ID     string         `json:"id"`
	Detail map[string]any `json:"detail"`
}

// LogDebugContext carries debugData.
type LogDebugContext struct {
	DebugData map[string]any `json:"debugData"`
}

// LogAuthenticationContext is Okta's authenticationContext.
type LogAuthenticationContext struct {
	AuthenticationStep int    `json:"authenticationStep"`
	ExternalSessionID  string `json:"externalSessionId"`
	Interface          string `json:"interface,omitempty"`
}

// LogSecurityContext is Okta's securityContext (empty locally).
type LogSecurityContext struct {
	Domain  string `json:"domain,omitempty"`
	IsProxy bool   `json:"isProxy"`
}

func userTarget(u *user) LogTarget {
	return LogTarget{ID: u.ID, Type: "User", AlternateID: u.login(), DisplayName: u.displayName()}
}

func groupTarget(g *group) LogTarget {
	return LogTarget{ID: g.ID, Type: "UserGroup", AlternateID: "unknown", DisplayName: g.Name}
}

func appTarget(a *app) LogTarget {
	return LogTarget{ID: a.ID, Type: "AppInstance", AlternateID: a.Label, DisplayName: a.Label}
}

func (s *Server) actor(rc *reqCtx) LogActor {
	if rc == nil || rc.p == nil {
		return LogActor{ID: s.orgID, Type: "SystemPrincipal", AlternateID: "system@okta.com", DisplayName: "Okta System"}
	}
	if rc.p.userID != "" {
		if u := s.users[rc.p.userID]; u != nil {
			return LogActor{ID: u.ID, Type: "User", AlternateID: u.login(), DisplayName: u.displayName()}
		}
	}
	if rc.p.clientID != "" {
		return LogActor{ID: rc.p.clientID, Type: "PublicClientApp", AlternateID: rc.p.clientID, DisplayName: rc.p.name}
	}
	return LogActor{ID: "unknown", Type: "User", AlternateID: "unknown", DisplayName: "unknown"}
}

// emitLocked appends a System Log event; s.mu must be held for writing.
func (s *Server) emitLocked(rc *reqCtx, eventType, msg, severity string, targets []LogTarget) *LogEvent {
	now := time.Now().UTC()
	if n := len(s.events); n > 0 && now.Before(s.events[n-1].when) {
		now = s.events[n-1].when // keep published monotonic
	}
	s.eventSeq++
	if severity == "" {
		severity = "INFO"
	}
	if targets == nil {
		targets = []LogTarget{}
	}
	ip, ua, reqID, uri := "127.0.0.1", "", randID("", 27), ""
	if rc != nil {
		ip, ua, reqID, uri = rc.ip, rc.ua, rc.reqID, rc.uri
	}
	geo := LogGeo{City: "Local", State: "Sandbox", Country: "United States", PostalCode: "00000"}
	e := &LogEvent{
		UUID:           uuid4(),
		Published:      fmtTime(now),
		EventType:      eventType,
		Version:        "0",
		Severity:       severity,
		DisplayMessage: msg,
		Actor:          s.actor(rc),
		Client: LogClient{
			UserAgent: LogUserAgent{RawUserAgent: ua, OS: "Unknown", Browser: "UNKNOWN"},
			Zone:      "null", Device: "Unknown", IPAddress: ip, GeographicalContext: geo,
		},
		Request:     LogRequest{IPChain: []LogIP{{IP: ip, GeographicalContext: geo, Version: "V4"}}},
		Outcome:     LogOutcome{Result: "SUCCESS"},
		Target:      targets,
		Transaction: LogTransaction{Type: "WEB", ID: reqID, Detail: map[string]any{}},
		DebugContext: LogDebugContext{DebugData: map[string]any{
			"requestId": reqID, "requestUri": strings.SplitN(uri, "?", 2)[0], "url": uri, "threatSuspected": "false",
		}},
		AuthenticationContext: LogAuthenticationContext{AuthenticationStep: 0, ExternalSessionID: "trs" + reqID[:19]},
		SecurityContext:       LogSecurityContext{},
		seq:                   s.eventSeq,
		when:                  now,
	}
	s.events = append(s.events, e)
	if over := len(s.events) - s.cfg.MaxEvents; over > 0 {
		s.events = append(s.events[:0:0], s.events[over:]...)
	}
	if s.hooks != nil {
		s.hooks.enqueue(e)
	}
	return e
}

func uuid4() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(randUint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 36)
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hex[c>>4], hex[c&15]
		j += 2
	}
	return string(out)
}

// Events returns a snapshot of the System Log (oldest first).
func (s *Server) Events() []LogEvent {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]LogEvent, len(s.events))
	for i, e := range s.events {
		out[i] = *e
	}
	return out
}

func (e *LogEvent) field(path string) (any, bool) {
	switch path {
	case "eventType":
		return e.EventType, true
	case "uuid":
		return e.UUID, true
	case "severity":
		return e.Severity, true
	case "displayMessage":
		return e.DisplayMessage, true
	case "published":
		return e.when, true
	case "outcome.result":
		return e.Outcome.Result, true
	case "actor.id":
		return e.Actor.ID, true
	case "actor.type":
		return e.Actor.Type, true
	case "actor.alternateId":
		return e.Actor.AlternateID, true
	case "actor.displayName":
		return e.Actor.DisplayName, true
	case "client.ipAddress":
		return e.Client.IPAddress, true
	case "transaction.id":
		return e.Transaction.ID, true
	case "target.id", "target.type", "target.alternateId", "target.displayName":
		vals := make([]any, len(e.Target))
		for i, t := range e.Target {
			switch path {
			case "target.id":
				vals[i] = t.ID
			case "target.type":
				vals[i] = t.Type
			case "target.alternateId":
				vals[i] = t.AlternateID
			default:
				vals[i] = t.DisplayName
			}
		}
		return vals, true
	}
	return nil, false
}

func parseLogTime(s string) (time.Time, bool) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// logCursor is "<publishedMillis>_<seq>" (Okta cursors are opaque strings).
func logCursor(e *LogEvent) string {
	return strconv.FormatInt(e.when.UnixMilli(), 10) + "_" + strconv.FormatInt(e.seq, 10)
}

func parseLogCursor(s string) (int64, bool) {
	_, seq, ok := strings.Cut(s, "_")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(seq, 10, 64)
	return n, err == nil
}

// GET /api/v1/logs
func (s *Server) listLogs(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 100, 1000)
	if !ok {
		return
	}
	now := time.Now().UTC()
	var since, until time.Time
	hasSince, hasUntil := q.Has("since"), q.Has("until")
	if hasSince {
		t, ok := parseLogTime(q.Get("since"))
		if !ok {
			validationErr(w, "since: The since parameter must be an ISO 8601 date.")
			return
		}
		since = t
	} else {
		since = now.Add(-7 * 24 * time.Hour)
	}
	if hasUntil {
		t, ok := parseLogTime(q.Get("until"))
		if !ok {
			validationErr(w, "until: The until parameter must be an ISO 8601 date.")
			return
		}
		until = t
		if until.Before(since) {
			validationErr(w, "until: The until parameter must be after the since parameter.")
			return
		}
	}
	order := strings.ToUpper(q.Get("sortOrder"))
	switch order {
	case "", "ASCENDING":
		order = "ASCENDING"
	case "DESCENDING":
	default:
		validationErr(w, "sortOrder: must be ASCENDING or DESCENDING")
		return
	}
	var expr *exprNode
	if f := q.Get("filter"); f != "" {
		var err error
		if expr, err = parseExprCached(f); err != nil {
			writeErr(w, http.StatusBadRequest, "E0000031", "Invalid search criteria.", "filter: "+err.Error())
			return
		}
	}
	var keyword []string
	if kw := strings.TrimSpace(q.Get("q")); kw != "" {
		keyword = strings.Fields(strings.ToLower(kw))
	}
	var afterSeq int64 = -1
	if a := q.Get("after"); a != "" {
		n, ok := parseLogCursor(a)
		if !ok {
			validationErr(w, "after: Invalid after cursor.")
			return
		}
		afterSeq = n
	}
	match := func(e *LogEvent) bool {
		if e.when.Before(since) || (hasUntil && !e.when.Before(until)) {
			return false
		}
		if expr != nil && !expr.eval(e.field) {
			return false
		}
		for _, k := range keyword {
			if !strings.Contains(strings.ToLower(e.EventType+" "+e.DisplayMessage+" "+e.Actor.AlternateID+" "+e.Actor.DisplayName+" "+targetsText(e)), k) {
				return false
			}
		}
		return true
	}

	s.mu.RLock()
	evs := s.events
	var out []*LogEvent
	more := false
	if order == "ASCENDING" {
		start := 0
		if afterSeq >= 0 {
			start = sort.Search(len(evs), func(i int) bool { return evs[i].seq > afterSeq })
		}
		for i := start; i < len(evs); i++ {
			if match(evs[i]) {
				if len(out) == limit {
					more = true
					break
				}
				out = append(out, evs[i])
			}
		}
	} else {
		end := len(evs)
		if afterSeq >= 0 {
			end = sort.Search(len(evs), func(i int) bool { return evs[i].seq >= afterSeq })
		}
		for i := end - 1; i >= 0; i-- {
			if match(evs[i]) {
				if len(out) == limit {
					more = true
					break
				}
				out = append(out, evs[i])
			}
		}
	}
	lastSeq := s.eventSeq
	body := make([]LogEvent, len(out))
	for i, e := range out {
		body[i] = *e
	}
	s.mu.RUnlock()

	// Okta: when polling (since without until, ascending) the next link is
	// always present; otherwise only when more results exist.
	polling := order == "ASCENDING" && !hasUntil
	var next string
	switch {
	case len(out) > 0 && (more || polling):
		next = logCursor(out[len(out)-1])
	case polling:
		// nothing new: keep the position so the next poll only sees new events
		if afterSeq >= 0 {
			next = q.Get("after")
		} else if hasSince && since.After(now) {
			next = ""
		} else {
			next = strconv.FormatInt(now.UnixMilli(), 10) + "_" + strconv.FormatInt(lastSeq, 10)
		}
	}
	h := w.Header()
	h.Add("Link", "<"+rc.base+r.URL.RequestURI()+`>; rel="self"`)
	if next != "" || polling {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		if next != "" {
			nq.Set("after", next)
		}
		nq.Set("limit", strconv.Itoa(limit))
		h.Add("Link", "<"+rc.base+r.URL.Path+"?"+nq.Encode()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, body)
}

func targetsText(e *LogEvent) string {
	var b strings.Builder
	for _, t := range e.Target {
		b.WriteString(t.AlternateID)
		b.WriteByte(' ')
		b.WriteString(t.DisplayName)
		b.WriteByte(' ')
	}
	return b.String()
}

func parseLimit(w http.ResponseWriter, q url.Values, def, max int) (int, bool) {
	v := q.Get("limit")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		validationErr(w, "limit: The limit parameter must be an integer.")
		return 0, false
	}
	if n <= 0 || n > max {
		n = max
	}
	return n, true
}
