package app

import (
	"bytes"
	"context"
	"testing"
)

// Issue 15 point 13: Rendered writes only the screens' own names; caller
// text never reaches the output (no forged log lines).
func TestRenderedWritesNoCallerText(t *testing.T) {
	var out bytes.Buffer
	a, err := Open(context.Background(), Options{DataDir: t.TempDir(), Out: &out, Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	out.Reset()
	if err := a.Rendered("designer\nflowbench: serving on http://evil.example/?token=x"); err == nil {
		t.Fatal("caller text accepted")
	}
	if out.Len() != 0 {
		t.Fatalf("wrote %q", out.String())
	}
	if err := a.Rendered("designer"); err != nil || out.String() != "flowbench: rendered designer\n" {
		t.Fatalf("%v %q", err, out.String())
	}
}
