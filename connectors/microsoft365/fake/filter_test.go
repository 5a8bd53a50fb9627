package fake

import "testing"

func TestParseFilter(t *testing.T) {
	u := map[string]any{"displayName": "Alice Nguyen", "mail": "Alice.Nguyen@example.com", "accountEnabled": true,
		"department": nil, "proxyAddresses": []any{"SMTP:alice.nguyen@example.com"}, "jobTitle": "O'Neil's aide"}
	cases := []struct {
		f    string
		want bool
	}{
		{"", true},
		{"mail eq 'alice.nguyen@example.com'", true}, // case-insensitive, as the directory
		{"mail ne 'alice.nguyen@example.com'", false},
		{"startswith(displayName,'ali')", true},
		{"startswith(displayName,'bob')", false},
		{"accountEnabled eq true", true},
		{"accountEnabled eq false", false},
		{"department eq null", true},
		{"proxyAddresses/any(x:x eq 'smtp:alice.nguyen@example.com')", true},
		{"jobTitle eq 'O''Neil''s aide'", true},
		{"mail eq 'x@y.z' or startswith(displayName,'Al')", true},
		{"mail eq 'x@y.z' and startswith(displayName,'Al')", false},
		{"startswith(displayName,'Al') and accountEnabled eq true", true},
	}
	for _, c := range cases {
		m, err := parseFilter(c.f)
		if err != nil {
			t.Errorf("%q: %v", c.f, err)
			continue
		}
		if got := m(u); got != c.want {
			t.Errorf("%q = %v, want %v", c.f, got, c.want)
		}
	}
	for _, bad := range []string{"mail gt 'a'", "mail eq unquoted", "startswith(displayName)", "nonsense"} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
