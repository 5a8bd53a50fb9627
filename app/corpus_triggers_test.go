package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/flowbench/flowbench/connectors/all"
	"github.com/flowbench/flowbench/engine/trigger"
)

// TestCorpusTriggerProblemsAgreeWithSwitchingOn: over every flow of the
// template corpus whose trigger listens (API Endpoint, Okta and app events,
// schedules), what the designer shows on the trigger's settings and what
// switching the flow on does agree: a setting problem on a field ⇔ switching
// on refuses naming that field. The designer said "No problems" for settings
// that switching on then refused (only schedules were checked while editing).
// Only what needs the stored connection (an OAuth endpoint's connection
// kind) may be refused without a problem shown.
func TestCorpusTriggerProblemsAgreeWithSwitchingOn(t *testing.T) {
	files := corpusTemplates(t)
	checked, shown := 0, 0
	for _, p := range files {
		name := filepath.Base(filepath.Dir(p))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewHTTPHandler(a, "tok", nil); err != nil { // mounting the routes starts the trigger runtime
			t.Fatal(err)
		}
		rep, err := a.importFile(p, data, "")
		if err != nil {
			t.Fatalf("%s: import: %v", name, err)
		}
		for _, ref := range rep.Connections {
			if ref.Kind == "okta" {
				if _, err := a.BindConnection(ref.ID, SandboxConnectionID); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, id := range rep.Flows {
			f, err := a.Store.Flow(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			switch trigger.Classify(f) {
			case trigger.KindAPI, trigger.KindEvent, trigger.KindSchedule:
			default:
				continue
			}
			checked++
			ps, err := a.ValidateFlow(f)
			if err != nil {
				t.Fatal(err)
			}
			var field, msg string
			for _, pr := range ps {
				if pr.Kind == "bad-trigger-setting" || pr.Kind == "bad-schedule" {
					field, msg = pr.Input, pr.Message
					shown++
				}
			}
			err = a.SetFlowEnabled(id, true)
			var ce *trigger.ConfigError
			switch {
			case field == "" && err != nil && !(errors.As(err, &ce) && ce.Field == "connection"):
				t.Errorf("%s / %s: no problem shown, but switching on refuses: %v", name, f.Name, err)
			case field != "" && err == nil:
				t.Errorf("%s / %s: %s shows %q, but the flow switches on", name, f.Name, field, msg)
			case field != "" && (!errors.As(err, &ce) || ce.Field != field):
				t.Errorf("%s / %s: %s shows %q, switching on refuses otherwise: %v", name, f.Name, field, msg, err)
			}
			_ = a.SetFlowEnabled(id, false)
		}
		a.close()
	}
	t.Logf("corpus: %d flows with a listening trigger, %d with a setting problem shown", checked, shown)
	if checked < 50 {
		t.Errorf("only %d flows with a listening trigger", checked)
	}
}
