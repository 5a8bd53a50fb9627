package functions

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

func TestConnectorBuilderFileCards(t *testing.T) {
	srv, _ := fileServer(t)
	ex, st := fileExecutor(t)
	dl := func(extra ...engine.Field) engine.Card {
		return engine.Card{ID: "d", Type: "filefunctions:download", Inputs: append([]engine.Field{v("URL", srv.URL+"/download")}, extra...)}
	}
	fileIn := engine.Field{Key: "File Content", From: bind("d", "File Content")}
	cases := []struct {
		name    string
		cards   []engine.Card
		check   func(t *testing.T, outs map[string]map[string]any)
		wantErr string
		errCard string
	}{
		{name: "download: name from the response, Created At in milliseconds", cards: []engine.Card{dl()},
			check: func(t *testing.T, outs map[string]map[string]any) {
				o := outs["d"]
				ms, err := strconv.ParseInt(engine.ToText(o["Created At"]), 10, 64)
				if o["File Name"] != "Q3 report.pdf" || o["File Size"] != float64(len(pdfBytes)) || err != nil || time.Since(time.UnixMilli(ms)) > time.Hour {
					t.Fatalf("outputs %v", o)
				}
				id, _ := FileID(engine.ToText(o["File Content"]))
				if _, data, err := st.ReadFile(context.Background(), id); err != nil || string(data) != string(pdfBytes) {
					t.Fatalf("stored: %v", err)
				}
			}},
		{name: "download: the File Name input names the file; Query and Headers objects", cards: []engine.Card{{ID: "d", Type: "file.cbDownload",
			Inputs: []engine.Field{v("URL", srv.URL+"/private/data.csv"), v("File Name", "users.csv"),
				vt("Headers", "object", map[string]any{"Authorization": "Bearer t0ken"}), vt("Query", "object", map[string]any{"v": "2"})}}},
			check: func(t *testing.T, outs map[string]map[string]any) {
				if v := engine.ToText(outs["d"]["File Content"]); !strings.HasPrefix(v, "users.csv (text/csv, 8 bytes) fbfile:") {
					t.Fatalf("value %q", v)
				}
			}},
		{name: "download: SFTP is refused", cards: []engine.Card{dl(v("Protocol", "SFTP"))}, errCard: "d", wantErr: `input "Protocol": SFTP is not supported`},
		{name: "download: PUT is refused", cards: []engine.Card{dl(v("HTTP Method", "PUT"))}, errCard: "d", wantErr: "HTTP Method"},
		{name: "upload: the file as the body", cards: []engine.Card{dl(), {ID: "u", Type: "filefunctions:upload",
			Inputs: []engine.Field{fileIn, v("URL", srv.URL+"/upload"), v("HTTP Method", "PUT")}}},
			check: func(t *testing.T, outs map[string]map[string]any) {
				b, _ := outs["u"]["Body"].(map[string]any)
				if outs["u"]["Status Code"] != 200.0 || b["method"] != "PUT" || b["sha256"] != sha(pdfBytes) || b["contentType"] != "application/pdf" {
					t.Fatalf("outputs %v", outs["u"])
				}
			}},
		{name: "upload: multipart with File Metadata and File Info", cards: []engine.Card{dl(), {ID: "u", Type: "file.cbUpload",
			Inputs: []engine.Field{fileIn, v("URL", srv.URL+"/form"),
				vt("File Metadata", "object", map[string]any{"attributes": `{"name":"x.pdf","parent":{"id":"0"}}`,
					"meta": map[string]any{"headers": map[string]any{"Content-Type": "application/json"}, "content": `{"a":1}`}}),
				vt("File Info", "object", map[string]any{"name": "upload", "filename": "x.pdf"})}}},
			check: func(t *testing.T, outs map[string]map[string]any) {
				b, _ := json.Marshal(outs["u"]["Body"])
				want := `{"attributes":"{\"name\":\"x.pdf\",\"parent\":{\"id\":\"0\"}}","file:upload":{"name":"x.pdf","sha256":"` + sha(pdfBytes) + `","size":` +
					strconv.Itoa(len(pdfBytes)) + `,"type":"application/pdf"},"meta":"{\"a\":1}"}`
				if string(b) != want {
					t.Fatalf("body %s\nwant %s", b, want)
				}
			}},
		{name: "upload: File Metadata without File Info's name", cards: []engine.Card{dl(), {ID: "u", Type: "file.cbUpload",
			Inputs: []engine.Field{fileIn, v("URL", srv.URL+"/form"), vt("File Metadata", "object", map[string]any{"a": "b"})}}},
			errCard: "u", wantErr: "File Info"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runCards(t, ex, "cb", c.cards, c.errCard, c.wantErr)
			if res == nil {
				return
			}
			outs := map[string]map[string]any{}
			for _, r := range res.Cards {
				outs[r.ID] = r.Outputs
			}
			c.check(t, outs)
		})
	}
}
