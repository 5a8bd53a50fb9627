package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Files: the flow file system of Okta Workflows' File functions (Download,
// Upload, Info) and of connector cards that download or upload files. A
// card stores a file's bytes here and passes a small file value on; history
// keeps that value, never the bytes.
//
// Keys: files/m/<id> the file's metadata (JSON FileMeta), files/c/<id>/<n> its bytes
// in chunks of fileChunk bytes. Every key carries a TTL of the retention
// (FLOWBENCH_FILES_DAYS, default 7 days): Badger drops expired files by
// itself. One file is at most FLOWBENCH_FILE_MB (default 100 MB), all files
// together at most FLOWBENCH_FILES_MB (default 1024 MB).

// File bounds' defaults.
const (
	DefaultFileMaxMB  = 100
	DefaultFilesMaxMB = 1024
	DefaultFileDays   = 7
	fileChunk         = 256 << 10
)

// FileMeta describes a stored file.
type FileMeta struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	Created     time.Time `json:"created"`
	// Execution is the execution that stored the file ("" outside a run).
	Execution string `json:"execution,omitempty"`
}

// ErrFileNotFound is returned for a file that was never stored or has expired.
var ErrFileNotFound = errors.New("file not found (never stored, or past the file retention)")

// FileTooLargeError is returned when a file passes one of the bounds.
type FileTooLargeError struct {
	Limit int64 // bytes
	Total bool  // the bound on all files together
}

func (e *FileTooLargeError) Error() string {
	if e.Total {
		return fmt.Sprintf("the stored files would pass their total bound of %d MB (FLOWBENCH_FILES_MB)", e.Limit>>20)
	}
	return fmt.Sprintf("the file is larger than %d MB (FLOWBENCH_FILE_MB)", e.Limit>>20)
}

// FileLimits are the bounds in force (read from the environment).
type FileLimits struct {
	MaxBytes   int64 // one file
	TotalBytes int64 // all files
	Retention  time.Duration
}

// CurrentFileLimits reads the bounds from FLOWBENCH_FILE_MB, FLOWBENCH_FILES_MB
// and FLOWBENCH_FILES_DAYS.
func CurrentFileLimits() FileLimits {
	return FileLimits{MaxBytes: int64(max(1, envInt("FLOWBENCH_FILE_MB", DefaultFileMaxMB))) << 20,
		TotalBytes: int64(max(1, envInt("FLOWBENCH_FILES_MB", DefaultFilesMaxMB))) << 20,
		Retention:  time.Duration(max(1, envInt("FLOWBENCH_FILES_DAYS", DefaultFileDays))) * 24 * time.Hour}
}

func fileMetaKey(id string) []byte { return []byte("files/m/" + id) }
func fileChunkKey(id string, n int) []byte {
	return fmt.Appendf(nil, "files/c/%s/%08d", id, n)
}

// validFileID: ids are engine.NewID's 32 hex digits.
func validFileID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// PutFile streams r into a new file and returns its metadata (ID, Size and
// Created filled in). A file that passes a bound is refused
// (*FileTooLargeError) and nothing of it stays.
func (s *Store) PutFile(ctx context.Context, meta FileMeta, r io.Reader) (FileMeta, error) {
	lim := CurrentFileLimits()
	used, err := s.filesSize()
	if err != nil {
		return FileMeta{}, err
	}
	meta.ID = engine.NewID()
	meta.Created = time.Now().UTC()
	meta.Name = strings.TrimSpace(meta.Name)
	ttl := lim.Retention
	buf := make([]byte, fileChunk)
	n := 0
	var size int64
	wb := s.db.NewWriteBatch()
	fail := func(err error) (FileMeta, error) {
		wb.Cancel()
		s.dropFileChunks(meta.ID, n)
		return FileMeta{}, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		k, rerr := io.ReadFull(r, buf)
		if k > 0 {
			size += int64(k)
			if size > lim.MaxBytes {
				return fail(&FileTooLargeError{Limit: lim.MaxBytes})
			}
			if used+size > lim.TotalBytes {
				return fail(&FileTooLargeError{Limit: lim.TotalBytes, Total: true})
			}
			e := badger.NewEntry(fileChunkKey(meta.ID, n), bytes.Clone(buf[:k])).WithTTL(ttl)
			if err := wb.SetEntry(e); err != nil {
				return fail(fmt.Errorf("store file: %w", err))
			}
			n++
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return fail(rerr)
		}
	}
	meta.Size = size
	mb, _ := json.Marshal(meta)
	if err := wb.SetEntry(badger.NewEntry(fileMetaKey(meta.ID), mb).WithTTL(ttl)); err != nil {
		return fail(fmt.Errorf("store file: %w", err))
	}
	if err := wb.Flush(); err != nil {
		s.dropFileChunks(meta.ID, n)
		return FileMeta{}, fmt.Errorf("store file: %w", err)
	}
	return meta, nil
}

// FileInfo returns a stored file's metadata (ErrFileNotFound when missing).
func (s *Store) FileInfo(_ context.Context, id string) (FileMeta, error) {
	var m FileMeta
	if !validFileID(id) {
		return m, ErrFileNotFound
	}
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(fileMetaKey(id))
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error { return json.Unmarshal(v, &m) })
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return m, ErrFileNotFound
	}
	return m, err
}

// ReadFile returns a stored file's metadata and bytes.
func (s *Store) ReadFile(ctx context.Context, id string) (FileMeta, []byte, error) {
	m, err := s.FileInfo(ctx, id)
	if err != nil {
		return m, nil, err
	}
	data := make([]byte, 0, m.Size)
	err = s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte("files/c/" + id + "/")
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := it.Item().Value(func(v []byte) error { data = append(data, v...); return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return m, nil, err
	}
	if int64(len(data)) != m.Size {
		return m, nil, fmt.Errorf("file %s is incomplete (%d of %d bytes)", id, len(data), m.Size)
	}
	return m, data, nil
}

// DeleteFile removes a stored file (no error when it is missing).
func (s *Store) DeleteFile(ctx context.Context, id string) error {
	m, err := s.FileInfo(ctx, id)
	if errors.Is(err, ErrFileNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete(fileMetaKey(id)) }); err != nil {
		return err
	}
	s.dropFileChunks(id, int((m.Size+fileChunk-1)/fileChunk))
	return nil
}

// FilesUsage is how many files are stored and their bytes.
func (s *Store) FilesUsage() (count int, bytes int64, err error) {
	err = s.eachFileMeta(func(m FileMeta) { count++; bytes += m.Size })
	return count, bytes, err
}

func (s *Store) filesSize() (int64, error) {
	_, n, err := s.FilesUsage()
	return n, err
}

func (s *Store) eachFileMeta(fn func(FileMeta)) error {
	return s.db.View(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.Prefix = []byte("files/m/")
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var m FileMeta
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &m) }); err != nil {
				return err
			}
			fn(m)
		}
		return nil
	})
}

func (s *Store) dropFileChunks(id string, n int) {
	wb := s.db.NewWriteBatch()
	for i := range n {
		_ = wb.Delete(fileChunkKey(id, i))
	}
	_ = wb.Flush()
}
