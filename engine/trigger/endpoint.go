package trigger

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Request headers of API Endpoint flows.
const (
	HeaderClientToken = "x-api-client-token"
	// HeaderSignature carries "sha256=<hex HMAC-SHA256 of the body keyed by the client token>".
	HeaderSignature = "x-flowbench-signature"
)

// maxBody bounds one trigger request.
const maxBody = 10 << 20

// Responder answers the pending HTTP request of an execution early (the
// Close card); false when the execution has no pending request or already
// answered.
type Responder interface {
	Respond(execID string, status int, headers map[string]any, body any) bool
}

type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

// pending is an API request waiting for its execution.
type pending struct {
	once sync.Once
	ch   chan apiResponse
}

func (p *pending) send(r apiResponse) bool {
	sent := false
	p.once.Do(func() { p.ch <- r; sent = true })
	return sent
}

// Respond implements Responder.
func (r *Runtime) Respond(execID string, status int, headers map[string]any, body any) bool {
	v, ok := r.responders.Load(execID)
	if !ok {
		return false
	}
	return v.(*pending).send(rawResponse(status, headers, body))
}

func rawResponse(status int, headers map[string]any, body any) apiResponse {
	if status < 100 || status > 999 {
		status = http.StatusOK
	}
	resp := apiResponse{status: status, header: http.Header{}}
	for k, v := range headers {
		resp.header.Set(k, engine.ToText(v))
	}
	switch b := body.(type) {
	case nil:
	case string:
		resp.body = []byte(b)
	case []byte:
		resp.body = b
	default:
		resp.body, _ = json.Marshal(b)
		if resp.header.Get("Content-Type") == "" {
			resp.header.Set("Content-Type", "application/json")
		}
	}
	return resp
}

func jsonResponse(status int, v any) apiResponse {
	var b []byte
	if m, ok := v.(map[string]any); ok {
		// a flow's answer (Return): the engine's encoder writes what
		// encoding/json would, without reflection (every API Endpoint call)
		b = engine.AppendValue(make([]byte, 0, 256), m)
	} else {
		b, _ = json.Marshal(v)
	}
	return apiResponse{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: b}
}

func (r apiResponse) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	jsonResponse(status, map[string]string{"error": msg}).write(w)
}

// responseOf turns a finished execution into the HTTP answer: Return Raw
// sets status/headers/body, Return answers 200 with its values as JSON.
func responseOf(ex *engine.Execution) apiResponse {
	switch ex.Status {
	case engine.StatusSuccess, engine.StatusPaused: // paused: the Pause card's inputs (engine/pause.go)
		out := ex.Outputs
		var resp apiResponse
		if raw, _ := out["raw"].(bool); raw {
			status := http.StatusOK
			if n, ok := out["statusCode"].(float64); ok && n > 0 {
				status = int(n)
			}
			hdr, _ := out["headers"].(map[string]any)
			resp = rawResponse(status, hdr, out["body"])
		} else {
			if out == nil {
				out = map[string]any{}
			}
			resp = jsonResponse(http.StatusOK, out)
		}
		if ex.Status == engine.StatusPaused {
			resp.header.Set(engine.HeaderExecutionID, ex.ID)
		}
		return resp
	case engine.StatusTimeout:
		return jsonResponse(http.StatusGatewayTimeout, map[string]any{"error": "flow timed out", "execution": ex.ID})
	}
	status := http.StatusInternalServerError
	msg := "flow failed"
	if ex.Error != nil {
		msg = ex.Error.Message
		var ue *engine.UserError
		if errors.As(ex.Error, &ue) && ue.StatusCode >= 400 && ue.StatusCode <= 599 {
			status = ue.StatusCode
		}
	}
	return jsonResponse(status, map[string]any{"error": msg, "execution": ex.ID})
}

// --- API Endpoint flows ---

// EndpointHandler serves /api/flows/{id}/invoke and /api/flo/{id}/invoke.
func (r *Runtime) EndpointHandler() http.Handler { return http.HandlerFunc(r.serveInvoke) }

func flowIDFromPath(p string) (string, bool) {
	for _, pre := range []string{"/api/flows/", "/api/flo/"} {
		if rest, ok := strings.CutPrefix(p, pre); ok {
			id, tail, _ := strings.Cut(rest, "/")
			if id == "" || (tail != "invoke" && tail != "invoke/") {
				return "", false
			}
			return id, true
		}
	}
	return "", false
}

func (r *Runtime) serveInvoke(w http.ResponseWriter, req *http.Request) {
	if id, exec, ok := resumePath(req.URL.Path); ok {
		r.serveResume(w, req, id, exec) // resume.go
		return
	}
	id, ok := flowIDFromPath(req.URL.Path)
	if !ok {
		writeError(w, http.StatusNotFound, "use /api/flows/{flowID}/invoke")
		return
	}
	a, body, ok := r.admitEndpoint(w, req, id)
	if !ok {
		return
	}
	f, err := r.st.Flow(req.Context(), id)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	input, err := endpointInput(f, req, body)
	if err != nil {
		r.m.reject("bad_request")
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	// bounded pool: hand the run to a worker, or 503 when too many wait
	if !r.reserveAPISlot(w) {
		return
	}
	execID := engine.NewID()
	p := &pending{ch: make(chan apiResponse, 1)}
	r.responders.Store(execID, p)
	select {
	case r.apiJobs <- &apiJob{flow: f, input: input, id: execID, p: p}:
		r.apiWaiting.Add(-1)
	case <-req.Context().Done():
		r.apiWaiting.Add(-1)
		r.responders.Delete(execID)
		return
	}
	r.m.accepted(KindAPI, 1)
	r.mu.Lock()
	r.stateLocked(id).lastEvent = r.clk.Now() // "Last call" on the trigger card
	r.mu.Unlock()
	r.awaitAnswer(w, req, a, execID, p)
}

// admitEndpoint runs the checks every call of an API Endpoint flow's URL
// passes, invoke or resume (resume.go): the method, the flow is on, its
// body within maxBody, its endpoint security, its rate limit. On a refusal
// it has answered the caller and ok is false. (It is on the load
// benchmark's hot path: keep it free of allocations of its own.)
func (r *Runtime) admitEndpoint(w http.ResponseWriter, req *http.Request, id string) (a *active, body []byte, ok bool) {
	if req.Method != http.MethodPost && req.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, "use GET or POST")
		return nil, nil, false
	}
	r.mu.RLock()
	a = r.active[id]
	r.mu.RUnlock()
	if a == nil || a.kind != KindAPI {
		r.m.reject("not_found")
		writeError(w, http.StatusNotFound, "no API endpoint flow "+id+" is on")
		return nil, nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
	if err != nil {
		writeBodyError(w, err)
		return nil, nil, false
	}
	if no := r.authorize(req.Context(), req, body, a); no != nil {
		r.m.reject("unauthorized")
		if no.bearer != "" {
			w.Header().Set("WWW-Authenticate", no.bearer)
		}
		writeError(w, no.status, no.msg)
		return nil, nil, false
	}
	if !a.limiter.allow(time.Now()) {
		r.m.reject("rate_limited")
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "rate limit exceeded for this flow")
		return nil, nil, false
	}
	return a, body, true
}

// reserveAPISlot counts a request waiting for an API worker, or answers 503
// when QueueSize already wait (the bounded pool). The caller takes the count
// back (apiWaiting.Add(-1)) once its job is handed over or abandoned.
func (r *Runtime) reserveAPISlot(w http.ResponseWriter) bool {
	if r.apiWaiting.Add(1) > int64(r.opt.QueueSize) {
		r.apiWaiting.Add(-1)
		r.m.reject("queue_full")
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "too many requests in flight; retry")
		return false
	}
	return true
}

// awaitAnswer writes the answer of execution execID (its Return, or 504
// after the flow's timeout: the flow keeps running, the caller is told).
func (r *Runtime) awaitAnswer(w http.ResponseWriter, req *http.Request, a *active, execID string, p *pending) {
	timer := time.NewTimer(a.timeout)
	defer timer.Stop()
	select {
	case resp := <-p.ch:
		resp.write(w)
	case <-timer.C:
		if p.send(apiResponse{}) { // nobody answered: the flow keeps running, the caller is told
			r.m.reject("timeout")
			jsonResponse(http.StatusGatewayTimeout, map[string]any{"error": "flow did not answer within " + a.timeout.String(), "execution": execID}).write(w)
		} else {
			(<-p.ch).write(w)
		}
	case <-req.Context().Done():
		p.send(apiResponse{})
	}
}

// apiJob is one API request's execution.
type apiJob struct {
	flow   *engine.Flow
	input  map[string]any
	id     string
	p      *pending
	resume *engine.ResumeRequest // a paused run's resume request (resume.go)
}

// apiWorker runs API executions. Workers live as long as the runtime, so
// their grown stacks are reused (a goroutine per request pays for stack
// growth on every run).
func (r *Runtime) apiWorker() {
	defer r.workers.Done()
	for {
		var j *apiJob
		select {
		case j = <-r.apiJobs:
		case <-r.apiStop:
			return
		}
		r.slots <- struct{}{}
		if j.resume != nil {
			r.resumeJob(j)
			<-r.slots
			continue
		}
		var ex *engine.Execution
		if r.starter != nil {
			ex = r.runAPIElsewhere(j)
		} else {
			ex, _ = r.exec.Run(r.runCtx, j.flow, j.input, engine.RunOptions{Trigger: KindAPI, ID: j.id})
		}
		<-r.slots
		r.responders.Delete(j.id)
		j.p.send(responseOf(ex))
		r.mu.Lock()
		r.stateLocked(j.flow.ID).lastExec = j.id
		r.mu.Unlock()
	}
}

// secretHeaders are request headers never recorded in history.
func secretHeader(lk string) bool {
	return lk == HeaderClientToken || lk == HeaderSignature || lk == "authorization" || lk == "cookie"
}

// parseBody reads a request body by its content type: a JSON value, or the
// fields of a form (urlencoded or multipart; a field sent twice is a list).
// obj is the body's fields when it is an object or a form.
func parseBody(req *http.Request, body []byte) (parsed any, obj map[string]any) {
	if len(body) == 0 {
		return nil, nil
	}
	var form url.Values
	var mt string
	var params map[string]string
	if ct := req.Header.Get("Content-Type"); strings.Contains(ct, "form") { // JSON bodies skip the parse
		mt, params, _ = mime.ParseMediaType(ct)
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		form, _ = url.ParseQuery(string(body))
	case "multipart/form-data":
		if mr := multipart.NewReader(bytes.NewReader(body), params["boundary"]); params["boundary"] != "" {
			if f, err := mr.ReadForm(maxBody); err == nil {
				form = url.Values(f.Value)
				_ = f.RemoveAll()
			}
		}
	}
	if form != nil {
		obj = make(map[string]any, len(form))
		for k, vs := range form {
			if len(vs) == 1 {
				obj[k] = vs[0]
				continue
			}
			l := make([]any, len(vs))
			for i, v := range vs {
				l[i] = v
			}
			obj[k] = l
		}
		return obj, obj
	}
	if json.Unmarshal(body, &parsed) != nil {
		return nil, nil
	}
	obj, _ = parsed.(map[string]any)
	return parsed, obj
}

// writeBodyError answers a request whose body could not be read: 413 with
// the limit when it is larger than maxBody (it said only "http: request
// body too large"), else 400.
func writeBodyError(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d MB, the most Flowbench takes", tooBig.Limit>>20))
		return
	}
	writeError(w, http.StatusBadRequest, "request body: "+err.Error())
}

// badJSONBody is the 400 message for a body sent as JSON (Content-Type
// application/json or …+json) that is not JSON, "" otherwise. parseBody
// reads such a body as nothing, so without this check the flow ran with
// every body field empty and the caller got 200.
func badJSONBody(req *http.Request, body []byte, parsed any) string {
	if parsed != nil || len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	ct := req.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return ""
	}
	var v any
	err := json.Unmarshal(body, &v)
	if err == nil {
		return "" // null
	}
	return fmt.Sprintf("request body is not valid JSON (Content-Type: %s): %v", ct, err)
}

// FieldName is the request field an API Endpoint / Delegated output reads:
// its key without the "group/" prefix and "#n" suffix of imported flows.
func FieldName(o engine.Field) string {
	name := o.Key
	if g := o.Group; g != "" {
		name = strings.TrimPrefix(name, g+"/")
	}
	if i := strings.IndexByte(name, '#'); i > 0 {
		name = name[:i]
	}
	return name
}

// endpointInput builds the trigger outputs of an API Endpoint / Delegated
// flow: Okta's raw group (headers, body text, query string) plus the flow's
// declared body/headers/query (or inputs) fields by name, converted to
// their declared types. A value that does not convert is an error naming
// the field (the caller gets 400).
func endpointInput(f *engine.Flow, req *http.Request, body []byte) (map[string]any, error) {
	hdr := make(map[string]any, len(req.Header))
	for k, v := range req.Header {
		if lk := strings.ToLower(k); !secretHeader(lk) {
			hdr[lk] = strings.Join(v, ", ")
		}
	}
	q := req.URL.Query()
	q.Del("clientToken")
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "x-okta-workflows") {
			q.Del(k)
		}
	}
	parsed, obj := parseBody(req, body)
	if msg := badJSONBody(req, body, parsed); msg != "" {
		return nil, errors.New(msg)
	}
	in := map[string]any{"headers": hdr, "body": string(body), "query": q.Encode()}
	if obj != nil && f.Trigger.Type == TypeDelegated {
		for k, v := range obj {
			in[k] = v
		}
	}
	for _, o := range f.Trigger.Outputs {
		name := FieldName(o)
		var v any
		found := false
		switch o.Group {
		case "body", "inputs":
			if obj != nil {
				v, found = obj[name]
			}
		case "headers":
			if vs := req.Header.Values(name); len(vs) > 0 && !secretHeader(strings.ToLower(name)) {
				v, found = strings.Join(vs, ", "), true
				if o.Type != nil && o.Type.List {
					v = anyList(vs)
				}
			}
		case "query":
			if vs, ok := q[name]; ok && len(vs) > 0 {
				v, found = vs[0], true
				if o.Type != nil && o.Type.List {
					v = anyList(vs)
				}
			}
		case "":
			// an output added before outputs had groups: a body field, else a query parameter
			if f.Trigger.Type != TypeAPIEndpoint || o.Key == "context" {
				break
			}
			if obj != nil {
				v, found = obj[name]
			}
			if vs, ok := q[name]; !found && ok && len(vs) > 0 {
				v, found = vs[0], true
			}
		case "user context":
			in[o.Key] = req.Header.Get("x-okta-user-id")
		case "raw":
			if o.Key == "body" && parsed != nil && o.Type != nil && o.Type.Kind == engine.KindObject {
				in["body"] = parsed
			}
		}
		if !found {
			continue
		}
		if o.Type != nil {
			c, err := engine.Coerce(v, o.Type)
			if err != nil {
				title := f.Trigger.Title
				if title == "" {
					title = "API Endpoint"
				}
				return nil, fmt.Errorf("%s card, %s field %q (%s): %v", title, o.Group, name, o.Type, err)
			}
			v = c
		}
		in[o.Key] = v
	}
	return in, nil
}

func anyList(vs []string) []any {
	l := make([]any, len(vs))
	for i, v := range vs {
		l[i] = v
	}
	return l
}

// --- rate limiting ---

// limiter is a token bucket: rate per second, burst = max(rate, 1).
type limiter struct {
	mu     sync.Mutex
	rate   float64
	tokens float64
	last   time.Time
}

func newLimiter(rate float64) *limiter {
	return &limiter{rate: rate, tokens: math.Max(rate, 1)}
}

func (l *limiter) allow(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	burst := math.Max(l.rate, 1)
	if !l.last.IsZero() {
		l.tokens = math.Min(burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

// --- event hooks ---

// HookHandler serves /hooks/{provider}/{flowID}: Okta's one-time
// verification GET and event deliveries (POST).
func (r *Runtime) HookHandler() http.Handler { return http.HandlerFunc(r.serveHook) }

func (r *Runtime) serveHook(w http.ResponseWriter, req *http.Request) {
	rest := strings.TrimPrefix(req.URL.Path, "/hooks/")
	name, id, _ := strings.Cut(strings.Trim(rest, "/"), "/")
	p := providerNamed(name)
	if p == nil || id == "" {
		writeError(w, http.StatusNotFound, "use /hooks/{provider}/{flowID} or /hooks/{provider}/connection/{connectionID}")
		return
	}
	if conn, ok := strings.CutPrefix(id, "connection/"); ok {
		r.serveConnectionHook(w, req, p, conn)
		return
	}
	r.mu.RLock()
	a := r.active[id]
	r.mu.RUnlock()
	if a == nil || a.kind != KindEvent || a.provider != p || a.delivery != DeliveryHook {
		r.m.reject("not_found")
		writeError(w, http.StatusNotFound, "no "+name+" event flow "+id+" is listening for hooks")
		return
	}
	if subtle.ConstantTimeCompare([]byte(req.Header.Get(a.header)), []byte(a.secret)) != 1 {
		r.m.reject("unauthorized")
		r.opt.Logf("triggers: flow %q: event hook from %s refused: wrong or missing %s header", a.flow.Name, req.RemoteAddr, a.header)
		writeError(w, http.StatusUnauthorized, "wrong or missing "+a.header+" header")
		return
	}
	body, h, ok := hookDelivery(w, req, p, a.header)
	if !ok {
		return
	}
	n, dups, ok := r.deliver(w, req, p, []*active{a}, h, body)
	if !ok {
		return
	}
	jsonResponse(http.StatusOK, map[string]any{"accepted": n, "duplicates": dups}).write(w)
}

// serveConnectionHook is one event hook for a whole connection (Okta org):
// Okta allows 25 active hooks per org, so one hook subscribed to every
// event type feeds each switched-on event flow on that connection whose
// card matches the event. Its secret belongs to the connection.
func (r *Runtime) serveConnectionHook(w http.ResponseWriter, req *http.Request, p *EventProvider, conn string) {
	// authenticate before anything is written: the secret is only read
	// here (it is created when a flow starts listening on the connection)
	secret, ok := r.hookSecret(p, conn)
	if !ok {
		r.m.reject("not_found")
		writeError(w, http.StatusNotFound, "no "+p.Name+" event flow is listening for hooks on connection "+conn)
		return
	}
	if subtle.ConstantTimeCompare([]byte(req.Header.Get("Authorization")), []byte(secret)) != 1 {
		r.m.reject("unauthorized")
		r.opt.Logf("triggers: connection %q: event hook from %s refused: wrong or missing Authorization header", conn, req.RemoteAddr)
		writeError(w, http.StatusUnauthorized, "wrong or missing Authorization header")
		return
	}
	body, h, ok := hookDelivery(w, req, p, "Authorization")
	if !ok {
		return
	}
	var flows []*active
	r.mu.RLock()
	for _, a := range r.active {
		if a.kind == KindEvent && a.provider == p && a.delivery == DeliveryHook && a.flow.Trigger.Connection == conn {
			flows = append(flows, a)
		}
	}
	r.mu.RUnlock()
	accepted, dups, ok := r.deliver(w, req, p, flows, h, body)
	if !ok {
		return
	}
	jsonResponse(http.StatusOK, map[string]any{"accepted": accepted, "duplicates": dups, "flows": len(flows)}).write(w)
}

// hookDelivery handles what every authorised hook request shares: Okta's
// one-time verification GET (answered here), the method check, and reading
// a POST's body. It returns the body and the headers without the secret;
// ok is false when the request was answered already.
func hookDelivery(w http.ResponseWriter, req *http.Request, p *EventProvider, secretHeader string) ([]byte, http.Header, bool) {
	switch req.Method {
	case http.MethodGet:
		if p.Verify != nil {
			if ans, ok := p.Verify(req); ok {
				jsonResponse(http.StatusOK, ans).write(w)
				return nil, nil, false
			}
		}
		writeError(w, http.StatusBadRequest, "not a verification request")
		return nil, nil, false
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, "use POST")
		return nil, nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
	if err != nil {
		writeBodyError(w, err)
		return nil, nil, false
	}
	h := req.Header.Clone()
	h.Del(secretHeader) // never record the secret
	return body, h, true
}

// deliver parses a hook delivery for each flow and queues its events
// (deduped by event id). On a failure it answers the request itself (400,
// 503 with Retry-After, 500) and returns ok=false; flows handled before the
// failure keep their events, and Okta's retry is deduped.
func (r *Runtime) deliver(w http.ResponseWriter, req *http.Request, p *EventProvider, flows []*active, h http.Header, body []byte) (accepted, dups int, ok bool) {
	for _, a := range flows {
		evs, err := p.Parse(a.flow, h, body)
		if err != nil {
			r.m.reject("bad_request")
			writeError(w, http.StatusBadRequest, err.Error())
			return 0, 0, false
		}
		n, err := r.acceptBatch(req.Context(), a.flow.ID, evs)
		switch {
		case errors.Is(err, errQueueFull):
			w.Header().Set("Retry-After", "5")
			writeError(w, http.StatusServiceUnavailable, "trigger queue is full; retry later")
			return 0, 0, false
		case err != nil:
			writeError(w, http.StatusInternalServerError, err.Error())
			return 0, 0, false
		}
		accepted, dups = accepted+n, dups+len(evs)-n
	}
	return accepted, dups, true
}

// connSecretID names a connection's secrets beside the flows' ones.
func connSecretID(conn string) string { return "connection:" + conn }

// --- state ---

// State is what the UI shows about a flow's trigger.
type State struct {
	Flow       string     `json:"flow"`
	Kind       string     `json:"kind"` // event, schedule, api, helper, manual
	CardType   string     `json:"cardType"`
	Enabled    bool       `json:"enabled"`
	Listening  bool       `json:"listening"`
	Delivery   string     `json:"delivery,omitempty"`  // hook | poll
	EventType  string     `json:"eventType,omitempty"` // e.g. group.user_membership.add
	Endpoint   string     `json:"endpoint,omitempty"`  // invoke URL or hook URL
	AuthHeader string     `json:"authHeader,omitempty"`
	Security   string     `json:"security,omitempty"` // API endpoints: open, medium, hmac, oauth2
	Scope      string     `json:"scope,omitempty"`    // OAuth 2.0: the scope a token needs
	AuthServer string     `json:"authServer,omitempty"`
	Secret     string     `json:"secret,omitempty"` // client token or hook authorization value
	Shared     bool       `json:"shared,omitempty"` // the hook endpoint serves every event flow of the connection
	Schedule   string     `json:"schedule,omitempty"`
	NextRun    *time.Time `json:"nextRun,omitempty"`
	LastEvent  *time.Time `json:"lastEvent,omitempty"`
	LastPoll   *time.Time `json:"lastPoll,omitempty"`
	LastExec   string     `json:"lastExecution,omitempty"`
	Queued     int        `json:"queued"`
	Running    int        `json:"running"`
	Error      string     `json:"error,omitempty"`
	Hint       string     `json:"hint,omitempty"` // signed webhooks: where the app's Request URL goes
	PollError  string     `json:"pollError,omitempty"`
	// Subscription is the vendor webhook subscription (subscribe.go).
	Subscription *SubscriptionState `json:"subscription,omitempty"`
}

// State reports a flow's trigger state.
func (r *Runtime) State(f *engine.Flow) *State {
	s := &State{Flow: f.ID, Kind: Classify(f), CardType: f.Trigger.Type, Enabled: f.Enabled}
	base := ""
	if r.opt.BaseURL != nil {
		base = strings.TrimSuffix(r.opt.BaseURL(), "/")
	}
	r.mu.RLock()
	a := r.active[f.ID]
	if st := r.states[f.ID]; st != nil {
		s.Error, s.PollError, s.LastExec = st.err, st.pollErr, st.lastExec
		if !st.lastEvent.IsZero() {
			t := st.lastEvent
			s.LastEvent = &t
		}
		if !st.lastPoll.IsZero() {
			t := st.lastPoll
			s.LastPoll = &t
		}
	}
	if a != nil {
		s.Listening = true
		s.Delivery = a.delivery
		switch a.kind {
		case KindAPI:
			s.Endpoint = base + "/api/flows/" + url.PathEscape(f.ID) + "/invoke"
			s.Security = a.security
			switch a.security {
			case SecurityToken:
				s.AuthHeader, s.Secret = HeaderClientToken, a.secret
			case SecurityHMAC:
				s.AuthHeader, s.Secret = HeaderSignature, a.secret
			case SecurityOAuth:
				s.AuthHeader, s.Scope, s.AuthServer = "Authorization", a.oauth.Scope, a.oauth.AuthServer
			}
		case KindEvent:
			if a.provider.EventType != nil {
				s.EventType = a.provider.EventType(f.Trigger.Type)
			}
			if a.delivery == DeliveryHook {
				s.Endpoint = base + "/hooks/" + a.provider.Name + "/" + url.PathEscape(f.ID)
				s.AuthHeader, s.Secret = a.header, a.secret
				if conn := f.Trigger.Connection; conn != "" {
					// one hook per org serves every event flow of the connection
					if sec, err := r.secret(connSecretID(conn), "hook"); err == nil {
						s.Endpoint = base + "/hooks/" + a.provider.Name + "/connection/" + url.PathEscape(conn)
						s.AuthHeader, s.Secret, s.Shared = "Authorization", sec, true
					}
				}
				if sh, ok := SignedHookFor(a.provider.Name); ok {
					s.Hint = sh.Hint
					// signed by the vendor with the connection's secret (signedhook.go)
					s.Endpoint = base + "/webhooks/" + a.provider.Name + "/" + url.PathEscape(f.ID)
					if conn := f.Trigger.Connection; conn != "" {
						s.Endpoint = base + "/webhooks/" + a.provider.Name + "/connection/" + url.PathEscape(conn)
					}
					s.AuthHeader, s.Secret, s.Shared = "", "", f.Trigger.Connection != ""
				}
			}
		case KindSchedule:
			s.Schedule = a.schedule.Desc
			if !a.next.IsZero() {
				t := a.next
				s.NextRun = &t
			}
		}
	}
	r.mu.RUnlock()
	_, s.Queued, s.Running = r.d.stats(f.ID)
	s.Subscription = r.SubscriptionStatus(f)
	return s
}

// Healthz answers 200 while the runtime runs.
func (r *Runtime) Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if r.stopped.Load() || !r.started.Load() {
			writeError(w, http.StatusServiceUnavailable, "triggers not running")
			return
		}
		total, _, _ := r.d.stats("")
		r.mu.RLock()
		n := len(r.active)
		r.mu.RUnlock()
		jsonResponse(http.StatusOK, map[string]any{"status": "ok", "listening": n, "queued": total}).write(w)
	})
}

var _ = context.Background
