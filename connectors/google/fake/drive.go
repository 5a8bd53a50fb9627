package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const (
	scDrive  = "https://www.googleapis.com/auth/drive"
	scSheets = "https://www.googleapis.com/auth/spreadsheets"
)

func (s *Server) driveRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /drive/v3/about", s.driveAbout)
	m.HandleFunc("GET /drive/v3/files", s.driveList)
	m.HandleFunc("GET /drive/v3/files/{fileId}", s.driveGet)
	m.HandleFunc("GET /drive/v3/files/{fileId}/export", s.driveExport)
	m.HandleFunc("POST /drive/v3/files", s.driveCreate)
	m.HandleFunc("POST /upload/drive/v3/files", s.driveCreate)
	m.HandleFunc("GET /v4/spreadsheets/{spreadsheetId}", s.sheetsGet)
	m.HandleFunc("GET /v4/spreadsheets/{spreadsheetId}/values/{range}", s.sheetsValues)
	m.HandleFunc("POST /v4/spreadsheets/{spreadsheetId}/values/{range}", s.sheetsAppend)
}

func fileJSON(f *File) map[string]any {
	m := map[string]any{"kind": "drive#file", "id": f.ID, "name": f.Name, "mimeType": f.MimeType, "starred": f.Starred,
		"trashed": f.Trashed, "createdTime": rfc3339(f.Created), "modifiedTime": rfc3339(f.Created),
		"owners": []any{map[string]any{"kind": "drive#user", "emailAddress": f.Owner, "displayName": f.Owner}}}
	if len(f.Parents) > 0 {
		m["parents"] = f.Parents
	}
	if f.Description != "" {
		m["description"] = f.Description
	}
	if !strings.HasPrefix(f.MimeType, "application/vnd.google-apps.") {
		m["size"] = strconv.Itoa(len(f.Content))
	}
	return m
}

func (s *Server) driveAbout(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r, scDrive)
	if ss == nil {
		return
	}
	writeJSON(w, 200, map[string]any{"kind": "drive#about", "user": map[string]any{"kind": "drive#user", "emailAddress": ss.subject,
		"displayName": ss.subject, "me": true}})
}

var clauseRE = regexp.MustCompile(`^\s*(?:(name|mimeType|fullText)\s*(=|!=|contains)\s*'((?:[^'\\]|\\.)*)'|(starred|trashed)\s*(=|!=)\s*(true|false)|'((?:[^'\\]|\\.)*)'\s+in\s+parents)\s*$`)

// matchQuery evaluates Drive's query language for the clauses the cards
// use, joined with "and"; an unsupported clause is a 400 as in Drive.
func matchQuery(q string, f *File) (bool, error) {
	if strings.TrimSpace(q) == "" {
		return !f.Trashed, nil
	}
	for _, c := range regexp.MustCompile(`(?i)\s+and\s+`).Split(q, -1) {
		m := clauseRE.FindStringSubmatch(c)
		if m == nil {
			return false, fmt.Errorf("Invalid Value: unsupported query clause %q", strings.TrimSpace(c))
		}
		unq := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, `\'`, `'`), `\\`, `\`) }
		switch {
		case m[1] != "":
			var field string
			switch m[1] {
			case "name":
				field = f.Name
			case "mimeType":
				field = f.MimeType
			default:
				field = f.Name + " " + string(f.Content)
			}
			v := unq(m[3])
			var ok bool
			switch m[2] {
			case "=":
				ok = field == v
			case "!=":
				ok = field != v
			default:
				ok = strings.Contains(strings.ToLower(field), strings.ToLower(v))
			}
			if !ok {
				return false, nil
			}
		case m[4] != "":
			val := f.Starred
			if m[4] == "trashed" {
				val = f.Trashed
			}
			if (m[5] == "=") != (strconv.FormatBool(val) == m[6]) {
				return false, nil
			}
		default:
			found := false
			for _, p := range f.Parents {
				found = found || p == unq(m[7])
			}
			if !found {
				return false, nil
			}
		}
	}
	return true, nil
}

func (s *Server) driveList(w http.ResponseWriter, r *http.Request) {
	if s.authorize(w, r, scDrive) == nil {
		return
	}
	q := r.URL.Query()
	size := 100
	if n, err := strconv.Atoi(q.Get("pageSize")); err == nil && n > 0 && n <= 1000 {
		size = n
	}
	start, _ := strconv.Atoi(q.Get("pageToken"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []any
	for _, f := range s.files {
		ok, err := matchQuery(q.Get("q"), f)
		if err != nil {
			gerr(w, 400, "invalid", "INVALID_ARGUMENT", err.Error())
			return
		}
		if ok {
			list = append(list, fileJSON(f))
		}
	}
	out := map[string]any{"kind": "drive#fileList", "incompleteSearch": false, "files": []any{}}
	end := min(len(list), start+size)
	if start < len(list) {
		out["files"] = list[start:end]
	}
	if end < len(list) {
		out["nextPageToken"] = strconv.Itoa(end)
	}
	writeJSON(w, 200, out)
}

func (s *Server) fileLocked(id string) *File {
	for _, f := range s.files {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func (s *Server) driveGet(w http.ResponseWriter, r *http.Request) {
	if s.authorize(w, r, scDrive) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fileLocked(r.PathValue("fileId"))
	if f == nil {
		gerr(w, 404, "notFound", "NOT_FOUND", "File not found: "+r.PathValue("fileId")+".")
		return
	}
	if r.URL.Query().Get("alt") != "media" {
		writeJSON(w, 200, fileJSON(f))
		return
	}
	if strings.HasPrefix(f.MimeType, "application/vnd.google-apps.") {
		gerr(w, 403, "fileNotDownloadable", "PERMISSION_DENIED", "Only files with binary content can be downloaded. Use Export with Docs Editors files.")
		return
	}
	w.Header().Set("Content-Type", f.MimeType)
	_, _ = w.Write(f.Content)
}

func (s *Server) driveExport(w http.ResponseWriter, r *http.Request) {
	if s.authorize(w, r, scDrive) == nil {
		return
	}
	mt := r.URL.Query().Get("mimeType")
	if mt == "" {
		badRequest(w, "Required parameter: mimeType")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fileLocked(r.PathValue("fileId"))
	if f == nil {
		gerr(w, 404, "notFound", "NOT_FOUND", "File not found: "+r.PathValue("fileId")+".")
		return
	}
	if !strings.HasPrefix(f.MimeType, "application/vnd.google-apps.") {
		gerr(w, 403, "fileNotExportable", "PERMISSION_DENIED", "Export only supports Docs Editors files.")
		return
	}
	w.Header().Set("Content-Type", mt)
	_, _ = w.Write(f.Content)
}

func (s *Server) driveCreate(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r, scDrive)
	if ss == nil {
		return
	}
	var meta struct {
		Name        string   `json:"name"`
		MimeType    string   `json:"mimeType"`
		Description string   `json:"description"`
		Parents     []string `json:"parents"`
	}
	var content []byte
	mediaType := ""
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case strings.HasPrefix(r.URL.Path, "/upload/") && ct == "multipart/related":
		mr := multipart.NewReader(r.Body, params["boundary"])
		p, err := mr.NextPart()
		if err != nil || json.NewDecoder(p).Decode(&meta) != nil {
			badRequest(w, "Invalid multipart upload: the first part must be the JSON metadata")
			return
		}
		p, err = mr.NextPart()
		if err != nil {
			badRequest(w, "Invalid multipart upload: no media part")
			return
		}
		mediaType = p.Header.Get("Content-Type")
		content, _ = io.ReadAll(p)
	case strings.HasPrefix(r.URL.Path, "/upload/"):
		content, _ = io.ReadAll(r.Body)
		mediaType = ct
	default:
		if err := decodeBody(r, &meta); err != nil {
			badRequest(w, err.Error())
			return
		}
	}
	if meta.Name == "" {
		meta.Name = "Untitled"
	}
	if meta.MimeType == "" {
		meta.MimeType = mediaType
	}
	if meta.MimeType == "" {
		meta.MimeType = "application/octet-stream"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range meta.Parents {
		if pf := s.fileLocked(p); pf == nil || pf.MimeType != "application/vnd.google-apps.folder" {
			gerr(w, 404, "notFound", "NOT_FOUND", "File not found: "+p+".")
			return
		}
	}
	f := &File{ID: fmt.Sprintf("1u%031d", s.newID()), Name: meta.Name, MimeType: meta.MimeType, Description: meta.Description,
		Parents: meta.Parents, Owner: ss.subject, Content: content, Created: time.Now()}
	s.files = append(s.files, f)
	writeJSON(w, 200, fileJSON(f))
}

// FileByName returns a copy of the first Drive file with the name (tests).
func (s *Server) FileByName(name string) *File {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.files {
		if f.Name == name {
			c := *f
			return &c
		}
	}
	return nil
}

// --- sheets ---

func (s *Server) spreadsheet(w http.ResponseWriter, id string) *Spreadsheet {
	for _, sp := range s.sheets {
		if sp.ID == id {
			return sp
		}
	}
	gerr(w, 404, "notFound", "NOT_FOUND", "Requested entity was not found.")
	return nil
}

// sheetOf resolves an A1 range's sheet ("Sheet1!A1:C", "'My sheet'", "A1:B2").
func sheetOf(sp *Spreadsheet, rng string) *Sheet {
	name := rng
	if i := strings.LastIndex(rng, "!"); i >= 0 {
		name = rng[:i]
	} else if regexp.MustCompile(`^[A-Z]+[0-9]*(:[A-Z]+[0-9]*)?$`).MatchString(rng) {
		return sp.Sheets[0]
	}
	name = strings.ReplaceAll(strings.Trim(name, "'"), "''", "'")
	for _, sh := range sp.Sheets {
		if sh.Title == name {
			return sh
		}
	}
	return nil
}

func colName(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

func quoteSheet(t string) string {
	if regexp.MustCompile(`^[A-Za-z0-9_]+$`).MatchString(t) {
		return t
	}
	return "'" + strings.ReplaceAll(t, "'", "''") + "'"
}

func (s *Server) sheetsGet(w http.ResponseWriter, r *http.Request) {
	if s.authorize(w, r, scSheets, scDrive) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.spreadsheet(w, r.PathValue("spreadsheetId"))
	if sp == nil {
		return
	}
	var sheets []any
	for i, sh := range sp.Sheets {
		cols := 26
		for _, row := range sh.Rows {
			cols = max(cols, len(row))
		}
		sheets = append(sheets, map[string]any{"properties": map[string]any{"sheetId": sh.ID, "title": sh.Title, "index": i, "sheetType": "GRID",
			"gridProperties": map[string]any{"rowCount": max(1000, len(sh.Rows)), "columnCount": cols}}})
	}
	writeJSON(w, 200, map[string]any{"spreadsheetId": sp.ID, "properties": map[string]any{"title": sp.Title, "locale": "en_US",
		"timeZone": "Etc/GMT", "autoRecalc": "ON_CHANGE"}, "sheets": sheets,
		"spreadsheetUrl": "https://docs.google.com/spreadsheets/d/" + sp.ID + "/edit"})
}

func (s *Server) sheetsValues(w http.ResponseWriter, r *http.Request) {
	if s.authorize(w, r, scSheets, scDrive) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.spreadsheet(w, r.PathValue("spreadsheetId"))
	if sp == nil {
		return
	}
	sh := sheetOf(sp, r.PathValue("range"))
	if sh == nil {
		badRequest(w, "Unable to parse range: "+r.PathValue("range"))
		return
	}
	cols := 0
	values := []any{}
	for _, row := range sh.Rows {
		cols = max(cols, len(row))
		vr := make([]any, len(row))
		for i, v := range row {
			vr[i] = v
		}
		values = append(values, vr)
	}
	out := map[string]any{"range": quoteSheet(sh.Title) + "!A1:" + colName(max(cols, 1)) + strconv.Itoa(max(len(sh.Rows), 1)), "majorDimension": "ROWS"}
	if len(values) > 0 {
		out["values"] = values
	}
	writeJSON(w, 200, out)
}

func (s *Server) sheetsAppend(w http.ResponseWriter, r *http.Request) {
	rng, ok := strings.CutSuffix(r.PathValue("range"), ":append")
	if !ok {
		gerr(w, 404, "notFound", "NOT_FOUND", "The requested URL "+r.URL.Path+" was not found on this server.")
		return
	}
	if s.authorize(w, r, scSheets, scDrive) == nil {
		return
	}
	switch r.URL.Query().Get("valueInputOption") {
	case "RAW", "USER_ENTERED":
	default:
		badRequest(w, "Invalid valueInputOption: '"+r.URL.Query().Get("valueInputOption")+"'")
		return
	}
	var body struct {
		Values [][]any `json:"values"`
	}
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.spreadsheet(w, r.PathValue("spreadsheetId"))
	if sp == nil {
		return
	}
	sh := sheetOf(sp, rng)
	if sh == nil {
		badRequest(w, "Unable to parse range: "+rng)
		return
	}
	first := len(sh.Rows) + 1
	cols, cells := 0, 0
	for _, row := range body.Values {
		out := make([]string, len(row))
		for i, v := range row {
			if v != nil {
				out[i] = fmt.Sprint(v)
			}
			cells++
		}
		cols = max(cols, len(row))
		sh.Rows = append(sh.Rows, out)
	}
	last := len(sh.Rows)
	upd := quoteSheet(sh.Title) + "!A" + strconv.Itoa(first) + ":" + colName(max(cols, 1)) + strconv.Itoa(last)
	writeJSON(w, 200, map[string]any{"spreadsheetId": sp.ID, "tableRange": quoteSheet(sh.Title) + "!A1:" + colName(max(cols, 1)) + strconv.Itoa(max(first-1, 1)),
		"updates": map[string]any{"spreadsheetId": sp.ID, "updatedRange": upd, "updatedRows": len(body.Values), "updatedColumns": cols, "updatedCells": cells}})
}

// Rows returns a worksheet's rows (tests).
func (s *Server) Rows(spreadsheetID, sheet string) [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range s.sheets {
		if sp.ID == spreadsheetID {
			for _, sh := range sp.Sheets {
				if sh.Title == sheet {
					return append([][]string(nil), sh.Rows...)
				}
			}
		}
	}
	return nil
}
