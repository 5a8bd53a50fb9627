package fake

import "testing"

// TestAdminHookFilter: a webhook gets its events only, and with a
// "project = KEY" filter only that project's issues.
func TestAdminHookFilter(t *testing.T) {
	cases := []struct {
		events         []string
		jql            string
		event, project string
		want           bool
	}{
		{[]string{"jira:issue_created"}, "", "jira:issue_created", "HEL", true},
		{[]string{"jira:issue_created"}, "", "jira:issue_updated", "HEL", false},
		{[]string{"jira:issue_created"}, "project = HEL", "jira:issue_created", "HEL", true},
		{[]string{"jira:issue_created"}, `project = "IT"`, "jira:issue_created", "HEL", false},
		{[]string{"jira:issue_created", "jira:issue_updated"}, "project = it", "jira:issue_updated", "IT", true},
		{[]string{"jira:issue_created"}, "project = HEL AND (labels = vip)", "jira:issue_created", "IT", false},
		{[]string{"jira:issue_created"}, "project = HEL AND (labels = vip)", "jira:issue_created", "HEL", true}, // the rest is not read
	}
	for _, c := range cases {
		h := &adminHook{Events: c.events, JQL: c.jql}
		if got := h.wants(c.event, c.project); got != c.want {
			t.Errorf("%v %q: %s in %s = %v, want %v", c.events, c.jql, c.event, c.project, got, c.want)
		}
	}
}
