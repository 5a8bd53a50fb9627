package trigger

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Resume URLs of paused runs (engine/pause.go): an API Endpoint flow's
// invoke URL with "invoke" replaced by "resume/{executionID}", as Okta's:
//
//	/api/flo/{flowID}/resume/{executionID}   (and /api/flows/…)
//
// The request passes the same checks as an invoke (the flow is on, its
// endpoint security, its rate limit) before anything is read from the
// store; its JSON body fills the Pause card's outputs by name (Pause Raw:
// the request's headers and body), and it is answered when the run ends
// (its Return, like an invoke) or pauses again.

// resumePath parses a resume URL path (without allocating: every invoke
// passes here first).
func resumePath(p string) (flowID, execID string, ok bool) {
	rest, found := strings.CutPrefix(p, "/api/flows/")
	if !found {
		if rest, found = strings.CutPrefix(p, "/api/flo/"); !found {
			return "", "", false
		}
	}
	flowID, tail, _ := strings.Cut(rest, "/")
	execID, found = strings.CutPrefix(tail, "resume/")
	execID = strings.TrimSuffix(execID, "/")
	if !found || flowID == "" || execID == "" || strings.Contains(execID, "/") {
		return "", "", false
	}
	return flowID, execID, true
}

func (r *Runtime) serveResume(w http.ResponseWriter, req *http.Request, id, execID string) {
	a, body, ok := r.admitEndpoint(w, req, id) // endpoint.go: the invoke's checks
	if !ok {
		return
	}
	if r.starter != nil {
		writeError(w, http.StatusNotImplemented, "Pause is not supported on the Temporal executor: no run of this flow can be paused or resumed")
		return
	}
	if engine.CheckID("execution", execID) != nil {
		writeError(w, http.StatusNotFound, "no execution "+url.PathEscape(execID))
		return
	}
	f, err := r.st.Flow(req.Context(), id)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	rq := engine.ResumeRequest{Body: string(body), Headers: map[string]any{}}
	for k, v := range req.Header {
		if lk := strings.ToLower(k); !secretHeader(lk) {
			rq.Headers[lk] = strings.Join(v, ", ")
		}
	}
	var parsed any
	parsed, rq.Values = parseBody(req, body) // a JSON object or a form; anything else fills no Pause output
	if msg := badJSONBody(req, body, parsed); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	if !r.reserveAPISlot(w) {
		return
	}
	p := &pending{ch: make(chan apiResponse, 1)}
	if _, busy := r.responders.LoadOrStore(execID, p); busy {
		r.apiWaiting.Add(-1)
		jsonResponse(http.StatusConflict, map[string]any{"error": "execution " + execID + " is running or being resumed", "execution": execID}).write(w)
		return
	}
	select {
	case r.apiJobs <- &apiJob{flow: f, id: execID, p: p, resume: &rq}:
		r.apiWaiting.Add(-1)
	case <-req.Context().Done():
		r.apiWaiting.Add(-1)
		r.responders.CompareAndDelete(execID, p)
		return
	}
	r.awaitAnswer(w, req, a, execID, p)
}

// resumeJob runs a resume request on an API worker.
func (r *Runtime) resumeJob(j *apiJob) {
	ex, err := r.exec.ResumePaused(r.runCtx, j.flow, j.id, *j.resume)
	r.responders.CompareAndDelete(j.id, j.p)
	var re *engine.ResumeError
	switch {
	case errors.As(err, &re):
		status, msg := re.Status, re.Msg
		if status == http.StatusConflict {
			// not paused: a run that ended is a conflict, an id no run has (a typo, a
			// resume URL of another data folder) is not found
			if _, gerr := r.st.Execution(j.id); errors.Is(gerr, store.ErrNotFound) {
				status, msg = http.StatusNotFound, "no paused execution "+j.id+" of flow "+j.flow.ID+": no run with that id is kept"
			}
		}
		j.p.send(jsonResponse(status, map[string]any{"error": msg, "execution": j.id}))
		return
	case ex == nil:
		msg := "resume failed"
		if err != nil {
			msg = err.Error()
		}
		j.p.send(jsonResponse(http.StatusInternalServerError, map[string]any{"error": msg, "execution": j.id}))
		return
	}
	j.p.send(responseOf(ex))
	r.mu.Lock()
	r.stateLocked(j.flow.ID).lastExec = j.id
	r.mu.Unlock()
}
