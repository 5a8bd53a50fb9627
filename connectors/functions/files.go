package functions

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// File values: the flow file system of Okta Workflows, locally.
//
// Okta passes a file between cards as "File Content", the id of the file in
// the Workflows file system. Flowbench does the same: a card that makes a
// file (Download, a connector's download) stores its bytes in the store
// (engine/store/files.go: bounded in size, dropped after a retention) and
// outputs a file value, text that names the file:
//
//	<name> (<content type>, <size> bytes) fbfile:<id>
//
// Only the id at the end (32 hex digits after "fbfile:") identifies the
// file; the rest is there so that History shows what the file is, first
// (history rows cut long values). History keeps this value, never the bytes. Cards that take a file (Upload, Info, Google Drive Upload File…)
// resolve it with ReadFileValue, which also accepts the older forms: a data:
// URL, or plain text (the text's bytes, as Export to CSV's CSV text).

// FilePrefix marks the file id that ends every file value.
const FilePrefix = "fbfile:"

// FileStore is the executor service "files" (the store implements it).
type FileStore interface {
	PutFile(ctx context.Context, meta store.FileMeta, r io.Reader) (store.FileMeta, error)
	FileInfo(ctx context.Context, id string) (store.FileMeta, error)
	ReadFile(ctx context.Context, id string) (store.FileMeta, []byte, error)
}

// errNoFileStore is returned when the executor has no "files" service.
var errNoFileStore = errors.New(`files need the flow file store (the executor service "files", the app's data folder); none is configured`)

// Files returns the executor's file store.
func Files(run engine.Runtime) (FileStore, error) {
	if run != nil {
		if st, ok := run.Service("files").(FileStore); ok {
			return st, nil
		}
	}
	return nil, errNoFileStore
}

// FileValue is the file value of a stored file.
func FileValue(m store.FileMeta) string {
	name := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, m.Name)
	if name == "" {
		name = "(no name)"
	}
	ct := m.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	return fmt.Sprintf("%s (%s, %d bytes) %s%s", name, ct, m.Size, FilePrefix, m.ID)
}

// FileID returns the stored file's id of a file value, if v is one: text
// that ends with "fbfile:" and 32 hex digits (alone, or after a space).
func FileID(v string) (string, bool) {
	v = strings.TrimSpace(v)
	i := strings.LastIndex(v, FilePrefix)
	if i < 0 || i > 0 && v[i-1] != ' ' {
		return "", false
	}
	id := v[i+len(FilePrefix):]
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return "", false
	}
	return id, true
}

// FileData is a file a card reads: its bytes and what is known of it.
type FileData struct {
	Name        string
	ContentType string
	Data        []byte
	Created     time.Time // zero when the value was not a stored file
	Stored      bool
}

// ReadFileValue resolves a file value (key names the input, for errors).
func ReadFileValue(ctx context.Context, run engine.Runtime, key string, v any) (FileData, error) {
	s := engine.ToText(v)
	if strings.TrimSpace(s) == "" {
		return FileData{}, engine.InputErrorf(key, "no file: bind the File Content of a card that made one (Download, Export to CSV…)")
	}
	if id, ok := FileID(s); ok {
		st, err := Files(run)
		if err != nil {
			return FileData{}, err
		}
		m, data, err := st.ReadFile(ctx, id)
		if errors.Is(err, store.ErrFileNotFound) {
			return FileData{}, engine.InputErrorf(key, "the file %s is not stored (any more): files are kept %d days (FLOWBENCH_FILES_DAYS)",
				id, int(store.CurrentFileLimits().Retention.Hours()/24))
		}
		if err != nil {
			return FileData{}, fmt.Errorf("read file %s: %w", id, err)
		}
		return FileData{Name: m.Name, ContentType: m.ContentType, Data: data, Created: m.Created, Stored: true}, nil
	}
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		meta, payload, found := strings.Cut(rest, ",")
		if !found {
			return FileData{}, engine.InputErrorf(key, "a data: URL without a comma")
		}
		mt, isB64 := strings.CutSuffix(meta, ";base64")
		if !isB64 {
			return FileData{ContentType: mt, Data: []byte(payload)}, nil
		}
		b, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			return FileData{}, engine.InputErrorf(key, "the data: URL's base64 is invalid: %v", err)
		}
		return FileData{ContentType: mt, Data: b}, nil
	}
	return FileData{ContentType: "text/plain; charset=utf-8", Data: []byte(s)}, nil
}

// SaveFile stores data as a file of the running execution and returns its
// metadata; the file value is FileValue(meta).
func SaveFile(ctx context.Context, run engine.Runtime, name, contentType string, r io.Reader) (store.FileMeta, error) {
	st, err := Files(run)
	if err != nil {
		return store.FileMeta{}, err
	}
	if contentType == "" {
		contentType = mime.TypeByExtension(path.Ext(name))
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	exec := ""
	if run != nil {
		exec = run.ExecutionID()
	}
	return st.PutFile(ctx, store.FileMeta{Name: name, ContentType: contentType, Execution: exec}, r)
}
