package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// APIMethods are the App methods the browser UI may call over HTTP, the same
// set the desktop window uses through the Wails bindings. Anything else on
// *App is not reachable (its plumbing is unexported for the Wails binding too).
var APIMethods = []string{
	"ListFlows", "GetFlow", "CreateFlow", "SaveFlow", "ValidateFlow", "DuplicateFlow", "RenameFlow",
	"MoveFlow", "DeleteFlow", "SetFlowEnabled", "RunFlow", "RunDraft", "SampleInput", "ListExecutions",
	"GetExecution", "Cards", "TestCard", "ListConnections", "ConnectionKinds", "SaveConnection",
	"DeleteConnection", "TestConnection", "AuthorizeConnection", "GenerateKeyPair", "ImportText", "ExportFlow", "ExportFolder",
	"Info", "Rendered", "TriggerStatus", "RotateTriggerSecret", "BindConnection", "ListTables", "TableRows",
	"CreateTable", "SaveTable", "CopyTable", "DeleteTable", "TableUsers", "AddTableRow", "UpdateTableRow",
	"DeleteTableRow", "TableRowCount", "TableRowPage", "SearchTableRows", "PreviewTableCSV", "ImportTableCSV", "ExportTableCSV",
	"HelperFlows", "CreateHelperFlow", "UserProfileSchema", "FieldChoices", "ResumeExecution", "HistoryUsage",
	"FlowVersions", "GetFlowVersion", "DiffFlowVersions", "RestoreFlowVersion",
	"ResumePlan", "ResumeRun", "RerunExecution", "ExecutionAttempts",
	"SaveExecutionAsTest", "RunFlowTests", "TestStatuses", "DeleteFlowTest", "ExportFlowTests",
	"Environments", "SetEnvironment", "FlowEnvironment", "SetFlowEnvironment", "RunTargets",
	"ResumePaused", "ConnectionUsers", "FlowPlaceholders", "CancelExecution",
}

// maxBody bounds one API request (imports carry whole files).
const maxBody = 64 << 20

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// apiHandler dispatches POST /api/{Method} to *App by reflection.
type apiHandler struct {
	app     *App
	token   string
	methods map[string]reflect.Value
}

func newAPIHandler(a *App, token string) (*apiHandler, error) {
	h := &apiHandler{app: a, token: token, methods: map[string]reflect.Value{}}
	v := reflect.ValueOf(a)
	for _, name := range APIMethods {
		m := v.MethodByName(name)
		if !m.IsValid() {
			return nil, fmt.Errorf("app: API method %s does not exist on *App", name)
		}
		t := m.Type()
		if t.NumOut() == 0 || t.NumOut() > 2 || !t.Out(t.NumOut()-1).Implements(errorType) {
			return nil, fmt.Errorf("app: API method %s must return (T, error) or error", name)
		}
		h.methods[name] = m
	}
	return h, nil
}

func (h *apiHandler) authorized(r *http.Request) bool {
	var got string
	if auth := r.Header.Get("Authorization"); auth != "" {
		// only the Bearer scheme (RFC 6750; the scheme name is case-insensitive)
		scheme, tok, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return false
		}
		got = tok
	} else {
		got = r.URL.Query().Get("token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(h.token)) == 1
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

func (h *apiHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ok, why := h.authorize(r); !ok {
		status := http.StatusUnauthorized
		if strings.HasPrefix(why, "cross-site") {
			status = http.StatusForbidden
		}
		writeErr(w, status, "%s", why)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeErr(w, http.StatusMethodNotAllowed, "use POST with a JSON array of arguments")
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/api/")
	m, ok := h.methods[name]
	if !ok {
		writeErr(w, http.StatusNotFound, "no API method %q", name)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeErr(w, http.StatusRequestEntityTooLarge, "request body: %v", err)
		return
	}
	args, err := decodeArgs(m.Type(), body)
	if err != nil {
		writeErr(w, http.StatusBadRequest, "%s: %v", name, err)
		return
	}
	out, err := call(m, args)
	if err != nil {
		writeErr(w, statusOf(err), "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// decodeArgs reads a JSON array into the method's parameter types; missing
// trailing arguments are zero values, extra ones are an error.
func decodeArgs(t reflect.Type, body []byte) ([]reflect.Value, error) {
	var raw []json.RawMessage
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON array: %v", err)
		}
	}
	if len(raw) > t.NumIn() {
		return nil, fmt.Errorf("takes %d arguments, got %d", t.NumIn(), len(raw))
	}
	args := make([]reflect.Value, t.NumIn())
	for i := range args {
		p := reflect.New(t.In(i))
		if i < len(raw) && !bytes.Equal(bytes.TrimSpace(raw[i]), []byte("null")) {
			dec := json.NewDecoder(bytes.NewReader(raw[i]))
			if err := dec.Decode(p.Interface()); err != nil {
				return nil, fmt.Errorf("argument %d (%s): %v", i+1, t.In(i), err)
			}
		}
		args[i] = p.Elem()
	}
	return args, nil
}

// call invokes m, turning a panic into an error so one bad request cannot
// take the server down.
func call(m reflect.Value, args []reflect.Value) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	outs := m.Call(args)
	if e := outs[len(outs)-1]; !e.IsNil() {
		return nil, e.Interface().(error)
	}
	if len(outs) == 2 {
		return outs[0].Interface(), nil
	}
	return map[string]bool{"ok": true}, nil
}

// statusOf maps app errors to HTTP statuses: "not found" → 404, bad input
// → 400, anything else 500.
func statusOf(err error) int {
	var se interface{ HTTPStatus() int }
	if errors.As(err, &se) {
		return se.HTTPStatus()
	}
	if errors.Is(err, fs.ErrNotExist) {
		return http.StatusNotFound
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "not found"):
		return http.StatusNotFound
	case strings.Contains(msg, "invalid") || strings.Contains(msg, "required") || strings.Contains(msg, "bad "):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// NewHTTPHandler is the whole browser UI: the built frontend at / and the
// API at /api/.
func NewHTTPHandler(a *App, token string, assets fs.FS) (http.Handler, error) {
	api, err := newAPIHandler(a, token)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	// routes of optional parts (trigger endpoints, event hooks, metrics)
	// have their own authentication (flow tokens, hook secrets)
	for _, r := range routes {
		mux.Handle(r.Pattern, r.Handler(a))
	}
	if assets != nil {
		files := http.FileServerFS(assets)
		mux.Handle("/", securityHeaders(withSessionCookie(token, files)))
	}
	return mux, nil
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if r.URL.Path == "/" || strings.HasSuffix(r.URL.Path, ".html") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// RandomToken returns 32 hex characters from crypto/rand.
func RandomToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// Serve runs the browser UI on addr (127.0.0.1 when no host is given) until
// ctx ends. It prints "Flowbench serving on http://ADDR/?token=TOKEN" to out
// once listening, with the real port when addr ends in :0.
func Serve(ctx context.Context, a *App, addr string, token string, assets fs.FS, out io.Writer) error {
	if token == "" {
		token = RandomToken()
	} else if err := CheckServeToken(token); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	h, err := NewHTTPHandler(a, token, assets)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: guard(h, ln.Addr()), ReadHeaderTimeout: 10 * time.Second}
	if a != nil && a.Store != nil {
		a.Store.NoteHolder(fmt.Sprintf("flowbench serve at http://%s/", ln.Addr())) // named when another command finds the data directory in use
	}
	if out != nil {
		fmt.Fprintf(out, "Flowbench serving on http://%s/?token=%s\n", ln.Addr(), token)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
