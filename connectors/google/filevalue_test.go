package google_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/engine/store"
)

// Upload File takes a Flowbench file value (a Download card's File Content):
// the stored bytes are uploaded, with the file's content type.
func TestUploadFileValue(t *testing.T) {
	e := newEnv(t)
	st, err := store.Open(t.TempDir(), store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e.h.Exec.Services["files"] = st
	data := append([]byte("%PDF-1.7\n"), 0, 1, 2, 0xff)
	m, err := st.PutFile(context.Background(), store.FileMeta{Name: "report.pdf", ContentType: "application/pdf"}, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	up := e.run(t, "googledrive:uploadFile", map[string]any{"Name": "stored.pdf", "File Content ID": functions.FileValue(m)})
	f := e.fake.FileByName("stored.pdf")
	if f == nil || up["File ID"] != f.ID || !bytes.Equal(f.Content, data) || f.MimeType != "application/pdf" {
		t.Fatalf("upload: %v %+v", up, f)
	}
	// with a file store, Download File stores the file: its value names it, the
	// bytes are not in the outputs; uploading that value copies the bytes
	pdf := e.run(t, "googledrive:downloadFile", map[string]any{"File ID": "1aWelcomePdf0000000000000000000001"})
	val, _ := pdf["File Content ID"].(string)
	id, ok := functions.FileID(val)
	if !ok || !strings.Contains(val, "(application/pdf, ") || strings.Contains(val, "%PDF") {
		t.Fatalf("download value: %q", val)
	}
	_, stored, err := st.ReadFile(context.Background(), id)
	if err != nil || !bytes.HasPrefix(stored, []byte("%PDF-1.4")) {
		t.Fatalf("stored download: %v %q", err, stored)
	}
	e.run(t, "googledrive:uploadFile", map[string]any{"Name": "copy2.pdf", "File Content ID": val})
	if c := e.fake.FileByName("copy2.pdf"); c == nil || !bytes.Equal(c.Content, stored) || c.MimeType != "application/pdf" {
		t.Fatalf("re-upload: %+v", c)
	}
	// a file value whose file is gone names the input
	gone := functions.FileValue(store.FileMeta{ID: "0123456789abcdef0123456789abcdef", Name: "gone.pdf"})
	_, _, err = e.h.Card(t, "googledrive:uploadFile", map[string]any{"Name": "x.pdf", "File Content ID": gone})
	if err == nil || !strings.Contains(err.Error(), "File Content ID") || !strings.Contains(err.Error(), "not stored") {
		t.Fatalf("gone file: %v", err)
	}
}
