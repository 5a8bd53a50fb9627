package functions

import (
	"context"
	"strconv"

	"github.com/flowbench/flowbench/engine"
)

// Object Unset (object:unset, Object/object_unset.htm): the Object card of
// Okta's function reference that was not registered yet.

func init() {
	engine.Register(&engine.Spec{ID: "object.unset", Okta: []string{"object:unset"}, Title: "Unset", Category: "Object", Kind: engine.KindFunction,
		Inputs: []engine.FieldSpec{{Key: "object", Type: tObject, Required: true, Description: "the object to delete the key/value pair from"},
			{Key: "path", Type: tAny, Required: true, Description: "a top-level key, a dot path (`b.foo`, `foo.7.bar`) or a list of keys taken as written"}},
		Outputs: []engine.FieldSpec{{Key: "output", Type: tObject}},
		DocURL:  olHelp + "Object/object_unset.htm",
		Description: "A copy of the object without the key at path. Text is a key or a dot path (numeric segments index lists from 0, negative " +
			"from the end); a list of text is taken key by key, exactly as written (keys with dots, numeric keys), as Okta's list path. " +
			"When the last segment names a list item, the item is removed. A path that is not in the object leaves it as it was. The input object is not changed.",
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			o, err := olObject("object", in.Values["object"])
			if err != nil {
				return nil, err
			}
			if o == nil {
				return nil, engine.InputErrorf("object", "an object is required")
			}
			var segs []string
			switch p := in.Values["path"].(type) {
			case []any:
				for i, s := range p {
					t, ok := s.(string)
					if !ok {
						if _, num := s.(float64); !num {
							return nil, engine.InputErrorf("path", "item %d of the path list is not text", i)
						}
						t = engine.ToText(s)
					}
					segs = append(segs, t)
				}
			case nil:
			default:
				segs = olSplit(engine.ToText(p))
			}
			if len(segs) == 0 {
				return nil, engine.InputErrorf("path", "a key or path is required")
			}
			out, _ := olUnset(o, segs)
			return engine.Outputs{"output": out}, nil
		}})
}

// olUnset returns a copy of o without path (copying only along it) and
// whether the path was there.
func olUnset(o any, path []string) (any, bool) {
	switch x := o.(type) {
	case map[string]any:
		v, ok := x[path[0]]
		if !ok {
			return o, false
		}
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = e
		}
		if len(path) == 1 {
			delete(c, path[0])
			return c, true
		}
		n, found := olUnset(v, path[1:])
		if !found {
			return o, false
		}
		c[path[0]] = n
		return c, true
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil {
			return o, false
		}
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i >= len(x) {
			return o, false
		}
		if len(path) == 1 {
			c := make([]any, 0, len(x)-1)
			return append(append(c, x[:i]...), x[i+1:]...), true
		}
		n, found := olUnset(x[i], path[1:])
		if !found {
			return o, false
		}
		c := make([]any, len(x))
		copy(c, x)
		c[i] = n
		return c, true
	}
	return o, false
}
