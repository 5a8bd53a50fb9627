package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// every command and subcommand, as its path after "flowbench"
func commandPaths(c *cobra.Command, prefix []string, out *[][]string) {
	for _, sub := range c.Commands() {
		if sub.Hidden || sub.Name() == "help" {
			continue
		}
		p := append(append([]string{}, prefix...), sub.Name())
		*out = append(*out, p)
		commandPaths(sub, p, out)
	}
}

// Every command answers --help with usage, flags and an example, exit 0;
// the texts are golden files (go test ./app -run TestCLIHelp -update).
func TestCLIHelpGolden(t *testing.T) {
	paths := [][]string{{}}
	commandPaths((&CLI{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}).root(), nil, &paths)
	if len(paths) < 20 {
		t.Fatalf("only %d commands found", len(paths))
	}
	seen := map[string]bool{}
	for _, p := range paths {
		name := "flowbench"
		if len(p) > 0 {
			name = strings.Join(p, "-")
		}
		seen[name+".golden"] = true
		t.Run(name, func(t *testing.T) {
			for _, flag := range []string{"--help", "-h"} {
				out, errOut, code := cli(t, t.TempDir(), append(append([]string{}, p...), flag)...)
				if code != 0 || errOut != "" {
					t.Fatalf("%s %s: exit %d stderr %q", name, flag, code, errOut)
				}
				for _, want := range []string{"Usage:", "Flags:", "Examples:", "--data string", "--log-format"} {
					if !strings.Contains(out, want) {
						t.Errorf("%s %s lacks %q:\n%s", name, flag, want, out)
					}
				}
				golden(t, filepath.Join("help", name+".golden"), out)
			}
		})
	}
	// no golden file for a command that is gone
	files, _ := filepath.Glob("testdata/help/*.golden")
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s: no such command any more", f)
		}
	}
}

func TestCLIHelpCommandAndNoArgs(t *testing.T) {
	want, _, _ := cli(t, t.TempDir(), "--help")
	for _, args := range [][]string{{"help"}, {}} {
		out, _, code := cli(t, t.TempDir(), args...)
		if code != 0 || out != want {
			t.Errorf("%v: exit %d, differs from --help:\n%s", args, code, out)
		}
	}
	out, _, code := cli(t, t.TempDir(), "help", "run")
	if code != 0 || !strings.HasPrefix(out, "Run a flow from a file") {
		t.Errorf("help run: %d %s", code, out)
	}
}

func TestCLIVersion(t *testing.T) {
	old := Commit
	Commit = "0123abcd"
	defer func() { Commit = old }()
	for _, args := range [][]string{{"--version"}, {"version"}, {"-v"}} {
		out, _, code := cli(t, t.TempDir(), args...)
		if code != 0 || out != "flowbench "+Version+" (commit 0123abcd)\n" {
			t.Errorf("%v: exit %d %q", args, code, out)
		}
	}
}

func TestCLICompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "complete -o default -F __start_flowbench flowbench",
		"zsh":  "#compdef flowbench",
		"fish": "complete -c flowbench",
	} {
		out, _, code := cli(t, t.TempDir(), "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, no %q", shell, code, want)
		}
	}
	// the completion engine itself answers: subcommands of connection
	out, _, code := cli(t, t.TempDir(), "__complete", "connection", "")
	for _, sub := range []string{"add", "bind", "delete", "list", "show", "test"} {
		if code != 0 || !regexp.MustCompile(`(?m)^`+sub+`\t`).MatchString(out) {
			t.Errorf("__complete connection lacks %s:\n%s", sub, out)
		}
	}
	if _, errOut, code := cli(t, t.TempDir(), "completion", "tcsh"); code != ExitUsage || !strings.Contains(errOut, "tcsh") {
		t.Errorf("completion tcsh: %d %s", code, errOut)
	}
}

// Exit statuses: 0 ok, 1 failed, 2 usage.
func TestCLIExitCodes(t *testing.T) {
	dir := t.TempDir()
	_, errOut, _ := cli(t, dir, "history", "show")
	if !strings.HasSuffix(errOut, "flowbench: history show: give one execution id\nRun 'flowbench history show --help' for usage.\n") {
		t.Errorf("usage error of a subcommand: %q", errOut)
	}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"frobnicate"}, ExitUsage, `unknown command "frobnicate"`},
		{[]string{"run"}, ExitUsage, "give one flow file or flow id"},
		{[]string{"run", "a", "b"}, ExitUsage, "give one flow file or flow id"},
		{[]string{"run", "testdata/greet.flow.json", "--nope"}, ExitUsage, "unknown flag: --nope"},
		{[]string{"run", "testdata/greet.flow.json", "--input", "[1]"}, ExitUsage, "not a JSON object"},
		{[]string{"history", "show"}, ExitUsage, "give one execution id"},
		{[]string{"export"}, ExitUsage, "give a flow id, --all or --folder NAME"},
		{[]string{"validate"}, ExitUsage, "give one or more files"},
		{[]string{"--log-level", "loud", "flows"}, ExitUsage, `log level "loud"`},
		{[]string{"serve", "--addr", "0.0.0.0:8080"}, ExitUsage, "add --allow-remote"},
		{[]string{"run", "no-such-flow"}, ExitFailed, "neither a readable file nor a stored flow id"},
		{[]string{"history", "show", "nope"}, ExitFailed, ""},
		{[]string{"run", "testdata/fails.flow.json"}, ExitFailed, ""},
		{[]string{"validate", "testdata/greet.flow.json"}, ExitOK, ""},
	} {
		_, errOut, code := cli(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errOut, tc.err)
		}
		if tc.code == ExitUsage && !strings.Contains(errOut, "--help' for usage.") {
			t.Errorf("%v: a usage error does not point at --help: %q", tc.args, errOut)
		}
	}
}

func TestServeRemoteAddressNeedsFlag(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:1": true, "[::1]:80": true, ":8080": true,
		"0.0.0.0:8080": false, "192.168.1.10:8080": false, "[::]:8080": false, "example.com:80": false} {
		if loopback(addr) != want {
			t.Errorf("loopback(%q) = %v", addr, !want)
		}
	}
	// with --allow-remote it warns and goes on (here: to a Serve that records the address)
	var got string
	var out, errb bytes.Buffer
	c := &CLI{Stdout: &out, Stderr: &errb, Serve: func(_ context.Context, _ *App, addr, _ string, _ fs.FS, _ io.Writer) error {
		got = addr
		return nil
	}}
	code := c.Main([]string{"--data", t.TempDir(), "serve", "--addr", "0.0.0.0:0", "--allow-remote", "--no-sandbox"})
	if code != 0 || got != "0.0.0.0:0" || !strings.Contains(errb.String(), "warning: serving on 0.0.0.0:0") {
		t.Fatalf("exit %d addr %q stderr %q", code, got, errb.String())
	}
}

// The README's example runs on a fresh data directory: the sandbox tenant
// starts in-process and the trigger's sample input is used (and said so).
func TestCLIRunExampleOnFreshData(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := cli(t, dir, "run", "../examples/okta-is-member-of-group.flow.json", "--json")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "no --input given: using the trigger's sample input (") || !strings.Contains(errOut, "Okta User") {
		t.Errorf("stderr does not say it used the sample input: %q", errOut)
	}
	var ex struct {
		Status string
		Cards  []struct {
			ID      string
			Status  string
			Outputs map[string]any
		}
	}
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatal(err)
	}
	if ex.Status != "success" || len(ex.Cards) != 3 {
		t.Fatalf("status %s, %d cards", ex.Status, len(ex.Cards))
	}
	upd := ex.Cards[2]
	if upd.ID != "updateUser" || upd.Status != "success" {
		t.Fatalf("update card %+v", upd)
	}
	if b, _ := json.Marshal(upd.Outputs); !strings.Contains(string(b), `"isMemberOfGroup":true`) {
		t.Errorf("update user outputs %s", b)
	}
	// the sample's user is a real user of the sandbox tenant
	if b, _ := json.Marshal(ex.Cards[1].Outputs); !strings.Contains(string(b), "alice.nguyen@example.com") {
		t.Errorf("read user outputs %s", b)
	}
	// the same flow stored (imported) and run by its id
	if out, errOut, code := cli(t, dir, "import", "../examples/okta-is-member-of-group.flow.json"); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	if out, errOut, code := cli(t, dir, "run", "okta-is-member-of-group"); code != 0 || !strings.Contains(out, "success") {
		t.Fatalf("run by id: exit %d\n%s\n%s", code, out, errOut)
	}
	// an explicit --input is used as given, with no note
	_, errOut, code = cli(t, dir, "run", "../examples/okta-is-member-of-group.flow.json", "--input", `{"Okta User": {"ID": "nobody"}}`)
	if code != 1 || strings.Contains(errOut, "sample input") {
		t.Errorf("with --input for an unknown user: exit %d stderr %q", code, errOut)
	}
}
