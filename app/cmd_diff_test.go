package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this binary as the flowbench command
// (FLOWBENCH_TEST_CLI=1), as git does with a diff driver.
func TestMain(m *testing.M) {
	if os.Getenv("FLOWBENCH_TEST_CLI") == "1" {
		os.Exit((&CLI{Stdout: os.Stdout, Stderr: os.Stderr}).Main(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func TestCLIDiff(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.flow.json")
	os.WriteFile(bad, []byte(`{"format":"flowbench.flow/v1","id":"x"`), 0o644)
	cases := []struct {
		name   string
		args   []string
		code   int
		golden string // stdout golden file ("" = none)
		errHas string
	}{
		{"different", []string{"testdata/diff/greet-a.flow.json", "testdata/diff/greet-b.flow.json"}, 1, "diff/greet.golden", ""},
		{"reversed", []string{"testdata/diff/greet-b.flow.json", "testdata/diff/greet-a.flow.json"}, 1, "diff/greet-reversed.golden", ""},
		{"same", []string{"testdata/diff/greet-a.flow.json", "testdata/greet.flow.json"}, 0, "diff/same.golden", ""},
		{"missing file", []string{"testdata/diff/greet-a.flow.json", filepath.Join(dir, "nope.flow.json")}, 2, "", "nope.flow.json"},
		{"malformed file", []string{bad, "testdata/diff/greet-a.flow.json"}, 2, "", "bad.flow.json"},
		{"one argument", []string{"testdata/diff/greet-a.flow.json"}, 2, "", "give two flow files"},
		{"git's seven arguments", []string{"flows/greet.flow.json", "testdata/diff/greet-a.flow.json", "0123abc", "100644", "testdata/diff/greet-b.flow.json", "4567def", "100644"}, 0, "diff/git.golden", ""},
		{"git: a new file", []string{"flows/greet.flow.json", os.DevNull, ".", ".", "testdata/diff/greet-a.flow.json", "4567def", "100644"}, 0, "diff/git-new.golden", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := cli(t, dir, append([]string{"diff"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, errOut)
			}
			if tc.golden != "" {
				golden(t, tc.golden, out)
			}
			if !strings.Contains(errOut, tc.errHas) {
				t.Fatalf("stderr %q lacks %q", errOut, tc.errHas)
			}
		})
	}
}

// TestGitDiffDriver sets flowbench up as git's diff driver for *.flow.json
// in a temporary repository, as the README says, and runs a real git diff.
func TestGitDiffDriver(t *testing.T) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git is needed for this test:", err)
	}
	// this test binary is the flowbench command (TestMain)
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "FLOWBENCH_TEST_CLI=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	copyFile := func(from, to string) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(repo, to)), 0o755)
		if err := os.WriteFile(filepath.Join(repo, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	os.WriteFile(filepath.Join(repo, ".gitattributes"), []byte("*.flow.json diff=flowbench\n"), 0o644)
	git("config", "diff.flowbench.command", bin+" diff")
	copyFile("testdata/diff/greet-a.flow.json", "flows/greet.flow.json")
	git("add", ".")
	git("commit", "-q", "-m", "a")
	copyFile("testdata/diff/greet-b.flow.json", "flows/greet.flow.json")
	out := git("diff", "--", "flows/greet.flow.json")
	want, _ := os.ReadFile("testdata/diff/git.golden")
	if out != string(want) {
		t.Fatalf("git diff printed:\n%s\nwant:\n%s", out, want)
	}
	// a new flow file: git passes /dev/null for the old side
	copyFile("testdata/diff/greet-a.flow.json", "flows/new.flow.json")
	git("add", "-N", "flows/new.flow.json")
	if out := git("diff", "--", "flows/new.flow.json"); !strings.Contains(out, `+ card "Adult?" (flow.if, check) added at #1`) {
		t.Fatalf("git diff of a new file:\n%s", out)
	}
	// without the driver, git shows the JSON lines
	if out := git("diff", "--no-ext-diff", "--", "flows/greet.flow.json"); !strings.Contains(out, "@@") {
		t.Fatalf("plain git diff:\n%s", out)
	}
}
