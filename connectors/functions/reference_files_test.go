package functions

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// binary content that is not text: history must never show it
var pdfBytes = append([]byte("%PDF-1.7\n\x00\x01\x02\xff"), bytes.Repeat([]byte{0xfe, 0x00, 0x7f}, 1000)...)

// fileServer is the loopback service the File cards talk to.
func fileServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var flaky atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /files/report.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "hello, file\n")
	})
	mux.HandleFunc("GET /download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="Q3 report.pdf"`)
		w.Write(pdfBytes)
	})
	mux.HandleFunc("GET /private/data.csv", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" || r.URL.Query().Get("v") != "2" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, "a,b\n1,2\n")
	})
	mux.HandleFunc("GET /big.bin", func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 3<<20))
	})
	mux.HandleFunc("GET /flaky.txt", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "second time lucky")
	})
	upload := func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		sum := sha256.Sum256(b)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "size": len(b), "sha256": hex.EncodeToString(sum[:]),
			"contentType": r.Header.Get("Content-Type"), "auth": r.Header.Get("Authorization")})
	}
	mux.HandleFunc("PUT /upload", upload)
	mux.HandleFunc("POST /upload", upload)
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out := map[string]any{}
		for k, v := range r.MultipartForm.Value {
			out[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			f, _ := fhs[0].Open()
			b, _ := io.ReadAll(f)
			sum := sha256.Sum256(b)
			out["file:"+k] = map[string]any{"name": fhs[0].Filename, "size": len(b), "sha256": hex.EncodeToString(sum[:]), "type": fhs[0].Header.Get("Content-Type")}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &flaky
}

// runCards runs a manual flow of cards. With wantErr it checks that the run
// fails on card errCard with an error holding wantErr and returns nil;
// otherwise the run must succeed.
func runCards(t *testing.T, ex *engine.Executor, id string, cards []engine.Card, errCard, wantErr string) *engine.Execution {
	t.Helper()
	f := &engine.Flow{Format: engine.FlowFormat, ID: id, Name: id, Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: cards}
	res, err := ex.Run(context.Background(), f, nil, engine.RunOptions{})
	if wantErr != "" {
		var ce *engine.CardError
		if !errors.As(err, &ce) || ce.Card != errCard || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("err = %v, want a card error of %s with %q", err, errCard, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func fileExecutor(t *testing.T) (*engine.Executor, *store.Store) {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ex := engine.NewExecutor(nil, nil, nil)
	ex.Services["files"] = st
	return ex, st
}

func bind(card, out string) *engine.Binding { return &engine.Binding{Card: card, Path: []string{out}} }

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestFileDownloadInfoUpload(t *testing.T) {
	t.Setenv("FLOWBENCH_FILE_MB", "1")
	srv, flaky := fileServer(t)
	ex, st := fileExecutor(t)
	download := func(path string, extra ...engine.Field) engine.Card {
		return engine.Card{ID: "d", Type: "filefunctions:largeDownload",
			Inputs: append([]engine.Field{vg("Location", "URL", "string", srv.URL+path)}, extra...)}
	}
	info := engine.Card{ID: "i", Type: "filefunctions:info", Inputs: []engine.Field{{Key: "File Content", Group: "File", From: bind("d", "File Content")}}}
	cases := []struct {
		name      string
		cards     []engine.Card
		wantErr   string // in the run's error
		errCard   string
		want      map[string]map[string]any // card → outputs (checked keys)
		valueHas  []string                  // in the file value
		fileBytes []byte
	}{
		{name: "text file, name from the URL", cards: []engine.Card{download("/files/report.txt"), info},
			want: map[string]map[string]any{"d": {"Filename": "report.txt", "Size": 12.0},
				"i": {"Filename": "report.txt", "Extension": "txt", "Size": 12.0, "Content Type": "text/plain; charset=utf-8"}},
			valueHas: []string{"report.txt", "text/plain", "12 bytes"}, fileBytes: []byte("hello, file\n")},
		{name: "binary file, name from Content-Disposition, type from the extension", cards: []engine.Card{download("/download"), info},
			want: map[string]map[string]any{"d": {"Filename": "Q3 report.pdf", "Size": float64(len(pdfBytes))},
				"i": {"Filename": "Q3 report.pdf", "Extension": "pdf", "Content Type": "application/pdf"}},
			valueHas: []string{"Q3 report.pdf (application/pdf, 3013 bytes) fbfile:"}, fileBytes: pdfBytes},
		{name: "headers and query groups", cards: []engine.Card{download("/private/data.csv", vg("Headers", "Authorization", "string", "Bearer t0ken"),
			vg("Query", "v", "string", "2")), info},
			want: map[string]map[string]any{"i": {"Filename": "data.csv", "Size": 8.0, "Content Type": "text/csv"}}, fileBytes: []byte("a,b\n1,2\n")},
		{name: "headers and query objects", cards: []engine.Card{download("/private/data.csv", vg("Headers", "Headers", "object", map[string]any{"Authorization": "Bearer t0ken"}),
			vg("Query", "Query", "object", map[string]any{"v": 2.0})), info},
			want: map[string]map[string]any{"i": {"Filename": "data.csv", "Size": 8.0}}, fileBytes: []byte("a,b\n1,2\n")},
		{name: "a 401 fails with the server's answer", cards: []engine.Card{download("/private/data.csv")}, errCard: "d", wantErr: "Invalid token provided"},
		{name: "a 404 fails", cards: []engine.Card{download("/nothing")}, errCard: "d", wantErr: "404"},
		{name: "a 503 is retried", cards: []engine.Card{download("/flaky.txt")}, want: map[string]map[string]any{"d": {"Filename": "flaky.txt", "Size": 17.0}},
			fileBytes: []byte("second time lucky")},
		{name: "an added input outside Headers and Query", cards: []engine.Card{download("/files/report.txt", v("Authorization", "Bearer x"))},
			errCard: "d", wantErr: `input "Authorization": is not used by this card: set it in Headers or Query`},
		{name: "over the file bound", cards: []engine.Card{download("/big.bin")}, errCard: "d", wantErr: "larger than 1 MB"},
		{name: "not an http URL", cards: []engine.Card{{ID: "d", Type: "file.download", Inputs: []engine.Field{vg("Location", "URL", "string", "file:///etc/passwd")}}},
			errCard: "d", wantErr: "not an http:// or https:// URL"},
		{name: "Info of nothing", cards: []engine.Card{{ID: "i", Type: "file.info", Inputs: []engine.Field{vg("File", "File Content", "file", "")}}},
			errCard: "i", wantErr: "File Content"},
		{name: "Info of a file that is not stored", cards: []engine.Card{{ID: "i", Type: "file.info",
			Inputs: []engine.Field{vg("File", "File Content", "file", "gone.txt (text/plain, 1 bytes) fbfile:0123456789abcdef0123456789abcdef")}}},
			errCard: "i", wantErr: "not stored"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			flaky.Store(0)
			res := runCards(t, ex, "files", c.cards, c.errCard, c.wantErr)
			if res == nil {
				return
			}
			outs := map[string]map[string]any{}
			for _, r := range res.Cards {
				outs[r.ID] = r.Outputs
				// history: the download's recorded call shows the file value, never the bytes
				for _, call := range r.Calls {
					if strings.Contains(call.Body, "hello, file") || strings.Contains(call.Body, "%PDF") || strings.Contains(call.Body, "a,b") {
						t.Fatalf("recorded call carries the file's bytes: %+v", call)
					}
					if call.Status == 200 && !strings.Contains(call.Body, FilePrefix) {
						t.Fatalf("recorded call lacks the file value: %+v", call)
					}
				}
			}
			for card, want := range c.want {
				for k, w := range want {
					if outs[card][k] != w {
						t.Errorf("%s.%s = %#v, want %#v", card, k, outs[card][k], w)
					}
				}
			}
			val, _ := outs["d"]["File Content"].(string)
			for _, s := range c.valueHas {
				if !strings.Contains(val, s) {
					t.Errorf("file value %q lacks %q", val, s)
				}
			}
			id, ok := FileID(val)
			if !ok {
				t.Fatalf("File Content %q is not a file value", val)
			}
			m, data, err := st.ReadFile(context.Background(), id)
			if err != nil || !bytes.Equal(data, c.fileBytes) || m.Execution != res.ID {
				t.Fatalf("stored file: %q (%v), meta %+v, execution %s", data, err, m, res.ID)
			}
			if created, _ := outs["i"]["Created"].(string); outs["i"] != nil && created == "" {
				t.Errorf("Info Created is empty")
			}
		})
	}
}

func TestFileUploadAndMultipart(t *testing.T) {
	srv, _ := fileServer(t)
	ex, _ := fileExecutor(t)
	dl := engine.Card{ID: "d", Type: "file.download", Inputs: []engine.Field{vg("Location", "URL", "string", srv.URL+"/download")}}
	fileIn := engine.Field{Key: "File Content", Group: "File", From: bind("d", "File Content")}
	body := func(keys ...string) []engine.Field {
		var out []engine.Field
		for _, k := range keys {
			out = append(out, engine.Field{Key: k, Group: "Body", Type: engine.T("any")})
		}
		return append(out, engine.Field{Key: "body", Group: "Raw Body", Type: engine.T("string")})
	}
	cases := []struct {
		name    string
		card    engine.Card
		want    map[string]any
		wantErr string
	}{
		{name: "PUT the downloaded file with a header", card: engine.Card{ID: "u", Type: "filefunctions:largeUpload",
			Inputs: []engine.Field{fileIn, vg("Destination", "URL", "string", srv.URL+"/upload"), vg("Destination", "Method", "string", "PUT"),
				vg("Headers", "Authorization", "string", "Bearer up")}, Outputs: body("method", "size", "sha256", "contentType", "auth")},
			want: map[string]any{"method": "PUT", "size": float64(len(pdfBytes)), "sha256": sha(pdfBytes), "contentType": "application/pdf", "auth": "Bearer up"}},
		{name: "POST by default; a header sets the type", card: engine.Card{ID: "u", Type: "file.upload",
			Inputs:  []engine.Field{fileIn, vg("Destination", "URL", "string", srv.URL+"/upload"), vg("Headers", "Content-Type", "string", "application/x-custom")},
			Outputs: body("method", "contentType")},
			want: map[string]any{"method": "POST", "contentType": "application/x-custom"}},
		{name: "text as the file", card: engine.Card{ID: "u", Type: "file.upload",
			Inputs:  []engine.Field{vg("File", "File Content", "file", "a,b\n"), vg("Destination", "URL", "string", srv.URL+"/upload")},
			Outputs: body("size", "sha256")},
			want: map[string]any{"size": 4.0, "sha256": sha([]byte("a,b\n"))}},
		{name: "PATCH is refused", card: engine.Card{ID: "u", Type: "file.upload",
			Inputs: []engine.Field{fileIn, vg("Destination", "URL", "string", srv.URL+"/upload"), vg("Destination", "Method", "string", "PATCH")}},
			wantErr: "Method"},
		{name: "multipart with Data fields and the file's name", card: engine.Card{ID: "u", Type: "filefunctions:largeMultipartUpload",
			Inputs: []engine.Field{fileIn, vg("Http", "URL", "string", srv.URL+"/form"),
				vg("Data", "attributes", "object", map[string]any{"name": "x.pdf", "parent": map[string]any{"id": "0"}})},
			Outputs: body("attributes", "file:file")},
			want: map[string]any{"attributes": `{"name":"x.pdf","parent":{"id":"0"}}`,
				"file:file": map[string]any{"name": "Q3 report.pdf", "size": float64(len(pdfBytes)), "sha256": sha(pdfBytes), "type": "application/pdf"}}},
		{name: "multipart with a Data object", card: engine.Card{ID: "u", Type: "file.multipartUpload",
			Inputs:  []engine.Field{fileIn, vg("Http", "URL", "string", srv.URL+"/form"), vg("Data", "Data", "object", map[string]any{"folder": "0", "n": 2.0})},
			Outputs: body("folder", "n")},
			want: map[string]any{"folder": "0", "n": "2"}},
		{name: "multipart with a custom file parameter and name", card: engine.Card{ID: "u", Type: "file.multipartUpload",
			Inputs: []engine.Field{vg("Options", "Use Custom File Parameters", "string", "Yes"), fileIn, vg("File", "File Name", "string", "renamed.pdf"),
				vg("File", "File Parameter Name", "string", "upload"), vg("Http", "URL", "string", srv.URL+"/form")},
			Outputs: body("file:upload")},
			want: map[string]any{"file:upload": map[string]any{"name": "renamed.pdf", "size": float64(len(pdfBytes)), "sha256": sha(pdfBytes), "type": "application/pdf"}}},
		{name: "an added input outside Headers and Data", card: engine.Card{ID: "u", Type: "file.multipartUpload",
			Inputs: []engine.Field{fileIn, vg("Http", "URL", "string", srv.URL+"/form"), v("folder", "0")}}, wantErr: "Headers or Data"},
		{name: "a 400 fails with the server's answer", card: engine.Card{ID: "u", Type: "file.upload",
			Inputs: []engine.Field{fileIn, vg("Destination", "URL", "string", srv.URL+"/form")}}, wantErr: "400"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &engine.Flow{Format: engine.FlowFormat, ID: "up", Name: "up", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
				Cards: []engine.Card{dl, c.card}}
			res, err := ex.Run(context.Background(), f, nil, engine.RunOptions{})
			if c.wantErr != "" {
				var ce *engine.CardError
				if !errors.As(err, &ce) || ce.Card != "u" || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want an error of u with %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out := res.Cards[len(res.Cards)-1].Outputs
			for k, w := range c.want {
				g, _ := json.Marshal(out[k])
				wj, _ := json.Marshal(w)
				if string(g) != string(wj) {
					t.Errorf("%s = %s, want %s", k, g, wj)
				}
			}
			if s, _ := out["body"].(string); !strings.HasPrefix(s, "{") {
				t.Errorf("raw body = %q", s)
			}
		})
	}
}

func TestFileValueForms(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, in, wantType string
		want               []byte
		errIn              string
	}{
		{name: "text", in: "a,b\n", want: []byte("a,b\n"), wantType: "text/plain; charset=utf-8"},
		{name: "base64 data URL", in: "data:image/png;base64,iVBORw==", want: []byte{0x89, 0x50, 0x4e, 0x47}, wantType: "image/png"},
		{name: "plain data URL", in: "data:text/csv,x,y", want: []byte("x,y"), wantType: "text/csv"},
		{name: "bad base64", in: "data:a/b;base64,%%%", errIn: "f"},
		{name: "empty", in: " ", errIn: "f"},
		{name: "file value without a store", in: "x (a/b, 1 bytes) fbfile:0123456789abcdef0123456789abcdef", errIn: "-"},
		{name: "text that mentions fbfile: is text", in: "see fbfile:notanid", want: []byte("see fbfile:notanid"), wantType: "text/plain; charset=utf-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadFileValue(ctx, nil, "f", c.in)
			if c.errIn != "" {
				var fe *engine.FieldError
				if err == nil || c.errIn != "-" && (!errors.As(err, &fe) || fe.Key != c.errIn) {
					t.Fatalf("err = %v, want an error on %q", err, c.errIn)
				}
				return
			}
			if err != nil || !bytes.Equal(got.Data, c.want) || got.ContentType != c.wantType || got.Stored {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
	}
	const id = "0123456789abcdef0123456789abcdef"
	v := FileValue(store.FileMeta{ID: id, Name: "a\nb fbfile:x.txt", Size: 3})
	if got, ok := FileID(v); !ok || got != id {
		t.Fatalf("FileID(%q) = %q %v", v, got, ok)
	}
	if v != "a b fbfile:x.txt (application/octet-stream, 3 bytes) fbfile:"+id {
		t.Fatalf("FileValue = %q", v)
	}
	for _, s := range []string{"fbfile:" + id[:31], "xfbfile:" + id, "fbfile:" + strings.ToUpper(id), id} {
		if _, ok := FileID(s); ok {
			t.Errorf("FileID(%q) took it for a file value", s)
		}
	}
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A flow test replays the Download's recorded call, the JSON stand-in: the
// card gives the recorded file value again, without the network.
func TestFileDownloadReplaysItsRecordedCall(t *testing.T) {
	ex, st := fileExecutor(t)
	m, err := st.PutFile(context.Background(), store.FileMeta{Name: "a.txt", ContentType: "text/plain"}, strings.NewReader("abc"))
	if err != nil {
		t.Fatal(err)
	}
	stand := `{"file":"` + FileValue(m) + `","name":"a.txt","contentType":"text/plain","size":3}`
	calls := 0
	ctx := engine.WithTransport(context.Background(), rtFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(stand)), Request: r}, nil
	}))
	f := &engine.Flow{Format: engine.FlowFormat, ID: "replay", Name: "replay", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "d", Type: "file.download", Inputs: []engine.Field{vg("Location", "URL", "string", "https://files.example.com/a.txt")}},
			{ID: "i", Type: "file.info", Inputs: []engine.Field{{Key: "File Content", From: bind("d", "File Content")}}}}}
	res, err := ex.Run(ctx, f, nil, engine.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || res.Cards[1].Outputs["File Content"] != FileValue(m) || res.Cards[2].Outputs["Size"] != 3.0 {
		t.Fatalf("calls %d, outputs %v / %v", calls, res.Cards[1].Outputs, res.Cards[2].Outputs)
	}
}
