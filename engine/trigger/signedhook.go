package trigger

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/engine"
)

// SignedHook is how a provider's webhooks authenticate when the vendor
// signs its deliveries instead of sending a shared secret header: Slack's
// signing secret (v0 HMAC with a timestamp), GitHub's X-Hub-Signature-256,
// Jira's webhook secret, Microsoft Graph's clientState. Such providers are
// served on /webhooks/{provider}/{flowID} and
// /webhooks/{provider}/connection/{connectionID} (one Request URL for every
// switched-on event flow of a connection, as Slack apps have).
type SignedHook struct {
	// Authenticate checks a delivery with the connection's secrets; an
	// error refuses it (401).
	Authenticate func(ctx context.Context, conn *engine.Connection, r *http.Request, body []byte) error
	// Handshake answers a URL verification request that is not an event
	// (Slack's url_verification, Graph's validationToken); ok=false: not one.
	Handshake func(r *http.Request, body []byte) (status int, contentType string, answer []byte, ok bool)
	// Hint tells where the Request URL goes (State.Hint).
	Hint string
}

var (
	signedMu sync.RWMutex
	signed   = map[string]SignedHook{}
)

// RegisterSignedHook declares that provider's hooks are signed.
func RegisterSignedHook(provider string, s SignedHook) {
	signedMu.Lock()
	signed[provider] = s
	signedMu.Unlock()
}

// SignedHookFor returns a provider's signed-hook declaration.
func SignedHookFor(provider string) (SignedHook, bool) {
	signedMu.RLock()
	defer signedMu.RUnlock()
	s, ok := signed[provider]
	return s, ok
}

// SignedHookHandler serves /webhooks/{provider}/{flowID} and
// /webhooks/{provider}/connection/{connectionID}.
func (r *Runtime) SignedHookHandler() http.Handler { return http.HandlerFunc(r.serveSigned) }

func (r *Runtime) serveSigned(w http.ResponseWriter, req *http.Request) {
	rest := strings.Trim(strings.TrimPrefix(req.URL.Path, "/webhooks/"), "/")
	name, id, _ := strings.Cut(rest, "/")
	p := providerNamed(name)
	sh, ok := SignedHookFor(name)
	if p == nil || !ok || id == "" {
		writeError(w, http.StatusNotFound, "use /webhooks/{provider}/{flowID} or /webhooks/{provider}/connection/{connectionID}")
		return
	}
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	conn, byConn := strings.CutPrefix(id, "connection/")
	var flows []*active
	r.mu.RLock()
	for _, a := range r.active {
		if a.kind != KindEvent || a.provider != p || a.delivery != DeliveryHook {
			continue
		}
		if byConn && a.flow.Trigger.Connection == conn || !byConn && a.flow.ID == id {
			flows = append(flows, a)
		}
	}
	r.mu.RUnlock()
	if len(flows) == 0 {
		r.m.reject("not_found")
		writeError(w, http.StatusNotFound, "no "+name+" event flow is listening on "+id)
		return
	}
	if !byConn {
		conn = flows[0].flow.Trigger.Connection
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
	if err != nil {
		writeBodyError(w, err)
		return
	}
	c, err := r.exec.Connections.Connection(req.Context(), conn)
	if err != nil {
		r.m.reject("unauthorized")
		writeError(w, http.StatusUnauthorized, "the event card's connection "+conn+" is not available: "+err.Error())
		return
	}
	if sh.Authenticate != nil {
		actx := WithSubscriptionSecrets(req.Context(), r.subscriptionSecrets(flows))
		if err := sh.Authenticate(actx, c, req, body); err != nil {
			r.m.reject("unauthorized")
			r.opt.Logf("triggers: %s webhook for %s from %s refused: %v", name, id, req.RemoteAddr, err)
			writeError(w, http.StatusUnauthorized, err.Error())
			return
		}
	}
	if sh.Handshake != nil {
		if status, ct, ans, ok := sh.Handshake(req, body); ok {
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			_, _ = w.Write(ans)
			return
		}
	}
	accepted, dups, ok := r.deliver(w, req, p, flows, req.Header.Clone(), body)
	if !ok {
		return
	}
	jsonResponse(http.StatusOK, map[string]any{"accepted": accepted, "duplicates": dups, "flows": len(flows)}).write(w)
}
