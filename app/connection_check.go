package app

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// `flowbench connection add` files each KEY=VALUE where the connection
// form would: a setting or secret the kind declares (typed as declared), or
// ENV:KEY for the connection's staging/prod binding (environments.go). A key
// the kind does not declare is refused, naming the keys it has (a typo such
// as domian= was stored as a setting nobody reads, prod:apiToken= as a plain
// setting shown by list).

// placeSetting stores KEY=VALUE into conn.
func placeSetting(kind *engine.ConnectionKind, conn *engine.Connection, key, value string) error {
	env, k, scoped := strings.Cut(key, ":")
	if !scoped {
		env, k = "", key
	} else if env == "dev" || checkEnv(env) != nil {
		return fmt.Errorf("%q: %q is not an environment to bind (use staging or prod; dev is the connection's own settings)", key, env)
	}
	if fieldSpec(kind.Secrets, k) != nil {
		if env != "" {
			k = env + ":" + k
		}
		conn.Secrets[k] = value
		return nil
	}
	fs := fieldSpec(kind.Fields, k)
	if fs == nil || k == EnvConfigKey {
		return fmt.Errorf("%s connections have no setting %q; settings: %s; secrets: %s", kind.ID, k, keysOf(kind.Fields), keysOf(kind.Secrets))
	}
	v, err := typedSetting(fs, value)
	if err != nil {
		return fmt.Errorf("%s (%s): %w", k, fs.Label, err)
	}
	if env == "" {
		conn.Config[k] = v
		return nil
	}
	envs, _ := conn.Config[EnvConfigKey].(map[string]any)
	if envs == nil {
		envs = map[string]any{}
		conn.Config[EnvConfigKey] = envs
	}
	over, _ := envs[env].(map[string]any)
	if over == nil {
		over = map[string]any{}
		envs[env] = over
	}
	over[k] = v
	return nil
}

// typedSetting converts a typed value to the field's type (dpop=true is a
// boolean, concurrencyLimit=10 a number) and checks it is one of its choices.
func typedSetting(fs *engine.FieldSpec, value string) (any, error) {
	var v any = value
	if fs.Type != nil {
		switch fs.Type.Kind {
		case engine.KindBoolean:
			b, err := engine.ToBool(value)
			if err != nil {
				return nil, fmt.Errorf("%q is not true or false", value)
			}
			v = b
		case engine.KindNumber, engine.KindInteger:
			n, err := engine.ToNumber(value)
			if err != nil {
				return nil, fmt.Errorf("%q is not a number", value)
			}
			v = n
		}
	}
	if len(fs.Choices) > 0 && !slices.ContainsFunc(fs.Choices, func(c engine.Choice) bool { return fmt.Sprint(c.Value) == fmt.Sprint(v) }) {
		vals := make([]string, len(fs.Choices))
		for i, c := range fs.Choices {
			vals[i] = fmt.Sprint(c.Value)
		}
		return nil, fmt.Errorf("%q is not one of %s", value, strings.Join(vals, ", "))
	}
	return v, nil
}

// missingSettings are the keys (and labels) of the required settings and secrets of
// the chosen auth method that conn lacks (a secret kept from the connection
// it replaces, old, counts).
func missingSettings(kind *engine.ConnectionKind, conn, old *engine.Connection) []string {
	method := ""
	if sel := authSelector(kind); sel != nil {
		method = fmt.Sprint(conn.Config[sel.Key])
		if _, set := conn.Config[sel.Key]; !set {
			method = fmt.Sprint(sel.Default)
			if sel.Default == nil {
				method = fmt.Sprint(sel.Choices[0].Value)
			}
		}
	}
	applies := func(fs *engine.FieldSpec) bool {
		return fs.Required && (fs.Group == "" || slices.Contains(strings.FieldsFunc(fs.Group, func(r rune) bool { return r == ',' || r == '|' }), method))
	}
	var out []string
	for i := range kind.Fields {
		fs := &kind.Fields[i]
		if v, set := conn.Config[fs.Key]; applies(fs) && fs.Default == nil && (!set || strings.TrimSpace(fmt.Sprint(v)) == "") {
			out = append(out, fmt.Sprintf("%s (%s)", fs.Key, fs.Label))
		}
	}
	for i := range kind.Secrets {
		fs := &kind.Secrets[i]
		if applies(fs) && conn.Secrets[fs.Key] == "" && (old == nil || old.Secrets[fs.Key] == "") {
			out = append(out, fmt.Sprintf("%s (%s)", fs.Key, fs.Label))
		}
	}
	return out
}

// authSelector is the kind's auth method field (the form's selector).
func authSelector(kind *engine.ConnectionKind) *engine.FieldSpec {
	var first *engine.FieldSpec
	for i := range kind.Fields {
		fs := &kind.Fields[i]
		if len(fs.Choices) == 0 {
			continue
		}
		if k := strings.ToLower(fs.Key); strings.Contains(k, "auth") || strings.Contains(k, "method") {
			return fs
		}
		if first == nil {
			first = fs
		}
	}
	return first
}

func fieldSpec(list []engine.FieldSpec, key string) *engine.FieldSpec {
	for i := range list {
		if list[i].Key == key {
			return &list[i]
		}
	}
	return nil
}

func keysOf(list []engine.FieldSpec) string {
	ks := make([]string, len(list))
	for i, f := range list {
		ks[i] = f.Key
	}
	if len(ks) == 0 {
		return "none"
	}
	return strings.Join(ks, ", ")
}

// badInput is an error in what the person gave (a file to import, a
// connection without a name): the HTTP API answers 400, not 500.
type badInput struct{ error }

func (badInput) HTTPStatus() int { return http.StatusBadRequest }

func (e badInput) Unwrap() error { return e.error }
