package github

import (
	"bytes"
	"context"
	"testing"

	"github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/engine/store"
)

// Create File Content takes a stored file (a File Download's File Content):
// its bytes are committed, binary ones too.
func TestCreateFileContentFromAStoredFile(t *testing.T) {
	h, f, _ := harness(t)
	st, err := store.Open(t.TempDir(), store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h.Exec.Services["files"] = st
	data := []byte{'P', 'N', 'G', 0, 0xff, 0x10}
	m, err := st.PutFile(context.Background(), store.FileMeta{Name: "logo.png", ContentType: "image/png"}, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	repo := map[string]any{"org": NotInOrg, "repo": "flowbench/flows", "Message": "add logo", "Path": "img/logo.png", "File Content": functions.FileValue(m)}
	if out := h.Must(t, "github:createFileContent", repo); out["File Path"] != "img/logo.png" {
		t.Fatalf("create: %v", out)
	}
	got, ok := f.FileContent("flowbench/flows", "main", "img/logo.png")
	if !ok || !bytes.Equal(got, data) {
		t.Fatalf("committed %q (%v), want %q", got, ok, data)
	}
}
