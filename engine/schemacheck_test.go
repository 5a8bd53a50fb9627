package engine

import (
	"encoding/json"
	"testing"
)

// The fast check must never accept what the full validator rejects.
func FuzzFastSchemaAgrees(f *testing.F) {
	f.Add(`{"left-operand": 1, "operator": "==", "right-operand": "x"}`)
	f.Add(`{"operator": "nope"}`)
	f.Add(`{"list": [1, 2], "concurrency": 2.5}`)
	f.Add(`{"list": "x"}`)
	f.Add(`{"statusCode": 200, "headers": {"a": "b"}, "body": null, "extra": 1}`)
	f.Add(`{"user": {"id": 1, "profile": {"email": "e", "tags": ["a", 2]}}}`)
	f.Add(`{"a": 1, "b": "2"}`)
	specs := Default().Cards()
	f.Fuzz(func(t *testing.T, doc string) {
		var v map[string]any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		for _, s := range specs {
			for _, in := range []bool{true, false} {
				has, fastOK, fullOK := SchemaAgreement(s, v, in)
				if has && fastOK && !fullOK {
					t.Fatalf("%s (inputs=%v): fast check accepts %s, JSON Schema rejects it", s.ID, in, doc)
				}
			}
		}
	})
}

func TestFastSchemaCoversCardSchemas(t *testing.T) {
	for _, s := range Default().Cards() {
		inFast, _, err1 := s.in.get()
		outFast, _, err2 := s.out.get()
		if err1 != nil || err2 != nil {
			t.Errorf("card %s: %v %v", s.ID, err1, err2)
		}
		if inFast == nil || outFast == nil {
			t.Errorf("card %s has no fast schema check", s.ID)
		}
	}
	s, _ := Default().Card("flow.if")
	v := map[string]any{"left-operand": 1.0, "operator": "==", "right-operand": nil}
	if has, fastOK, fullOK := SchemaAgreement(s, v, true); !has || !fastOK || !fullOK {
		t.Fatalf("valid If inputs: fast %v full %v", fastOK, fullOK)
	}
	v["operator"] = "bogus"
	if _, fastOK, fullOK := SchemaAgreement(s, v, true); fastOK || fullOK {
		t.Fatal("bad operator accepted")
	}
}
