package flopack

import (
	"strings"
	"testing"
)

func appOfReport(r *Report, app string) *AppAttention {
	for i := range r.Apps {
		if r.Apps[i].App == app {
			return &r.Apps[i]
		}
	}
	return nil
}

func TestAttentionByApp(t *testing.T) {
	tp := template1(t, "add_inactive_users_to_marketo_list_for_remarketing")
	res, err := Import(tp.name, tp.data, registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Report.Apps {
		t.Logf("%s: %+v", a.App, a)
	}
	m := appOfReport(res.Report, "Marketo")
	if m == nil {
		t.Fatalf("no Marketo section in %+v", res.Report.Apps)
	}
	if len(m.Unsupported) == 0 || m.Unsupported[0].Title == "" || strings.Contains(m.Unsupported[0].Title, "root:") {
		t.Fatalf("Marketo unsupported cards %+v", m.Unsupported)
	}
	total := 0
	for _, a := range res.Report.Apps {
		for _, u := range a.Unsupported {
			total += u.Count
		}
	}
	if total != res.Report.Unsupported {
		t.Fatalf("unsupported by app add up to %d, report says %d", total, res.Report.Unsupported)
	}
	if len(m.Connections) != 1 || m.Connections[0].Supported || m.Connections[0].Cards == 0 {
		t.Fatalf("Marketo connection %+v", m.Connections)
	}
	if tb := appOfReport(res.Report, "Tables"); tb == nil || len(tb.Tables) != 1 || tb.Tables[0].Name != "Inactive User Tracker" || tb.Tables[0].Cards != 5 {
		t.Fatalf("Tables: %+v", tb)
	}
	// the flows keep the app on their unsupported cards
	for _, f := range res.Flows {
		for _, c := range f.Cards {
			if c.Type == Unsupported && (c.Origin == nil || c.Origin.App == "" || c.Title == "") {
				t.Fatalf("unsupported card %s without app or title: %+v", c.ID, c.Origin)
			}
		}
	}
	if txt := res.Report.AttentionText(); !strings.Contains(txt, "  Marketo\n    unsupported card "+`"`+m.Unsupported[0].Title+`"`) {
		t.Fatalf("text:\n%s", txt)
	}
}

func TestAppNames(t *testing.T) {
	for _, c := range []struct {
		mod    string
		kernel bool
		want   string
	}{
		{"marketo2_29", false, "Marketo"}, {"slack_4151667dbd1c434fb0b7dae901b00cc7", false, "Slack"}, {"auth0", false, "Auth0"},
		{"auth0_293ca73ef2a04fe48eaa3bb7876df2e6", false, "Auth0"}, {"jira2", false, "Jira"}, {"office365admin", false, "Office 365 Admin"},
		{"acmecrm_12", false, "Acmecrm"}, {"string", true, "Text"}, {"math", true, "Number"}, {"weird", true, "Weird"},
	} {
		if got := AppName(c.mod, c.kernel); got != c.want {
			t.Errorf("AppName(%q, %v) = %q, want %q", c.mod, c.kernel, got, c.want)
		}
	}
	if got := AppOfAddress("root:channels:http:salesforce2_29:0.1.2:createRecord"); got != "Salesforce" {
		t.Errorf("AppOfAddress = %q", got)
	}
}

// TestCorpusAttention: over the corpus, the unsupported cards by app add up
// to the report's count, Okta connections can be bound, and the values
// Okta's newer cards no longer offer are found.
func TestCorpusAttention(t *testing.T) {
	var choices []string
	for _, tp := range templates(t) {
		res, err := Import(tp.name, tp.data, registry(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range res.Report.Apps {
			for _, u := range a.Unsupported {
				n += u.Count
				if u.Title == "" || strings.HasPrefix(u.Title, "root:") {
					t.Errorf("%s: unsupported card titled %q", tp.name, u.Title)
				}
			}
			for _, c := range a.Connections {
				if a.App == "Okta" && !c.Supported {
					t.Errorf("%s: Okta connection %q not bindable", tp.name, c.Name)
				}
			}
			for _, c := range a.Choices {
				choices = append(choices, tp.name+"/"+c.Card+"/"+c.Field+"="+c.Value)
			}
		}
		if n != res.Report.Unsupported {
			t.Errorf("%s: unsupported by app %d, report %d", tp.name, n, res.Report.Unsupported)
		}
	}
	// every value of every Okta connector version in the corpus is among its
	// card's choices ("All Matching Records", connector 1.0.297, included);
	// a value outside them is reported (connectors/okta choices_test.go)
	if len(choices) != 0 {
		t.Errorf("values outside their cards' choices: %v", choices)
	}
}
