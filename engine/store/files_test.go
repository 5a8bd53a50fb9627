package store

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestFilesRoundTripAndBounds(t *testing.T) {
	ctx := context.Background()
	t.Setenv("FLOWBENCH_FILE_MB", "1")
	t.Setenv("FLOWBENCH_FILES_MB", "3")
	dir := t.TempDir()
	s := open(t, dir)
	rnd := rand.New(rand.NewPCG(1, 2))
	blob := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rnd.UintN(256))
		}
		return b
	}
	cases := []struct {
		name    string
		data    []byte
		tooBig  bool
		wantErr string
	}{
		{name: "empty file", data: nil},
		{name: "one byte", data: []byte{0}},
		{name: "exactly one chunk", data: blob(fileChunk)},
		{name: "a chunk and one byte", data: blob(fileChunk + 1)},
		{name: "exactly the bound", data: blob(1 << 20)},
		{name: "one byte over the bound", data: blob(1<<20 + 1), tooBig: true, wantErr: "larger than 1 MB"},
	}
	var kept []FileMeta
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := s.PutFile(ctx, FileMeta{Name: " report.bin ", ContentType: "application/octet-stream", Execution: "x1"}, bytes.NewReader(c.data))
			if c.tooBig {
				var tl *FileTooLargeError
				if !errors.As(err, &tl) || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want a FileTooLargeError %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Size != int64(len(c.data)) || m.Name != "report.bin" || !validFileID(m.ID) || m.Execution != "x1" || m.Created.IsZero() {
				t.Fatalf("meta = %+v", m)
			}
			got, data, err := s.ReadFile(ctx, m.ID)
			if err != nil || !bytes.Equal(data, c.data) || got != m {
				t.Fatalf("read back %d bytes, meta %+v, err %v", len(data), got, err)
			}
			kept = append(kept, m)
		})
	}
	// nothing of the refused file stays: the count and bytes are the kept files'
	n, size, err := s.FilesUsage()
	var want int64
	for _, m := range kept {
		want += m.Size
	}
	if err != nil || n != len(kept) || size != want {
		t.Fatalf("usage = %d files %d bytes (%v), want %d files %d bytes", n, size, err, len(kept), want)
	}
	// the total bound (3 MB): ~1.5 MB stored, a 1 MB file fits, the next one not
	if _, err := s.PutFile(ctx, FileMeta{Name: "a"}, bytes.NewReader(blob(1<<20))); err != nil {
		t.Fatal(err)
	}
	_, err = s.PutFile(ctx, FileMeta{Name: "b"}, bytes.NewReader(blob(1<<20)))
	var tl *FileTooLargeError
	if !errors.As(err, &tl) || !tl.Total {
		t.Fatalf("over the total bound: err = %v", err)
	}
	// delete frees the space; a deleted or unknown file is not found
	if err := s.DeleteFile(ctx, kept[len(kept)-1].ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{kept[len(kept)-1].ID, "00000000000000000000000000000000", "../etc", ""} {
		if _, _, err := s.ReadFile(ctx, id); !errors.Is(err, ErrFileNotFound) {
			t.Fatalf("ReadFile(%q) err = %v, want ErrFileNotFound", id, err)
		}
	}
	if _, err := s.PutFile(ctx, FileMeta{Name: "b"}, bytes.NewReader(blob(1<<20))); err != nil {
		t.Fatalf("after a delete: %v", err)
	}
	// files survive a reopen
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer s.Close()
	if _, data, err := s.ReadFile(ctx, kept[2].ID); err != nil || len(data) != fileChunk {
		t.Fatalf("after reopen: %d bytes, %v", len(data), err)
	}
}

func TestPutFileCanceled(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.PutFile(ctx, FileMeta{Name: "x"}, strings.NewReader("data")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n, _, _ := s.FilesUsage(); n != 0 {
		t.Fatalf("%d files after a canceled put", n)
	}
}
