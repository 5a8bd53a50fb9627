package functions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// The File cards Okta offers only in Connector Builder: File download
// (filefunctions:download, File/filefunctions_download.htm) and File upload
// (filefunctions:upload, File/filefunctions_upload.htm). They take Query and
// Headers as objects and an HTTP method; Protocol SFTP is refused (Flowbench
// has no SFTP client). File upload sends the file alone as the body, or, with
// File Metadata, as multipart/form-data: each File Metadata key is a part
// (text, or {"headers": {...}, "content": "..."}), then the file as the part
// File Info describes ("name" the form field, default "file"; "filename";
// "contentType").

func init() {
	protocol := engine.FieldSpec{Key: "Protocol", Label: "Protocol", Type: tString, Default: "HTTP",
		Choices: []engine.Choice{{Value: "HTTP", Label: "HTTP"}, {Value: "SFTP", Label: "SFTP"}}}
	query := engine.FieldSpec{Key: "Query", Label: "Query", Type: tObject, Description: `query parameters, e.g. {"name":"something-urgent"}`}
	headers := engine.FieldSpec{Key: "Headers", Label: "Headers", Type: tObject, Description: "request headers"}
	urlIn := engine.FieldSpec{Key: "URL", Label: "URL", Type: tString, Required: true, Description: "http:// or https:// URL of the request"}
	engine.Register(&engine.Spec{ID: "file.cbDownload", Okta: []string{"filefunctions:download"}, Title: "File download", Category: "File", Kind: engine.KindAction,
		Inputs: []engine.FieldSpec{{Key: "File Name", Label: "File Name", Type: tString, Description: "the file's name; default: the response's Content-Disposition, else the URL's last segment"},
			urlIn, {Key: "HTTP Method", Label: "HTTP Method", Type: tString, Default: "GET",
				Choices: []engine.Choice{{Value: "GET", Label: "GET"}, {Value: "POST", Label: "POST"}}},
			protocol, query, headers},
		Outputs: []engine.FieldSpec{{Key: "File Content", Label: "File Content", Type: tFile}, {Key: "File Name", Label: "File Name", Type: tString},
			{Key: "Created At", Label: "Created At", Type: tString}, {Key: "File Size", Label: "File Size", Type: tNumber}},
		DocURL: helpFile + "filefunctions_download.htm",
		Description: "Connector Builder's File download: fetches a file (GET or POST) into the flow file system, as Download does. " +
			"Created At is the time it was stored, in UNIX milliseconds (as text); File Size is in bytes. Protocol SFTP is not supported.",
		Run: runCBDownload})
	engine.Register(&engine.Spec{ID: "file.cbUpload", Okta: []string{"filefunctions:upload"}, Title: "File upload", Category: "File", Kind: engine.KindAction,
		Inputs: []engine.FieldSpec{{Key: "File Content", Label: "File Content", Type: tFile, Required: true}, urlIn,
			{Key: "HTTP Method", Label: "HTTP Method", Type: tString, Default: "POST",
				Choices: []engine.Choice{{Value: "POST", Label: "POST"}, {Value: "PUT", Label: "PUT"}}},
			protocol, query, headers,
			{Key: "File Metadata", Label: "File Metadata", Type: tObject, Description: `multipart parts sent before the file: {"attributes": "{…}"} or {"metadata": {"headers": {…}, "content": "…"}}`},
			{Key: "File Info", Label: "File Info", Type: tObject, Description: `the file's part with File Metadata: {"name": "file", "filename": "report.pdf"}`}},
		Outputs: []engine.FieldSpec{{Key: "Status Code", Label: "Status Code", Type: tNumber}, {Key: "Headers", Label: "Headers", Type: tObject},
			{Key: "Body", Label: "Body", Type: tAny}},
		DocURL: helpFile + "filefunctions_upload.htm",
		Description: "Connector Builder's File upload: sends a file with POST or PUT, as the body, or with File Metadata as multipart/form-data " +
			"(File Metadata's parts, keys sorted, then the file as File Info describes: name = form field, default \"file\"; filename; contentType). " +
			"Outputs the response: status, headers and body (JSON parsed). A status of 400 or more fails the card. Protocol SFTP is not supported.",
		Run: runCBUpload})
}

func cbProtocol(in engine.Inputs) error {
	if p := strings.ToUpper(strings.TrimSpace(str(in, "Protocol"))); p != "" && p != "HTTP" {
		return engine.InputErrorf("Protocol", "%s is not supported: Flowbench sends files over HTTP(S) only", p)
	}
	return nil
}

func objectValues(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			if x != nil {
				out[k] = headerValue(x)
			}
		}
	}
	return out
}

func cbRequest(in engine.Inputs, method string) (*httpx.Request, error) {
	u, err := fileURL(in, "URL")
	if err != nil {
		return nil, err
	}
	if err := cbProtocol(in); err != nil {
		return nil, err
	}
	req := &httpx.Request{Method: method, URL: u, Header: http.Header{}, Query: url.Values{}, Policy: httpx.CardPolicy(in.Card)}
	for k, v := range objectValues(in.Values["Headers"]) {
		req.Header.Set(k, v)
	}
	for k, v := range objectValues(in.Values["Query"]) {
		req.Query.Set(k, v)
	}
	if in.Run != nil {
		req.OnAttempt = in.Run.Attempt
	}
	return req, nil
}

func runCBDownload(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	m := strings.ToUpper(strings.TrimSpace(str(in, "HTTP Method")))
	if m == "" {
		m = http.MethodGet
	}
	if m != http.MethodGet && m != http.MethodPost {
		return nil, engine.InputErrorf("HTTP Method", "%q is not GET or POST", m)
	}
	req, err := cbRequest(in, m)
	if err != nil {
		return nil, err
	}
	if _, err := Files(in.Run); err != nil {
		return nil, err
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "*/*")
	}
	var base http.RoundTripper
	if in.Run != nil {
		base, _ = in.Run.Service("http").(http.RoundTripper)
	}
	if base == nil {
		base = httpx.DefaultTransport()
	}
	name := strings.TrimSpace(str(in, "File Name"))
	resp, err := fileClient(in, &captureTransport{base: base, ctx: ctx, run: in.Run, name: name}).Do(ctx, req)
	if err != nil {
		return nil, err
	}
	c, err := capturedFile(resp, req.URL)
	if err != nil {
		return nil, err
	}
	fs, err := Files(in.Run)
	if err != nil {
		return nil, err
	}
	id, _ := FileID(c.File)
	meta, err := fs.FileInfo(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", httpx.RedactURL(req.URL), err)
	}
	return engine.Outputs{"File Content": c.File, "File Name": c.Name, "Created At": strconv.FormatInt(meta.Created.UnixMilli(), 10),
		"File Size": float64(c.Size)}, nil
}

func runCBUpload(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	f, err := ReadFileValue(ctx, in.Run, "File Content", in.Values["File Content"])
	if err != nil {
		return nil, err
	}
	m := strings.ToUpper(strings.TrimSpace(str(in, "HTTP Method")))
	if m == "" {
		m = http.MethodPost
	}
	if m != http.MethodPost && m != http.MethodPut {
		return nil, engine.InputErrorf("HTTP Method", "%q is not PUT or POST", m)
	}
	req, err := cbRequest(in, m)
	if err != nil {
		return nil, err
	}
	meta, hasMeta := in.Values["File Metadata"].(map[string]any)
	if !hasMeta || len(meta) == 0 {
		req.Body = f.Data
		if req.Header.Get("Content-Type") == "" && f.ContentType != "" {
			req.Header.Set("Content-Type", f.ContentType)
		}
	} else {
		info, _ := in.Values["File Info"].(map[string]any)
		if _, ok := info["name"]; !ok {
			return nil, engine.InputErrorf("File Info", `needs a "name" (the file's form field, e.g. "file") when File Metadata is set`)
		}
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		keys := make([]string, 0, len(meta))
		for k := range meta {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, quoteEscaper.Replace(k)))
			content := meta[k]
			if part, ok := content.(map[string]any); ok {
				if _, has := part["content"]; has {
					for hk, hv := range objectValues(part["headers"]) {
						h.Set(hk, hv)
					}
					content = part["content"]
				}
			}
			pw, err := w.CreatePart(h)
			if err != nil {
				return nil, err
			}
			_, _ = pw.Write([]byte(headerValue(content)))
		}
		field := strings.TrimSpace(engine.ToText(info["name"]))
		if field == "" {
			field = "file"
		}
		filename := strings.TrimSpace(engine.ToText(info["filename"]))
		if filename == "" {
			filename = f.Name
		}
		if filename == "" {
			filename = "file"
		}
		ct := strings.TrimSpace(engine.ToText(info["contentType"]))
		if ct == "" {
			ct = f.ContentType
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(field), quoteEscaper.Replace(filename)))
		h.Set("Content-Type", ct)
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, err
		}
		_, _ = pw.Write(f.Data)
		_ = w.Close()
		req.Body = buf.Bytes()
		req.Header.Set("Content-Type", w.FormDataContentType())
	}
	if m == http.MethodPost {
		no := false
		req.Idempotent = &no
	}
	resp, err := fileClient(in, nil).Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.Status >= 400 {
		return nil, fileHTTPError(resp)
	}
	var body any
	if json.Unmarshal(resp.Body, &body) != nil {
		body = string(resp.Body)
	}
	return engine.Outputs{"Status Code": float64(resp.Status), "Headers": httpx.HeaderMap(resp.Header, "Set-Cookie"), "Body": body}, nil
}
