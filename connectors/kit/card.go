package kit

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// Card declares one action card: identity and fields (Okta's export keys),
// then either data (Method, Path, Query, Body, Out) or hooks (Request,
// Output) or one Run for an API that needs code.
type Card struct {
	// Okta is the card's kind in Okta's exports ("slack:sendMessageToChannel2").
	Okta string
	// More Okta kinds the same card implements (a suffixed namespace).
	Also []string
	// ID is the native id; default "<connector>.<method>".
	ID          string
	Title       string
	Description string
	Doc         string // page under the connector's DocBase, or a full URL
	Inputs      []engine.FieldSpec
	Outputs     []engine.FieldSpec
	// ExtensibleInputs / ExtensibleOutputs: the person adds fields (a
	// record's fields, an instance's custom fields), as engine.Spec.
	ExtensibleInputs, ExtensibleOutputs bool
	// ExtensibleGroups limits added inputs to these groups (engine.Spec).
	ExtensibleGroups []string

	// Data: Method and Path ("/users/{userKey}": {key} is the input of that
	// key, path-escaped); Query and Body map an API parameter to an input key
	// (empty inputs are left out); Out maps an output key to a dotted path in
	// the response body ("user.profile.email").
	Method string
	Path   string
	Query  map[string]string
	Body   map[string]string
	// Form sends Body as a form instead of JSON (Slack's older methods).
	Form bool
	Out  map[string]string

	// Request builds the call itself (instead of Method/Path/Query/Body).
	Request func(in *In) (*Call, error)
	// Output maps the result itself (instead of Out); r is the last result.
	Output func(in *In, r *Result) (engine.Outputs, error)
	// Run replaces everything: the card's whole behaviour.
	Run func(ctx context.Context, in *In) (engine.Outputs, error)
}

// In is what a kit card's hooks get: the inputs, the connection's client
// and helpers that name the card's fields in their errors.
type In struct {
	engine.Inputs
	Client *Client
	Card   *Card
}

// Text is an input as trimmed text ("" when unset).
func (in *In) Text(key string) string { return strings.TrimSpace(engine.ToText(in.Values[key])) }

// Required is a text input that must not be empty.
func (in *In) Required(key string) (string, error) {
	s := in.Text(key)
	if s == "" {
		return "", engine.InputErrorf(key, "is required")
	}
	return s, nil
}

// Bool reads a Yes/No, true/false input (def when unset).
func (in *In) Bool(key string, def bool) bool {
	v := in.Values[key]
	if v == nil {
		return def
	}
	if s, ok := v.(string); ok {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "yes", "true":
			return true
		case "no", "false":
			return false
		case "":
			return def
		}
	}
	b, err := engine.ToBool(v)
	if err != nil {
		return def
	}
	return b
}

// Do sends a call for the card: attempts go to the card's history and the
// card's retry override applies.
func (in *In) Do(ctx context.Context, call *Call) (*Result, error) {
	if call.OnAttempt == nil && in.Run != nil {
		call.OnAttempt = in.Run.Attempt
	}
	if call.Policy == nil {
		call.Policy = httpx.CardPolicy(in.Inputs.Card)
	}
	return in.Client.Do(ctx, call)
}

// Spec turns the declaration into the engine card.
func (cd *Card) Spec(c *Connector) *engine.Spec {
	if cd.Okta == "" || cd.Title == "" {
		panic("kit: a card needs its Okta kind and a Title")
	}
	id := cd.ID
	if id == "" {
		id = c.ID + "." + cd.Okta[strings.Index(cd.Okta, ":")+1:]
	}
	doc := cd.Doc
	if doc != "" && !strings.Contains(doc, "://") {
		doc = c.DocBase + doc
	}
	s := &engine.Spec{ID: id, Okta: append([]string{cd.Okta}, cd.Also...), Title: cd.Title, Category: c.Category, App: c.ID,
		Kind: engine.KindAction, Connection: c.ID, Description: cd.Description, DocURL: doc, Inputs: cd.Inputs, Outputs: cd.Outputs,
		ExtensibleInputs: cd.ExtensibleInputs, ExtensibleOutputs: cd.ExtensibleOutputs, ExtensibleGroups: cd.ExtensibleGroups}
	s.Run = func(ctx context.Context, ein engine.Inputs) (engine.Outputs, error) {
		cl, err := c.ClientFor(ctx, ein)
		if err != nil {
			return nil, err
		}
		in := &In{Inputs: ein, Client: cl, Card: cd}
		if cd.Run != nil {
			return cd.Run(ctx, in)
		}
		var call *Call
		if cd.Request != nil {
			if call, err = cd.Request(in); err != nil {
				return nil, err
			}
		} else if call, err = cd.dataCall(in); err != nil {
			return nil, err
		}
		r, err := in.Do(ctx, call)
		if err != nil {
			return nil, err
		}
		if cd.Output != nil {
			return cd.Output(in, r)
		}
		out := engine.Outputs{}
		for k, p := range cd.Out {
			out[k] = Dig(r.Body, p)
		}
		return out, nil
	}
	return s
}

// dataCall builds the call from Method/Path/Query/Body.
func (cd *Card) dataCall(in *In) (*Call, error) {
	path := cd.Path
	for strings.Contains(path, "{") {
		i := strings.Index(path, "{")
		j := strings.Index(path[i:], "}")
		if j < 0 {
			break
		}
		key := path[i+1 : i+j]
		v, err := in.Required(key)
		if err != nil {
			return nil, err
		}
		path = path[:i] + url.PathEscape(v) + path[i+j+1:]
	}
	call := &Call{Method: cd.Method, Path: path}
	if len(cd.Query) > 0 {
		call.Query = url.Values{}
		for _, p := range sortedKeys(cd.Query) {
			if v := in.Text(cd.Query[p]); v != "" {
				call.Query.Set(p, v)
			}
		}
	}
	if len(cd.Body) > 0 {
		if cd.Form {
			call.Form = url.Values{}
			for _, p := range sortedKeys(cd.Body) {
				if v := in.Text(cd.Body[p]); v != "" {
					call.Form.Set(p, v)
				}
			}
		} else {
			body := map[string]any{}
			for p, k := range cd.Body {
				if v, ok := in.Values[k]; ok && !engine.IsEmpty(v) {
					body[p] = v
				}
			}
			call.JSON = body
		}
	}
	return call, nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Field helpers, as the Okta connector writes its cards.

// Input is an input field in a group.
func Input(group, key, typ string, required bool, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Required: required, Label: label}
}

// Param is a dropdown option of the card (Okta's "parameters" group).
func Param(key, label string, def any, choices ...string) engine.FieldSpec {
	f := engine.FieldSpec{Key: key, Group: "parameters", Type: engine.T("string"), Label: label, Default: def}
	for _, c := range choices {
		f.Choices = append(f.Choices, engine.Choice{Value: c, Label: c})
	}
	return f
}

// Output is an output field in a group.
func Output(group, key, typ string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: key}
}

// Errorf is an error naming an input field.
func Errorf(key, format string, args ...any) error { return engine.InputErrorf(key, format, args...) }

var _ = fmt.Sprintf
