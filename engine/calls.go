package engine

import (
	"context"
	"net/http"
)

// RecordedCall is one outside call a card made, with the response it got
// (secrets scrubbed): history keeps them so that "Save as test" can turn an
// execution into a flow test that replays them without the network.
type RecordedCall struct {
	Method    string            `json:"method"`
	URL       string            `json:"url"` // redacted
	Status    int               `json:"status,omitempty"`
	Header    map[string]string `json:"header,omitempty"` // Content-Type, Link
	Body      string            `json:"body,omitempty"`
	Truncated bool              `json:"truncated,omitempty"` // the body was longer than MaxRecordedBody
	Error     string            `json:"error,omitempty"`     // no response came
}

// MaxRecordedBody bounds the response body history keeps per call.
var MaxRecordedBody = 256 << 10

type callSinkKey struct{}

type callSink struct {
	r   *run
	idx int
}

// withCallSink makes outside calls made with ctx land in card idx's record.
func (r *run) withCallSink(ctx context.Context, idx int) context.Context {
	return context.WithValue(ctx, callSinkKey{}, &callSink{r: r, idx: idx})
}

// RecordCall adds an outside call to the record of the card running with
// ctx (the HTTP client calls it once per call, with the final response).
func RecordCall(ctx context.Context, c RecordedCall) {
	s, _ := ctx.Value(callSinkKey{}).(*callSink)
	if s == nil {
		return
	}
	if len(c.Body) > MaxRecordedBody {
		c.Body, c.Truncated = c.Body[:MaxRecordedBody], true
	}
	s.r.mu.Lock()
	rec := &s.r.ex.Cards[s.idx]
	rec.Calls = append(rec.Calls, s.r.sec.call(c))
	s.r.mu.Unlock()
}

type transportKey struct{}

// WithTransport makes the HTTP client send every outside call made with ctx
// through rt instead of the network (flow tests replay recorded responses).
func WithTransport(ctx context.Context, rt http.RoundTripper) context.Context {
	return context.WithValue(ctx, transportKey{}, rt)
}

// TransportFrom returns the round tripper WithTransport set, or nil.
func TransportFrom(ctx context.Context) http.RoundTripper {
	rt, _ := ctx.Value(transportKey{}).(http.RoundTripper)
	return rt
}

// CardID is the id of the card running with ctx ("" outside a card): the
// replay transport of flow tests matches calls by card.
func CardID(ctx context.Context) string {
	s, _ := ctx.Value(callSinkKey{}).(*callSink)
	if s == nil {
		return ""
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	return s.r.ex.Cards[s.idx].ID
}
