package okta

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Okta builds the profile fields of Read User, Update User, Create User …
// from the org's user schema (its "dynamic fields"). ProfileSchema reads
// that schema through a connection, cached per connection.

// ProfileAttribute is one attribute of an org's user profile.
type ProfileAttribute struct {
	Key         string          `json:"key"`   // the variable name: the card's field key
	Title       string          `json:"title"` // the display name
	Type        string          `json:"type"`  // Flowbench type: string, number, boolean, string[], number[]
	Custom      bool            `json:"custom,omitempty"`
	Required    bool            `json:"required,omitempty"`
	Description string          `json:"description,omitempty"`
	Choices     []engine.Choice `json:"choices,omitempty"`
}

// ProfileSchema is an org's user profile attributes, base ones first.
type ProfileSchema struct {
	Connection string             `json:"connection"`
	Org        string             `json:"org"`
	Fetched    time.Time          `json:"fetched"`
	Attributes []ProfileAttribute `json:"attributes"`
}

type profileEntry struct {
	key    string // what the schema was read with: org URL and connection version
	schema *ProfileSchema
}

var (
	profileMu    sync.Mutex
	profileCache = map[string]*profileEntry{}
)

// UserProfileSchema returns the user profile attributes of conn's org from
// GET /api/v1/meta/schemas/user/default, cached per connection until the
// connection changes or refresh is true.
func UserProfileSchema(ctx context.Context, conn *engine.Connection, refresh bool) (*ProfileSchema, error) {
	if conn == nil || conn.Kind != Kind.ID {
		return nil, fmt.Errorf("profile attributes come from an Okta connection")
	}
	s, err := parseSettings(conn)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", conn.ID, err)
	}
	key := s.base + "\x00" + conn.Updated.String()
	profileMu.Lock()
	e := profileCache[conn.ID]
	profileMu.Unlock()
	if e != nil && e.key == key && !refresh {
		return e.schema, nil
	}
	c, err := clientFor(conn, nil, nil)
	if err != nil {
		return nil, err
	}
	v, _, err := c.JSON(ctx, &Call{Method: "GET", Path: "/api/v1/meta/schemas/user/default"})
	if err != nil {
		var he *engine.HTTPError
		if errors.As(err, &he) && he.Status == 403 {
			return nil, fmt.Errorf("reading the user schema of %s: %w (an OAuth connection needs the okta.schemas.read scope)", s.base, err)
		}
		return nil, fmt.Errorf("reading the user schema of %s: %w", s.base, err)
	}
	ps := &ProfileSchema{Connection: conn.ID, Org: s.base, Fetched: time.Now().UTC(), Attributes: schemaAttributes(v)}
	profileMu.Lock()
	profileCache[conn.ID] = &profileEntry{key: key, schema: ps}
	profileMu.Unlock()
	return ps, nil
}

// schemaAttributes reads a UserSchema document: base attributes in a fixed
// order (Okta's), then custom ones by name.
func schemaAttributes(doc any) []ProfileAttribute {
	var out []ProfileAttribute
	for _, part := range []string{"base", "custom"} {
		props, _ := get(doc, "definitions", part, "properties").(map[string]any)
		req := map[string]bool{}
		if l, ok := get(doc, "definitions", part, "required").([]any); ok {
			for _, r := range l {
				req[engine.ToText(r)] = true
			}
		}
		names := make([]string, 0, len(props))
		for k := range props {
			names = append(names, k)
		}
		slices.SortFunc(names, func(a, b string) int {
			if part == "base" {
				if d := baseRank(a) - baseRank(b); d != 0 {
					return d
				}
			}
			return strings.Compare(strings.ToLower(a), strings.ToLower(b))
		})
		for _, name := range names {
			a, _ := props[name].(map[string]any)
			if a == nil {
				continue
			}
			pa := ProfileAttribute{Key: name, Title: engine.ToText(a["title"]), Type: attrType(a), Custom: part == "custom",
				Required: req[name] || a["required"] == true, Description: engine.ToText(a["description"])}
			if pa.Title == "" {
				pa.Title = name
			}
			pa.Choices = attrChoices(a)
			out = append(out, pa)
		}
	}
	return out
}

var baseOrder = []string{"login", "firstName", "lastName", "middleName", "honorificPrefix", "honorificSuffix", "email",
	"title", "displayName", "nickName", "profileUrl", "secondEmail", "mobilePhone", "primaryPhone", "streetAddress",
	"city", "state", "zipCode", "countryCode", "postalAddress", "preferredLanguage", "locale", "timezone", "userType",
	"employeeNumber", "costCenter", "organization", "division", "department", "managerId", "manager"}

func baseRank(name string) int {
	if i := slices.Index(baseOrder, name); i >= 0 {
		return i
	}
	return len(baseOrder)
}

// attrType maps an Okta attribute type to a Flowbench type.
func attrType(a map[string]any) string {
	scalar := func(t string) string {
		switch t {
		case "boolean":
			return "boolean"
		case "number", "integer":
			return "number"
		}
		return "string"
	}
	t := engine.ToText(a["type"])
	if t == "array" {
		it, _ := a["items"].(map[string]any)
		return scalar(engine.ToText(it["type"])) + "[]"
	}
	return scalar(t)
}

func attrChoices(a map[string]any) []engine.Choice {
	var out []engine.Choice
	if l, ok := a["oneOf"].([]any); ok {
		for _, o := range l {
			if m, ok := o.(map[string]any); ok {
				out = append(out, engine.Choice{Value: m["const"], Label: engine.ToText(m["title"])})
			}
		}
		return out
	}
	if l, ok := a["enum"].([]any); ok {
		for _, v := range l {
			out = append(out, engine.Choice{Value: v, Label: engine.ToText(v)})
		}
	}
	return out
}

// profileSearchTerms turns the profile attribute inputs a user added to List
// Users with Search from the org's schema (inputs of its Inputs section that
// are not the card's own fields) into Okta search terms:
// profile.<key> eq <value>, a list matching any of its values. Empty inputs
// are left out, as Okta's card leaves out empty search fields.
func profileSearchTerms(in engine.Inputs, own []engine.FieldSpec) ([]string, error) {
	mine := map[string]bool{}
	for _, f := range own {
		mine[f.Key] = true
	}
	var keys []string
	if in.Card != nil {
		for _, f := range in.Card.Inputs {
			// only the Inputs section: an input added elsewhere (the Streaming
			// section, a plain "+ input") is not a search term
			if !mine[f.Key] && f.Group == "Inputs" && !slices.Contains(keys, f.Key) {
				keys = append(keys, f.Key)
			}
		}
	}
	var terms []string
	for _, k := range keys {
		if strings.ContainsAny(k, " \"()") {
			return nil, engine.InputErrorf(k, "is not a profile attribute name (search keys have no spaces, quotes or parentheses)")
		}
		lit := func(v any) (string, bool) {
			switch x := v.(type) {
			case nil:
				return "", false
			case string:
				if x == "" {
					return "", false
				}
				return quote(x), true
			case bool:
				return fmt.Sprint(x), true
			case float64, int, int64:
				return engine.ToText(x), true
			}
			return "", false
		}
		v := in.Values[k]
		if l, ok := v.([]any); ok {
			var alts []string
			for _, e := range l {
				if s, ok := lit(e); ok {
					alts = append(alts, "profile."+k+" eq "+s)
				}
			}
			switch len(alts) {
			case 0:
			case 1:
				terms = append(terms, alts[0])
			default:
				terms = append(terms, "("+strings.Join(alts, " or ")+")")
			}
			continue
		}
		if s, ok := lit(v); ok {
			terms = append(terms, "profile."+k+" eq "+s)
		} else if v != nil && v != "" {
			return nil, engine.InputErrorf(k, "searches a profile attribute with text, a number, true/false or a list of them, not an object")
		}
	}
	return terms, nil
}
