package engine

import (
	"testing"
)

// FuzzParseFile feeds arbitrary bytes to the native flow/folder parser: it
// never panics, errors name the file, and an accepted file holds only
// flows with safe ids and bounded nesting that write back and read again.
func FuzzParseFile(f *testing.F) {
	f.Add([]byte(okFlow))
	f.Add([]byte(`{"format":"flowbench.folder/v1","name":"x","flows":[` + okFlow + `]}`))
	f.Add([]byte(`{"format":"flowbench.flow/v1","id":"../x","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`))
	f.Add([]byte(`{"format":"flowbench.flow/v1","id":"f","name":"n","name":"m","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`))
	f.Add([]byte(`{"format":"flowbench.flow/v1","id":"f","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[{"id":"a","type":"flow.if","branches":[{"name":"true","cards":[{"id":"b","type":"flow.if","branches":[{"name":"true","cards":[]}]}]}]}]}`))
	f.Add([]byte("{\"format\":\"flowbench.flow/v1\",\"id\":\"f\",\"name\":\"\xff\"}"))
	f.Add([]byte(`{"type":"flopack"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseFile("fuzz.flow.json", data)
		if err != nil {
			if len(err.Error()) < len("fuzz.flow.json: x") {
				t.Fatalf("error without the file name: %q", err)
			}
			return
		}
		for _, fl := range b.Flows {
			if err := CheckID("flow", fl.ID); err != nil {
				t.Fatalf("accepted a flow with id %q: %v", fl.ID, err)
			}
			if d := CardNesting(fl); d > MaxCardNesting {
				t.Fatalf("accepted cards nested %d deep", d)
			}
			out, err := MarshalFlow(fl)
			if err != nil {
				t.Fatalf("accepted flow does not write back: %v", err)
			}
			if _, err := ParseFlow("again.flow.json", out); err != nil {
				t.Fatalf("written flow does not read back: %v\n%s", err, out)
			}
		}
	})
}
