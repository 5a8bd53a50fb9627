package google

import (
	"context"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

const docBase = "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/"

// Palette families.
const (
	catDirectory = "Google Directory"
	catGmail     = "Gmail"
	catDrive     = "Google Drive"
	catSheets    = "Google Sheets"
	catCalendar  = "Google Calendar"
)

var docPaths = map[string]string{catDirectory: "googledirectory/actions/", catGmail: "gmail/actions/",
	catDrive: "googledrive/actions/", catSheets: "googlesheets/actions/", catCalendar: "googlecalendar/actions/"}

func card(cat, id, okta, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	doc := strings.ToLower(okta[strings.Index(okta, ":")+1:])
	return &engine.Spec{ID: id, Okta: []string{okta}, Title: title, Category: cat, App: "google", Kind: engine.KindAction,
		Connection: KindID, Description: desc, DocURL: docBase + docPaths[cat] + doc + ".htm", Inputs: ins, Outputs: outs, Run: run}
}

func in(group, key, typ string, req bool) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Label: label(key), Group: group, Type: engine.T(typ), Required: req}
}

// inQ is an input whose key is "Group/Key" (the key occurs in several
// groups of Okta's card).
func inQ(group, key, typ string, req bool) engine.FieldSpec {
	return engine.FieldSpec{Key: group + "/" + key, Label: key, Group: group, Type: engine.T(typ), Required: req}
}

func param(key, lbl string, def any, ch ...string) engine.FieldSpec {
	f := engine.FieldSpec{Key: key, Label: lbl, Group: "parameters", Type: engine.T("string"), Default: def}
	for _, c := range ch {
		f.Choices = append(f.Choices, engine.Choice{Value: c, Label: c})
	}
	return f
}

func out(group, key, typ string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Label: label(key), Group: group, Type: engine.T(typ)}
}

func outT(group, key string, t *engine.Type) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Label: label(key), Group: group, Type: t}
}

func label(key string) string {
	if i := strings.Index(key, "/"); i >= 0 {
		return key[i+1:]
	}
	return key
}

// obj builds an object type from "name:type" pairs ("Scopes:string[]").
func obj(fields ...string) *engine.Type {
	m := map[string]*engine.Type{}
	for _, f := range fields {
		name, typ, _ := strings.Cut(f, ":")
		if typ == "" {
			typ = "string"
		}
		m[name] = engine.T(typ)
	}
	return engine.Obj(m)
}

func text(in engine.Inputs, key string) string {
	return strings.TrimSpace(engine.ToText(in.Values[key]))
}

func required(in engine.Inputs, key string) (string, error) {
	v := text(in, key)
	if v == "" {
		return "", engine.InputErrorf(key, "%s is required", label(key))
	}
	return v, nil
}

func seg(s string) string { return url.PathEscape(s) }

// Specs are every Google Workspace card.
func Specs() []*engine.Spec {
	var out []*engine.Spec
	out = append(out, directorySpecs()...)
	out = append(out, gmailSpecs()...)
	out = append(out, driveSpecs()...)
	out = append(out, sheetsSpecs()...)
	out = append(out, calendarSpecs()...)
	out = append(out, gmailEventSpec())
	return out
}

// runner wraps a card body with the connection's client.
func runner(f func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error)) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		c, err := ClientFor(ctx, in)
		if err != nil {
			return nil, err
		}
		return f(ctx, c, in)
	}
}

// call builds a Call that records its attempts on the card.
func call(in engine.Inputs, s *Service, method, path string) *Call {
	c := &Call{Service: s, Method: method, Path: path}
	if in.Run != nil {
		c.Attempt = in.Run.Attempt
	}
	return c
}
