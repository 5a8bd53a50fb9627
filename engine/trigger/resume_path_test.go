package trigger

import "testing"

func TestResumePath(t *testing.T) {
	cases := []struct {
		path, flow, exec string
		ok               bool
	}{
		{"/api/flo/f1/resume/e1", "f1", "e1", true},
		{"/api/flows/f1/resume/e1/", "f1", "e1", true},
		{"/api/flows/f1/invoke", "", "", false},
		{"/api/flows/f1/resume/", "", "", false},
		{"/api/flows//resume/e1", "", "", false},
		{"/api/flows/f1/resume/e1/x", "", "", false},
		{"/hooks/f1/resume/e1", "", "", false},
	}
	for _, c := range cases {
		f, e, ok := resumePath(c.path)
		if f != c.flow || e != c.exec || ok != c.ok {
			t.Errorf("%s: %q %q %v, want %q %q %v", c.path, f, e, ok, c.flow, c.exec, c.ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { resumePath("/api/flows/f1/invoke") }); n != 0 {
		t.Errorf("resumePath allocates %v times on an invoke path", n)
	}
}
