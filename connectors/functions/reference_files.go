package functions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Okta's File functions (function-reference/File/): Download
// (filefunctions:largeDownload, the card the corpus uses), Info
// (filefunctions:info), Upload (filefunctions:largeUpload) and Multipart
// Upload (filefunctions:largeMultipartUpload). Okta's module is a channel
// ("root:channels:http:filefunctions"), so the kinds are <module>:<method>
// as for connector cards. The Connector Builder-only "File download" and
// "File upload" (filefunctions:download / :upload) are in reference_files_cb.go.
//
// Outside calls go through httpx (retries, rate governor, the card's
// policy, recorded calls). A download's bytes never reach history: the
// capturing transport streams a 2xx body into the file store (bounded) and
// hands httpx a small JSON stand-in, which is what the recorded call shows.

const helpFile = help + "File/"

func init() {
	for _, s := range fileCards() {
		engine.Register(s)
	}
}

var tFile = engine.T("file")

func fileCards() []*engine.Spec {
	method := engine.FieldSpec{Key: "Method", Group: "Destination", Label: "Method", Type: tString, Default: "POST",
		Choices: []engine.Choice{{Value: "POST", Label: "POST"}, {Value: "PUT", Label: "PUT"}}}
	fileIn := engine.FieldSpec{Key: "File Content", Group: "File", Label: "File Content", Type: tFile, Required: true,
		Description: "the file: the File Content output of a card that made one (Download, Export to CSV, a connector's download)"}
	respOut := []engine.FieldSpec{{Key: "body", Group: "Raw Body", Label: "body", Type: tString,
		Description: "the response body as text"}}
	return []*engine.Spec{
		{ID: "file.download", Okta: []string{"filefunctions:largeDownload"}, Title: "Download", Category: "File", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{{Key: "URL", Group: "Location", Label: "URL", Type: tString, Required: true,
				Description: "http:// or https:// URL of the file"},
				{Key: "Headers", Group: "Headers", Label: "Headers", Type: tObject, Description: "request headers (object); fields added to the Headers group add more"},
				{Key: "Query", Group: "Query", Label: "Query", Type: tObject, Description: "query parameters (object); fields added to the Query group add more"}},
			ExtensibleInputs: true,
			Outputs: []engine.FieldSpec{{Key: "File Content", Group: "File", Label: "File Content", Type: tFile},
				{Key: "Filename", Group: "File", Label: "Filename", Type: tString}, {Key: "Size", Group: "File", Label: "Size", Type: tNumber}},
			DocURL: helpFile + "filefunctions_largedownload.htm",
			Description: "Downloads a file over HTTP or HTTPS (GET) into the flow file system. Headers and Query (objects) and fields added to the Headers " +
				"and Query groups are request headers and query parameters. File Content is the file (pass it to Upload, Info, Google Drive Upload File…), " +
				"Filename comes from the response's Content-Disposition, else the URL's last path segment; Size is in bytes. " +
				"A status of 400 or more fails the card with the server's answer. Files are kept FLOWBENCH_FILES_DAYS days (7), " +
				"at most FLOWBENCH_FILE_MB (100) each; History shows the file value (name, type, size), never the bytes.",
			Run: runDownload},
		{ID: "file.info", Okta: []string{"filefunctions:info"}, Title: "Info", Category: "File", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{fileIn},
			Outputs: []engine.FieldSpec{{Key: "Filename", Group: "File", Label: "Filename", Type: tString},
				{Key: "Extension", Group: "File", Label: "Extension", Type: tString}, {Key: "Size", Group: "File", Label: "Size", Type: tNumber},
				{Key: "Created", Group: "File", Label: "Created", Type: tDate}, {Key: "Updated", Group: "File", Label: "Updated", Type: tDate},
				{Key: "Content Type", Group: "File", Label: "Content Type", Type: tString}},
			DocURL: helpFile + "filefunctions_info.htm",
			Description: "Information about a file: its name, extension (without the dot, \"\" when the name has none), size in bytes, " +
				"when it was stored (Created; Updated is the same, stored files do not change) and, beyond Okta's card, its content type. " +
				"Text passed as a file (CSV text, an exported flow) is a file without a name, stored now.",
			Run: runInfo},
		{ID: "file.upload", Okta: []string{"filefunctions:largeUpload"}, Title: "Upload", Category: "File", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{fileIn,
				{Key: "URL", Group: "Destination", Label: "URL", Type: tString, Required: true, Description: "http:// or https:// URL to send the file to"},
				method,
				{Key: "Headers", Group: "Headers", Label: "Headers", Type: tObject, Description: "request headers (object); fields added to the Headers group add more"}},
			ExtensibleInputs: true, ExtensibleOutputs: true,
			Outputs: respOut,
			DocURL:  helpFile + "filefunctions_largeupload.htm",
			Description: "Sends a file's bytes as the body of a PUT or POST (default POST) request. Headers (an object) and fields added to the Headers " +
				"group are request headers; Content-Type is the file's unless a header sets it. Outputs added to the Body group take the JSON response's keys of the " +
				"same name; body is the raw response. A status of 400 or more fails the card with the server's answer.",
			Run: runUpload(false)},
		{ID: "file.multipartUpload", Okta: []string{"filefunctions:largeMultipartUpload"}, Title: "Multipart Upload", Category: "File", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{
				{Key: "Use Custom File Parameters", Group: "Options", Label: "Use Custom File Parameters", Type: tString, Default: "No",
					Choices:     []engine.Choice{{Value: "No", Label: "No"}, {Value: "Yes", Label: "Yes"}},
					Description: "Yes: the file's form field is named by File Parameter Name"},
				fileIn,
				{Key: "File Name", Group: "File", Label: "File Name", Type: tString, Description: "file name sent with the file; default: the file's own"},
				{Key: "File Parameter Name", Group: "File", Label: "File Parameter Name", Type: tString, Default: "file",
					ShownWhen: &engine.ShownWhen{Key: "Use Custom File Parameters", Values: []any{"Yes"}}},
				{Key: "URL", Group: "Http", Label: "URL", Type: tString, Required: true, Description: "http:// or https:// URL to send the form to"},
				{Key: "Method", Group: "Http", Label: "Method", Type: tString, Default: "POST", Choices: method.Choices},
				{Key: "Headers", Group: "Http", Label: "Headers", Type: tObject, Description: "request headers (object)"},
				{Key: "Data", Group: "Data", Label: "Data", Type: tObject, Description: "form fields (object); fields added to the Data group add more"}},
			ExtensibleInputs: true, ExtensibleOutputs: true,
			Outputs: respOut,
			DocURL:  helpFile + "filefunctions_largemultipartupload.htm",
			Description: "Sends a file as multipart/form-data: Data's keys (an object, sorted) and fields added to the Data group are form fields " +
				"(objects and lists as JSON text, e.g. Box's attributes), in their order, then the file as the field \"file\" (or File Parameter Name) with File Name. " +
				"Outputs added to the Body group take the JSON response's keys of the same name; body is the raw response. " +
				"A status of 400 or more fails the card with the server's answer.",
			Run: runUpload(true)},
	}
}

// groupFields returns the card's user-added inputs of a group, in order.
func groupFields(in engine.Inputs, group string) []engine.Field {
	if in.Card == nil {
		return nil
	}
	spec, _ := engine.Default().Card(in.Card.Type)
	var out []engine.Field
	for _, f := range in.Card.Inputs {
		if !strings.EqualFold(f.Group, group) || spec != nil && spec.InputSpec(f.Key) != nil {
			continue
		}
		out = append(out, f)
	}
	return out
}

// strayInputs refuses user-added inputs outside the card's groups (the
// designer's "+ input" adds ungrouped ones): no input is silently dropped.
func strayInputs(in engine.Inputs, groups ...string) error {
	if in.Card == nil {
		return nil
	}
	spec, _ := engine.Default().Card(in.Card.Type)
	for _, f := range in.Card.Inputs {
		if spec != nil && spec.InputSpec(f.Key) != nil {
			continue
		}
		ok := false
		for _, g := range groups {
			ok = ok || strings.EqualFold(f.Group, g)
		}
		if !ok {
			return engine.InputErrorf(f.Key, "is not used by this card: set it in %s (an object) instead", strings.Join(groups, " or "))
		}
	}
	return nil
}

// fileURL checks a URL input: absolute http(s).
func fileURL(in engine.Inputs, key string) (string, error) {
	u := strings.TrimSpace(str(in, key))
	if u == "" {
		return "", engine.InputErrorf(key, "is required")
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.Scheme != "http" && p.Scheme != "https" {
		return "", engine.InputErrorf(key, "%q is not an http:// or https:// URL", httpx.RedactURL(u))
	}
	return u, nil
}

func fileClient(in engine.Inputs, rt http.RoundTripper) *httpx.Client {
	var gov *httpx.Governor
	if in.Run != nil {
		if base, ok := in.Run.Service("http").(http.RoundTripper); ok && rt == nil {
			rt = base
		}
		gov, _ = in.Run.Service("governor").(*httpx.Governor)
	}
	if rt == nil {
		rt = httpx.DefaultTransport()
	}
	return httpx.New(httpx.Options{Key: "files", Governor: gov, Transport: rt})
}

func headerValue(v any) string {
	switch v.(type) {
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return engine.ToText(v)
}

// fileHTTPError is a status >= 400 as the card's error.
func fileHTTPError(resp *httpx.Response) error {
	he := &engine.HTTPError{Status: resp.Status, Summary: http.StatusText(resp.Status)}
	var body any
	if json.Unmarshal(resp.Body, &body) == nil {
		he.Body = body
		if m, ok := body.(map[string]any); ok {
			for _, k := range []string{"errorSummary", "message", "error_description", "error"} {
				if s, ok := m[k].(string); ok && s != "" {
					he.Summary = s
					break
				}
			}
			if c, ok := m["errorCode"].(string); ok {
				he.Code = c
			}
		}
	} else if s := strings.TrimSpace(string(resp.Body)); s != "" && len(s) < 300 {
		he.Summary, he.Body = s, s
	}
	return he
}

// captured is the stand-in body a capturing transport hands httpx.
type captured struct {
	File        string `json:"file,omitempty"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Size        int64  `json:"size,omitempty"`
	Error       string `json:"error,omitempty"`
}

const capturedHeader = "X-Flowbench-File"

// captureTransport stores a 2xx response's body as a file.
type captureTransport struct {
	base http.RoundTripper
	ctx  context.Context
	run  engine.Runtime
	name string // the file's name; "": from the response (downloadName)
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 || req.Method == http.MethodHead {
		return resp, err
	}
	defer resp.Body.Close()
	name, ct := downloadName(req.URL, resp.Header)
	if t.name != "" {
		name = t.name
	}
	var c captured
	status := resp.StatusCode
	m, err := SaveFile(t.ctx, t.run, name, ct, resp.Body)
	var tooLarge *store.FileTooLargeError
	switch {
	case errors.As(err, &tooLarge):
		c.Error, status = err.Error(), http.StatusRequestEntityTooLarge // not retried
	case errors.Is(err, errNoFileStore):
		c.Error, status = err.Error(), http.StatusNotImplemented
	case err != nil:
		return nil, err
	default:
		c = captured{File: FileValue(m), Name: m.Name, ContentType: m.ContentType, Size: m.Size}
	}
	b, _ := json.Marshal(c)
	h := http.Header{"Content-Type": {"application/json"}, capturedHeader: {"1"}}
	return &http.Response{Status: http.StatusText(status), StatusCode: status, Proto: resp.Proto, ProtoMajor: resp.ProtoMajor,
		ProtoMinor: resp.ProtoMinor, Header: h, Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: req}, nil
}

// downloadName is the file's name (Content-Disposition, else the URL's last
// segment, else "download") and content type.
func downloadName(u *url.URL, h http.Header) (string, string) {
	name := ""
	if cd := h.Get("Content-Disposition"); cd != "" {
		if _, p, err := mime.ParseMediaType(cd); err == nil {
			name = path.Base(strings.ReplaceAll(p["filename"], `\`, "/"))
		}
	}
	if name == "" || name == "." || name == "/" {
		if seg := path.Base(u.Path); seg != "." && seg != "/" {
			name = seg
		}
	}
	if name == "" || name == "." || name == "/" {
		name = "download"
	}
	ct := h.Get("Content-Type")
	if base, _, _ := strings.Cut(ct, ";"); strings.TrimSpace(base) == "application/octet-stream" || ct == "" {
		if byExt := mime.TypeByExtension(path.Ext(name)); byExt != "" {
			ct = byExt
		}
	}
	return name, ct
}

func runDownload(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	u, err := fileURL(in, "URL")
	if err != nil {
		return nil, err
	}
	if err := strayInputs(in, "Headers", "Query"); err != nil {
		return nil, err
	}
	if _, err := Files(in.Run); err != nil {
		return nil, err
	}
	hdr, q := http.Header{}, url.Values{}
	if h, ok := in.Values["Headers"].(map[string]any); ok {
		for k, v := range h {
			hdr.Set(k, headerValue(v))
		}
	}
	if m, ok := in.Values["Query"].(map[string]any); ok {
		for k, v := range m {
			q.Set(k, headerValue(v))
		}
	}
	for _, f := range groupFields(in, "Headers") {
		if v := in.Values[f.Key]; v != nil {
			hdr.Set(f.Key, headerValue(v))
		}
	}
	for _, f := range groupFields(in, "Query") {
		if v := in.Values[f.Key]; v != nil {
			q.Add(f.Key, headerValue(v))
		}
	}
	if hdr.Get("Accept") == "" {
		hdr.Set("Accept", "*/*")
	}
	var base http.RoundTripper
	if in.Run != nil {
		base, _ = in.Run.Service("http").(http.RoundTripper)
	}
	if base == nil {
		base = httpx.DefaultTransport()
	}
	cl := fileClient(in, &captureTransport{base: base, ctx: ctx, run: in.Run})
	var attempt func(engine.Attempt)
	if in.Run != nil {
		attempt = in.Run.Attempt
	}
	resp, err := cl.Do(ctx, &httpx.Request{Method: http.MethodGet, URL: u, Query: q, Header: hdr, OnAttempt: attempt, Policy: httpx.CardPolicy(in.Card)})
	if err != nil {
		return nil, err
	}
	c, err := capturedFile(resp, u)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"File Content": c.File, "Filename": c.Name, "Size": float64(c.Size)}, nil
}

// capturedFile reads the stand-in a capturing transport answered (or a flow
// test replays: no header, same body); a status of 400 or more is the
// server's error.
func capturedFile(resp *httpx.Response, u string) (captured, error) {
	var c captured
	if resp.Header.Get(capturedHeader) == "" || json.Unmarshal(resp.Body, &c) != nil {
		if resp.Status >= 400 {
			return c, fileHTTPError(resp)
		}
		if json.Unmarshal(resp.Body, &c) != nil || c.File == "" && c.Error == "" {
			return c, fmt.Errorf("download %s: HTTP %d without a body", httpx.RedactURL(u), resp.Status)
		}
	}
	if c.Error != "" {
		return c, fmt.Errorf("download %s: %s", httpx.RedactURL(u), c.Error)
	}
	return c, nil
}

func runInfo(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	f, err := ReadFileValue(ctx, in.Run, "File Content", in.Values["File Content"])
	if err != nil {
		return nil, err
	}
	created := ""
	if !f.Created.IsZero() {
		created = f.Created.UTC().Format(engine.DateLayout)
	} else {
		created = time.Now().UTC().Format(engine.DateLayout)
	}
	ext := strings.TrimPrefix(path.Ext(f.Name), ".")
	return engine.Outputs{"Filename": f.Name, "Extension": ext, "Size": float64(len(f.Data)), "Created": created, "Updated": created,
		"Content Type": f.ContentType}, nil
}

func runUpload(multi bool) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		f, err := ReadFileValue(ctx, in.Run, "File Content", in.Values["File Content"])
		if err != nil {
			return nil, err
		}
		u, err := fileURL(in, "URL")
		if err != nil {
			return nil, err
		}
		groups := []string{"Headers"}
		if multi {
			groups = append(groups, "Data")
		}
		if err := strayInputs(in, groups...); err != nil {
			return nil, err
		}
		m := strings.ToUpper(strings.TrimSpace(str(in, "Method")))
		if m == "" {
			m = http.MethodPost
		}
		if m != http.MethodPost && m != http.MethodPut {
			return nil, engine.InputErrorf("Method", "%q is not PUT or POST", m)
		}
		hdr := http.Header{}
		for _, g := range groupFields(in, "Headers") {
			if v := in.Values[g.Key]; v != nil {
				hdr.Set(g.Key, headerValue(v))
			}
		}
		if h, ok := in.Values["Headers"].(map[string]any); ok {
			for k, v := range h {
				hdr.Set(k, headerValue(v))
			}
		}
		var body []byte
		if multi {
			name := strings.TrimSpace(str(in, "File Name"))
			if name == "" {
				name = f.Name
			}
			if name == "" {
				name = "file"
			}
			param := "file"
			if str(in, "Use Custom File Parameters") == "Yes" {
				if p := strings.TrimSpace(str(in, "File Parameter Name")); p != "" {
					param = p
				}
			}
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			if d, ok := in.Values["Data"].(map[string]any); ok {
				keys := make([]string, 0, len(d))
				for k := range d {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					if err := w.WriteField(k, headerValue(d[k])); err != nil {
						return nil, err
					}
				}
			}
			for _, g := range groupFields(in, "Data") {
				if v := in.Values[g.Key]; v != nil {
					if err := w.WriteField(g.Key, headerValue(v)); err != nil {
						return nil, err
					}
				}
			}
			ph := textproto.MIMEHeader{}
			ph.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(param), quoteEscaper.Replace(name)))
			ct := f.ContentType
			if ct == "" {
				ct = "application/octet-stream"
			}
			ph.Set("Content-Type", ct)
			pw, err := w.CreatePart(ph)
			if err != nil {
				return nil, err
			}
			_, _ = pw.Write(f.Data)
			_ = w.Close()
			body = buf.Bytes()
			hdr.Set("Content-Type", w.FormDataContentType())
		} else {
			body = f.Data
			if hdr.Get("Content-Type") == "" && f.ContentType != "" {
				hdr.Set("Content-Type", f.ContentType)
			}
		}
		no := false
		req := &httpx.Request{Method: m, URL: u, Header: hdr, Body: body, Policy: httpx.CardPolicy(in.Card)}
		if m == http.MethodPost {
			req.Idempotent = &no // a create: a 5xx is not sent again
		}
		if in.Run != nil {
			req.OnAttempt = in.Run.Attempt
		}
		resp, err := fileClient(in, nil).Do(ctx, req)
		if err != nil {
			return nil, err
		}
		if resp.Status >= 400 {
			return nil, fileHTTPError(resp)
		}
		out := engine.Outputs{"body": string(resp.Body)}
		var parsed map[string]any
		_ = json.Unmarshal(resp.Body, &parsed)
		if in.Card != nil {
			spec, _ := engine.Default().Card(in.Card.Type)
			for _, o := range in.Card.Outputs {
				if spec != nil && spec.OutputSpec(o.Key) != nil {
					continue
				}
				out[o.Key] = parsed[o.Key]
			}
		}
		return out, nil
	}
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)
