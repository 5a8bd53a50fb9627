package app

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
)

// No input is silently dropped: every input key of every imported Okta
// action card that is not one of the card's own fields (custom profile
// attributes, group profile properties, a streaming card's extra inputs…)
// is used by the card — sent in its request to the tenant, or handed to the
// streaming helper flow in State — or reported at import. Each such card is
// run on its own against the sandbox (through a recording proxy) with a
// marker value in each of those inputs.
func TestCorpusOktaCardInputsAreUsedOrReported(t *testing.T) {
	files := corpusTemplates(t)
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	sb := a.Exec.Services["sandbox"].(*sandbox.Server)
	target, _ := url.Parse(sb.URL())
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	var sent strings.Builder
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		q, _ := url.QueryUnescape(r.URL.RawQuery)
		mu.Lock()
		fmt.Fprintf(&sent, "%s %s?%s %s\n", r.Method, r.URL.Path, q, body)
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	defer rec.Close()
	if err := a.Store.PutConnection(&engine.Connection{ID: "recorded", Name: "Recorded sandbox", Kind: "okta",
		Config: map[string]any{"domain": rec.URL, "authMethod": "token"}, Secrets: map[string]string{"apiToken": sandbox.DefaultAPIToken}}); err != nil {
		t.Fatal(err)
	}
	alice, _ := sb.User("alice.nguyen@example.com")
	ids := sandboxIDs(sb)()
	checked, used, reported := 0, 0, 0
	n := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.importFile(p, data, "")
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var warnings []flopackWarning
		if r, ok := rep.Details.(oktaReport); ok && r.Report != nil {
			warnings = r.Warnings
		}
		for _, id := range rep.Flows {
			f, _ := a.Store.Flow(t.Context(), id)
			f.Walk(func(c *engine.Card, _ *engine.Card) bool {
				spec, ok := a.Reg.Card(c.Type)
				if !ok || spec.Connection != "okta" || spec.Kind != engine.KindAction {
					return true
				}
				var dynamic []engine.Field
				for _, in := range c.Inputs {
					if spec.InputSpec(in.Key) == nil && in.Group != "context" {
						dynamic = append(dynamic, in)
					}
				}
				if len(dynamic) == 0 {
					return true
				}
				// the card's own inputs as the template sets them, required ones filled
				inputs := map[string]any{"connection": "recorded"}
				for _, in := range c.Inputs {
					if spec.InputSpec(in.Key) != nil && in.Value != nil && in.From == nil {
						inputs[in.Key] = in.Value
					}
				}
				n++
				markers := map[string]string{}
				for i, in := range dynamic {
					m := fmt.Sprintf("zzmark%d-%d", n, i)
					inputs[in.Key], markers[in.Key] = m, m
				}
				switch c.Type {
				case "okta.createUser":
					login := fmt.Sprintf("zz.user%d@example.com", n)
					inputs["login"], inputs["email"], inputs["firstName"], inputs["lastName"] = login, login, "Zz", "Marker"
					delete(inputs, "Password")
					inputs["option"] = "getInputsnoCreds"
				case "okta.updateGroup":
					inputs["ID"], inputs["Name"] = ids.groupID, fmt.Sprintf("Zz Group %d", n)
				default:
					for _, fs := range spec.Inputs {
						if fs.Required && inputs[fs.Key] == nil {
							inputs[fs.Key] = alice["id"]
						}
					}
				}
				mu.Lock()
				sent.Reset()
				mu.Unlock()
				_, _ = engine.TestCard(t.Context(), a.Exec, c.Type, inputs)
				mu.Lock()
				reqs := sent.String()
				mu.Unlock()
				for _, in := range dynamic {
					checked++
					switch {
					case in.Group == "Streaming" && engine.Streams(spec, c):
						used++ // handed to the helper flow in State (connectors/okta/stream.go)
					case strings.Contains(reqs, markers[in.Key]):
						used++
					case reportedAt(warnings, f.Name, c, in.Key):
						reported++
					default:
						t.Errorf("%s / %s: card %s %q drops input %q: not in its request (%q) and not reported at import",
							filepath.Base(filepath.Dir(p)), f.Name, c.ID, c.Title, in.Key, strings.TrimSpace(reqs))
					}
				}
				return true
			})
		}
	}
	t.Logf("Okta card inputs beyond the cards' own fields: %d checked, %d used by the card, %d reported at import", checked, used, reported)
	if checked < 30 {
		t.Errorf("only %d dynamic inputs checked", checked)
	}
}

func reportedAt(ws []flopackWarning, flow string, c *engine.Card, key string) bool {
	for _, w := range ws {
		if strings.Contains(w.Flow, strconv.Quote(flow)) && strings.Contains(w.Card, c.ID) && (w.Field == key || strings.HasSuffix(w.Field, "/"+key)) && strings.Contains(w.Message, "not used") {
			return true
		}
	}
	return false
}

type flopackWarning = flopack.Warning
