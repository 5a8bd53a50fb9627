package engine

import (
	"errors"
	"fmt"
)

// CardError is how a failed card is reported in history and to callers.
type CardError struct {
	Message string `json:"message"`
	Card    string `json:"card,omitempty"`  // card id
	Title   string `json:"title,omitempty"` // card title
	Type    string `json:"type,omitempty"`  // card type id
	Input   string `json:"input,omitempty"` // input key at fault, if any
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"` // Okta errorCode or similar
	Flow    string `json:"flow,omitempty"`
	err     error
}

func (e *CardError) Error() string {
	s := ""
	if e.Flow != "" {
		s = "flow " + e.Flow + ": "
	}
	if e.Card != "" {
		if e.Title != "" {
			s += fmt.Sprintf("card %s %q", e.Card, e.Title)
		} else {
			s += "card " + e.Card
		}
	}
	if e.Input != "" {
		s += fmt.Sprintf(" input %q", e.Input)
	}
	if s != "" {
		s += ": "
	}
	s += e.Message
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.Code != "" {
			s += " " + e.Code
		}
		s += ")"
	}
	return s
}

func (e *CardError) Unwrap() error { return e.err }

// FieldError is returned by cards for a bad input value; the executor turns
// it into a CardError naming the input.
type FieldError struct {
	Key string
	Err error
}

func (e *FieldError) Error() string { return fmt.Sprintf("input %q: %v", e.Key, e.Err) }
func (e *FieldError) Unwrap() error { return e.Err }

// InputErrorf builds a FieldError.
func InputErrorf(key, format string, args ...any) error {
	return &FieldError{Key: key, Err: fmt.Errorf(format, args...)}
}

// HTTPError is returned by cards that call an outside API.
type HTTPError struct {
	Status  int
	Code    string // e.g. Okta errorCode E0000007
	Summary string
	Body    any
}

func (e *HTTPError) Error() string {
	if e.Summary != "" {
		if e.Code != "" {
			return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Summary)
		}
		return fmt.Sprintf("HTTP %d: %s", e.Status, e.Summary)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// RateLimited is true for a 429.
func (e *HTTPError) RateLimited() bool { return e.Status == 429 }

// UserError is raised by Return Error / Return Error If: a deliberate failure.
type UserError struct {
	Message    string
	StatusCode int
}

func (e *UserError) Error() string { return e.Message }

// toCardError enriches err with the card's identity.
func toCardError(err error, c *Card, flowID string) *CardError {
	var ce *CardError
	if errors.As(err, &ce) && ce.Card != "" && ce.Flow == flowID {
		return ce // already names a card of this flow (a card in a branch)
	}
	out := &CardError{Message: err.Error(), Card: c.ID, Title: c.Title, Type: c.Type, Flow: flowID, err: err}
	if ce != nil {
		// a helper flow's failure: this card failed; keep the outside status
		out.Status, out.Code = ce.Status, ce.Code
	}
	var fe *FieldError
	if ce == nil && errors.As(err, &fe) {
		// this card's own field (a helper card's field error stays in the
		// message, under the item and the helper card it belongs to)
		out.Input = fe.Key
		out.Message = fe.Err.Error()
	}
	var he *HTTPError
	if errors.As(err, &he) {
		out.Status, out.Code = he.Status, he.Code
		if he.Summary != "" && errors.Is(err, he) && err == error(he) {
			out.Message = he.Summary // status and code are fields of their own
		}
	}
	var ue *UserError
	if errors.As(err, &ue) {
		out.Status = ue.StatusCode
	}
	return out
}
