package functions

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/engine"
)

// Object cards (Okta kernel module "object"). Field keys are Okta's export keys.

const olHelp = "https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/"

func init() {
	for _, s := range objectCards() {
		engine.Register(s)
	}
}

func objectCards() []*engine.Spec {
	obj := engine.T("object")
	anyT := engine.T("any")
	return []*engine.Spec{
		{ID: "object.construct", Okta: []string{"object:construct"}, Title: "Construct", Category: "Object", Kind: engine.KindFunction,
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "output", Type: obj}},
			DocURL: olHelp + "Object/object_construct.htm",
			Description: "Builds an object whose keys are the names of the inputs you add and whose values are those inputs, with their declared types. " +
				"An input left unset gives its key the value null. Nest objects by chaining Construct cards.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				out := make(map[string]any, len(in.Values))
				for k, v := range in.Values {
					out[k] = v
				}
				return engine.Outputs{"output": out}, nil
			}},
		{ID: "object.get", Okta: []string{"object:get"}, Title: "Get", Category: "Object", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{{Key: "object", Type: anyT, Required: true}, {Key: "path", Type: engine.T("string"), Required: true}},
			Outputs: []engine.FieldSpec{{Key: "output", Type: anyT}},
			DocURL:  olHelp + "Object/object_get.htm",
			Description: "The value at a key or dot path of the object (`all.2.b`: numeric segments index lists from 0, negative ones from the end). " +
				"A key that itself contains dots is found when it exists as written. A missing key or index gives null. The object may also be a list, or JSON text.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				o, err := olContainer("object", in.Values["object"])
				if err != nil {
					return nil, err
				}
				p, _ := in.Values["path"].(string)
				return engine.Outputs{"output": olLookup(o, p)}, nil
			}},
		{ID: "object.getMultiple", Okta: []string{"object:pick"}, Title: "Get Multiple", Category: "Object", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "object", Type: anyT, Required: true}}, ExtensibleOutputs: true,
			DocURL: olHelp + "Object/object_pick.htm",
			Description: "Reads several values at once: add one output per value; each output's key is a key name or dot path (`user.name`, `parts.1.partno`, `0.type` for a list). " +
				"Numeric segments index lists from 0. A missing path gives null.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				o, err := olContainer("object", in.Values["object"])
				if err != nil {
					return nil, err
				}
				out := make(engine.Outputs, len(in.Card.Outputs))
				for i := range in.Card.Outputs {
					k := in.Card.Outputs[i].Key
					out[k] = olLookup(o, k)
				}
				return out, nil
			}},
		{ID: "object.expand", Okta: []string{"object:expand"}, Title: "Expand", Category: "Object", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "object", Type: anyT}}, ExtensibleOutputs: true,
			Description: "Hidden helper: extracts sub-values of an object output (Okta creates it when a key of an object is dragged out). " +
				"Each declared output is one extracted value. Its path comes from the output field's Group: either a JSON array of segments " +
				"(`[\"debugContext\",\"debugData\",\"factor\"]`, exact even when a key contains a dot) or a dot path (`profile.login`); " +
				"when Group is empty the output's Key is the dot path. Numeric segments index lists (negative from the end). " +
				"Output keys must be unique on the card (e.g. Okta's group id). An output whose Key ends in `#key` yields the path itself " +
				"as a list of text (Okta's per-group `key` field). A missing path gives null; values are passed on unconverted.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				o, err := olContainer("object", in.Values["object"])
				if err != nil {
					return nil, err
				}
				out := make(engine.Outputs, len(in.Card.Outputs))
				for i := range in.Card.Outputs {
					f := &in.Card.Outputs[i]
					path, err := olExpandPath(f)
					if err != nil {
						return nil, err
					}
					if strings.HasSuffix(f.Key, "#key") {
						l := make([]any, len(path))
						for j, p := range path {
							l[j] = p
						}
						out[f.Key] = l
						continue
					}
					v, _ := engine.Get(o, path)
					out[f.Key] = v
				}
				return out, nil
			}},
		{ID: "object.set", Okta: []string{"object:set"}, Title: "Set", Category: "Object", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "object", Type: obj}, {Key: "path", Type: engine.T("string"), Required: true},
				{Key: "value", Type: anyT}},
			Outputs: []engine.FieldSpec{{Key: "output", Type: obj}},
			DocURL:  olHelp + "Object/object_set.htm",
			Description: "A copy of the object with the value set at a key or dot path; missing objects along the path are created, an existing key is replaced. " +
				"A numeric segment on an existing list sets that item (negative from the end; the index equal to the length appends). The input object is not changed. An empty object input starts from {}.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				p, _ := in.Values["path"].(string)
				if p == "" {
					return nil, engine.InputErrorf("path", "a key or path is required")
				}
				var o any = map[string]any{}
				if m, ok := in.Values["object"].(map[string]any); ok {
					o = m
				}
				out, err := olSet(o, olSplit(p), in.Values["value"])
				if err != nil {
					return nil, engine.InputErrorf("path", "%v", err)
				}
				return engine.Outputs{"output": out}, nil
			}},
		{ID: "object.merge", Okta: []string{"object:merge"}, Title: "Merge", Category: "Object", Kind: engine.KindFunction,
			Inputs:           []engine.FieldSpec{{Key: "start", Label: "object 1", Type: obj}, {Key: "sink", Label: "object 2", Type: obj}},
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "output", Type: obj}},
			DocURL: olHelp + "Object/object_merge.htm",
			Description: "One object holding every key of the inputs (object 1, object 2, then any objects you add, in card order). When a key occurs in several, " +
				"the value of the last object wins. The merge is shallow: nested objects are replaced, not combined. Empty inputs are skipped.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				keys := []string{"start", "sink"}
				for i := range in.Card.Inputs {
					if k := in.Card.Inputs[i].Key; k != "start" && k != "sink" {
						keys = append(keys, k)
					}
				}
				out := map[string]any{}
				for _, k := range keys {
					v := in.Values[k]
					if v == nil {
						continue
					}
					m, err := olObject(k, v)
					if err != nil {
						return nil, err
					}
					for mk, mv := range m {
						out[mk] = mv
					}
				}
				return engine.Outputs{"output": out}, nil
			}},
		{ID: "object.keys", Okta: []string{"object:keys"}, Title: "Keys", Category: "Object", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{{Key: "object", Type: obj, Required: true}},
			Outputs:     []engine.FieldSpec{{Key: "keys", Type: engine.T("string[]")}},
			DocURL:      olHelp + "Object/object_keys.htm",
			Description: "The object's top-level key names, sorted alphabetically (key order is not kept in stored JSON, so a stable order is used).",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				m, _ := in.Values["object"].(map[string]any)
				keys := olSortedKeys(m)
				out := make([]any, len(keys))
				for i, k := range keys {
					out[i] = k
				}
				return engine.Outputs{"keys": out}, nil
			}},
		{ID: "object.values", Okta: []string{"object:values"}, Title: "Values", Category: "Object", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{{Key: "object", Type: obj, Required: true}},
			Outputs:     []engine.FieldSpec{{Key: "values", Type: engine.T("any[]")}},
			DocURL:      olHelp + "Object/object_values.htm",
			Description: "The object's top-level values, in the same order as Keys (keys sorted alphabetically).",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				m, _ := in.Values["object"].(map[string]any)
				keys := olSortedKeys(m)
				out := make([]any, len(keys))
				for i, k := range keys {
					out[i] = m[k]
				}
				return engine.Outputs{"values": out}, nil
			}},
		{ID: "object.mapToList", Okta: []string{"object:map"}, Title: "Map to List", Category: "Object", Kind: engine.KindFunction, Helper: engine.HelperWaits,
			Inputs: []engine.FieldSpec{{Key: "object", Type: obj, Required: true},
				{Key: "concurrency", Type: engine.T("number"), Description: "keys processed in parallel (1–200); default: the flow's setting"}},
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "new list", Type: engine.T("any[]")}},
			DocURL: olHelp + "object/object_map.htm",
			Description: "Calls the helper flow (card.flow) once per key of the object, in key order (alphabetical), with the item {key, value}: " +
				"map helper inputs to the item (path \"\"), its `key` or its `value` with item mappings; other inputs pass unchanged, `context.index` is the position. " +
				"The new list holds each call's Return (its single value, or the object of its values). Stops at the first failing call.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				_, res, err := olCallEachKey(ctx, in)
				if err != nil {
					return nil, err
				}
				out := make([]any, len(res))
				for i, r := range res {
					out[i] = olSingle(r)
				}
				return engine.Outputs{"new list": out}, nil
			}},
		{ID: "object.clearEmpty", Okta: []string{"object:clearEmpty"}, Title: "Clear Empty", Category: "Object", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "object", Type: obj, Required: true},
				{Key: "recursive", Type: engine.T("boolean"), Default: true}},
			Outputs: []engine.FieldSpec{{Key: "output", Type: obj}},
			DocURL:  olHelp + "Object/object_clearempty.htm",
			Description: "A copy of the object without keys whose value is empty (null, \"\", [] or {}). With recursive (the default) nested objects are cleared too, " +
				"and a nested object that becomes empty is removed; objects inside lists are cleared but list items are never removed. " +
				"0 and false are values, not empty.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				m, _ := in.Values["object"].(map[string]any)
				rec, _ := in.Values["recursive"].(bool)
				if in.Values["recursive"] == nil {
					rec = true
				}
				return engine.Outputs{"output": olClear(m, rec)}, nil
			}},
	}
}

// olSplit splits a dot path; "" is the empty path.
func olSplit(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

// olLookup reads a key or dot path; a top-level key that contains dots is
// found as written first. Missing gives nil.
func olLookup(o any, p string) any {
	if p == "" {
		return o
	}
	if m, ok := o.(map[string]any); ok {
		if v, ok := m[p]; ok {
			return v
		}
	}
	v, _ := engine.Get(o, olSplit(p))
	return v
}

// olContainer accepts an object or list (or their JSON text) for path reads.
func olContainer(key string, v any) (any, error) {
	switch x := v.(type) {
	case nil, map[string]any, []any:
		return x, nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return nil, nil
		}
		if s[0] == '{' || s[0] == '[' {
			var out any
			if err := json.Unmarshal([]byte(s), &out); err == nil {
				return out, nil
			}
		}
		return nil, engine.InputErrorf(key, "expected an object or a list, got text %.40q", x)
	}
	c, err := engine.Coerce(v, engine.T("object"))
	if err != nil {
		return nil, engine.InputErrorf(key, "%v", err)
	}
	return c, nil
}

func olObject(key string, v any) (map[string]any, error) {
	c, err := engine.Coerce(v, engine.T("object"))
	if err != nil {
		return nil, engine.InputErrorf(key, "%v", err)
	}
	m, _ := c.(map[string]any)
	return m, nil
}

func olExpandPath(f *engine.Field) ([]string, error) {
	g := strings.TrimSpace(f.Group)
	switch {
	case strings.HasPrefix(g, "["):
		var segs []string
		if err := json.Unmarshal([]byte(g), &segs); err != nil {
			return nil, engine.InputErrorf(f.Key, "output path %q is not a JSON list of text: %v", g, err)
		}
		return segs, nil
	case g != "":
		return olSplit(g), nil
	}
	return olSplit(strings.TrimSuffix(f.Key, "#key")), nil
}

// olSet returns a copy of o with v at path, copying only along the path.
func olSet(o any, path []string, v any) (any, error) {
	if len(path) == 0 {
		return v, nil
	}
	switch x := o.(type) {
	case map[string]any:
		c := make(map[string]any, len(x)+1)
		for k, e := range x {
			c[k] = e
		}
		n, err := olSet(x[path[0]], path[1:], v)
		if err != nil {
			return nil, err
		}
		c[path[0]] = n
		return c, nil
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil {
			return nil, fmt.Errorf("%q is not a list index", path[0])
		}
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i > len(x) {
			return nil, fmt.Errorf("index %s is out of range for a list of %d items", path[0], len(x))
		}
		c := make([]any, len(x), len(x)+1)
		copy(c, x)
		var cur any
		if i < len(x) {
			cur = x[i]
		} else {
			c = append(c, nil)
		}
		n, err := olSet(cur, path[1:], v)
		if err != nil {
			return nil, err
		}
		c[i] = n
		return c, nil
	case nil:
		return olSet(map[string]any{}, path, v)
	}
	return nil, fmt.Errorf("cannot set %q inside %s", path[0], engine.ToText(o))
}

func olSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func olClear(m map[string]any, rec bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if rec {
			v = olClearValue(v)
		}
		if !engine.IsEmpty(v) {
			out[k] = v
		}
	}
	return out
}

func olClearValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return olClear(x, true)
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			if m, ok := e.(map[string]any); ok {
				c[i] = olClear(m, true)
			} else {
				c[i] = e
			}
		}
		return c
	}
	return v
}

// olSingle is a helper's Return: its only value, or the object of its values.
func olSingle(m map[string]any) any {
	if len(m) == 1 {
		for _, v := range m {
			return v
		}
	}
	return m
}

// olCallEachKey calls the helper once per key of the "object" input, in key order, with the
// item {key, value}, and returns the keys and the calls' results.
func olCallEachKey(ctx context.Context, in engine.Inputs) ([]string, []map[string]any, error) {
	m, _ := in.Values["object"].(map[string]any)
	keys := olSortedKeys(m)
	items := make([]any, len(keys))
	for i, k := range keys {
		items[i] = map[string]any{"key": k, "value": m[k]}
	}
	res, err := olCallEach(ctx, in, items, map[string]bool{"object": true, "concurrency": true, "flo": true})
	return keys, res, err
}

// olCallEach calls the card's helper flow once per item with bounded
// concurrency (input "concurrency", else the flow setting, 1–200) and stops
// at the first failure. Helper inputs with an item mapping get the item (or
// a path in it); the others pass unchanged; own names the card's own inputs.
func olCallEach(ctx context.Context, in engine.Inputs, items []any, own map[string]bool) ([]map[string]any, error) {
	if in.Card.Flow == "" && len(items) > 0 {
		return nil, engine.InputErrorf("flo", "no helper flow chosen")
	}
	conc := 0
	if n, ok := in.Values["concurrency"].(float64); ok {
		conc = int(n)
	}
	if conc <= 0 && in.Run != nil {
		conc = in.Run.Settings().Concurrency
	}
	conc = max(1, min(conc, 200))
	base := map[string]any{}
	for k, v := range in.Values {
		if !own[k] {
			base[k] = v
		}
	}
	res := make([]map[string]any, len(items))
	errs := make([]error, len(items))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	one := func(ctx context.Context, i int) {
		item := items[i]
		args := make(map[string]any, len(base)+1)
		for k, v := range base {
			args[k] = v
		}
		for j := range in.Card.Inputs {
			f := &in.Card.Inputs[j]
			if f.Item == nil {
				continue
			}
			v := item
			if f.Item.Path != "" {
				v, _ = engine.Get(item, olSplit(f.Item.Path))
			}
			if f.Type != nil {
				if cv, err := engine.Coerce(v, f.Type); err == nil {
					v = cv
				}
			}
			args[f.Key] = v
		}
		args["context"] = map[string]any{"index": float64(i)}
		out, err := in.Run.CallFlow(ctx, in.Card.Flow, args)
		res[i], errs[i] = out, err
		if err != nil {
			cancel()
		}
	}
	// under a workflow engine (engine/temporal) the engine fans out
	if !engine.Fanout(ctx, in.Run, len(items), conc, one) {
		sem := make(chan struct{}, conc)
		var wg sync.WaitGroup
		for i := range items {
			sem <- struct{}{}
			if ctx.Err() != nil {
				<-sem
				break
			}
			wg.Add(1)
			go func(i int) {
				defer func() { <-sem; wg.Done() }()
				one(ctx, i)
			}(i)
		}
		wg.Wait()
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
	}
	if err := ctx.Err(); err != nil && len(items) > 0 {
		return nil, err
	}
	return res, nil
}
