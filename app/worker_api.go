package app

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/temporal"
)

// The worker API: `flowbench worker` processes (Temporal workers) read
// flows and connections from the serve node and post execution records to
// its history. It answers only when serve runs with --temporal, and only
// with the worker token (Bearer), which is not the UI's token: a worker
// never gets the UI's API.
func init() {
	RegisterRoute(Route{Pattern: "/api/worker/", Handler: func(a *App) http.Handler { return workerAPI{a} }})
}

var workerTokens sync.Map // *App -> worker token (serve --temporal)

// enableWorkerAPI turns the worker API on for a with the token.
func enableWorkerAPI(a *App, token string) { workerTokens.Store(a, token) }

type workerAPI struct{ a *App }

func (h workerAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, ok := workerTokens.Load(h.a)
	if !ok {
		writeErr(w, http.StatusForbidden, "the worker API is on only when serve runs with --temporal")
		return
	}
	scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(v.(string))) != 1 {
		writeErr(w, http.StatusUnauthorized, "missing or wrong worker token (flowbench worker --token, or FLOWBENCH_WORKER_TOKEN)")
		return
	}
	ctx := r.Context()
	switch r.URL.Path {
	case temporal.PathFlow, temporal.PathConnection:
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeErr(w, http.StatusMethodNotAllowed, "use GET")
			return
		}
		id := r.URL.Query().Get("id")
		kind := "connection"
		if r.URL.Path == temporal.PathFlow {
			kind = "flow"
		}
		if err := engine.CheckID(kind, id); err != nil {
			writeErr(w, http.StatusBadRequest, "%v", err)
			return
		}
		var out any
		var err error
		if kind == "flow" {
			out, err = h.a.Store.Flow(ctx, id)
		} else {
			out, err = h.a.Store.Connection(ctx, id)
		}
		if errors.Is(err, store.ErrNotFound) {
			writeErr(w, http.StatusNotFound, "%s", err)
			return
		}
		if err != nil {
			writeErr(w, http.StatusInternalServerError, "%s", err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	case temporal.PathPing:
		writeJSON(w, http.StatusOK, map[string]string{"version": Version})
	case temporal.PathHistory:
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeErr(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		var execs []*engine.Execution
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&execs); err != nil {
			writeErr(w, http.StatusBadRequest, "history: %v", err)
			return
		}
		for _, ex := range execs {
			if ex == nil || engine.CheckID("execution", ex.ID) != nil || engine.CheckID("flow", ex.Flow) != nil {
				writeErr(w, http.StatusBadRequest, "history: a record without a valid execution or flow id")
				return
			}
		}
		for _, ex := range execs {
			h.a.Store.Save(ex)
		}
		h.a.Store.Flush()
		writeJSON(w, http.StatusOK, map[string]int{"saved": len(execs)})
	case temporal.PathTables:
		// the one writer of Tables on a cluster: this node's store
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeErr(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		var call temporal.TablesCall
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&call); err != nil {
			writeErr(w, http.StatusBadRequest, "tables: %v", err)
			return
		}
		writeJSON(w, http.StatusOK, temporal.ServeTables(ctx, h.a.Store, call))
	default:
		writeErr(w, http.StatusNotFound, "no worker API %q", r.URL.Path)
	}
}
