package google

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

const (
	drivePath     = "drive/v3/"
	transferPath  = "admin/datatransfer/v1/"
	sheetsPath    = "v4/spreadsheets/"
	calendarPath  = "calendar/v3/"
	googleAppsPre = "application/vnd.google-apps."
)

func transferOuts() []engine.FieldSpec {
	return []engine.FieldSpec{out("Transfer Attributes", "Transfer ID", "string"), out("Transfer Attributes", "Transfer Status", "string"),
		out("Transfer Attributes", "Request Time", "date")}
}

func transferIns() []engine.FieldSpec {
	return []engine.FieldSpec{in("Transfer", "From User", "string", true), in("Transfer", "To User", "string", true)}
}

func driveSpecs() []*engine.Spec {
	d := func(id, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		return card(catDrive, "googledrive."+id, "googledrive:"+id, title, desc, ins, outs, run)
	}
	return []*engine.Spec{
		d("searchFiles", "Search Files", "Finds Drive files by exact name, starred and trashed state, optionally inside one folder (files.list with a Drive query). Result Set \"one\" gives the first match, \"all\" every match in Files.",
			[]engine.FieldSpec{in("Search By", "Name", "string", false), in("Search By", "Starred", "string", false), in("Search By", "Trashed", "string", false),
				param("resultSet", "Result Set", "one", "one", "all"), param("parentFolder", "Parent Folder", nil)},
			[]engine.FieldSpec{out("File", "File Name", "string"), out("File", "File ID", "string"),
				outT("File", "Files", engine.ListOf(obj("File Name", "File ID", "MIME Type")))}, runner(searchFiles)),
		d("downloadFile", "Download File", "Downloads a file's content (files.get alt=media); Google Docs, Sheets and Slides are exported in the Download Format (PDF by default). Text content is given as text, other content as a data: URL.",
			[]engine.FieldSpec{in("File", "File ID", "string", true), {Key: "Download Format", Label: "Download Format", Group: "Options", Type: engine.T("string"),
				Choices: choiceList("PDF", "Microsoft Word", "Microsoft Excel", "Microsoft PowerPoint", "Plain Text", "CSV", "HTML")}},
			[]engine.FieldSpec{out("File", "File Content ID", "file")}, runner(downloadFile)),
		d("uploadFile", "Upload File", "Uploads a file to Drive (a multipart upload of files.create), optionally into a folder; with Convert to Google format? a Word, Excel, PowerPoint or CSV file becomes a Google Doc, Sheet or Slides.",
			[]engine.FieldSpec{in("File", "Name", "string", true), in("File", "Parent Folder ID", "string", false), in("File", "Description", "string", false),
				in("File", "File Content ID", "file", true), in("File", "Convert to Google format?", "boolean", false)},
			[]engine.FieldSpec{out("Output", "File Name", "string"), out("Output", "File ID", "string")}, runner(uploadFile)),
		d("createTransferRequest", "Create Transfer Request to Transfer Target Users files / folders to Manager",
			"Transfers the ownership of every Drive file and folder of From User to To User, shared and private (Data Transfer API transfers.insert for Drive and Docs).",
			transferIns(), transferOuts(), runner(transfer("Drive and Docs", AppDriveParams))),
		customSpec(catDrive, "googledrive", Drive, drivePath, "Google Drive"),
	}
}

func calendarSpecs() []*engine.Spec {
	return []*engine.Spec{
		card(catCalendar, "googlecalendar.createTransferRequest", "googlecalendar:createTransferRequest",
			"Create Transfer Request to Transfer Target Users Google Calendar Events to Manager",
			"Transfers the future events From User organizes to To User and releases their meeting rooms (Data Transfer API transfers.insert for Calendar).",
			transferIns(), transferOuts(), runner(transfer("Calendar", AppCalendarParams))),
		customSpec(catCalendar, "googlecalendar", Calendar, calendarPath, "Google Calendar"),
	}
}

func choiceList(vals ...string) []engine.Choice {
	out := make([]engine.Choice, len(vals))
	for i, v := range vals {
		out[i] = engine.Choice{Value: v, Label: v}
	}
	return out
}

func driveQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

func boolClause(in engine.Inputs, key, field string) (string, error) {
	v := strings.ToLower(text(in, key))
	switch v {
	case "":
		return "", nil
	case "true", "yes":
		return field + " = true", nil
	case "false", "no":
		return field + " = false", nil
	}
	return "", engine.InputErrorf(key, "%q is not true or false", text(in, key))
}

func searchFiles(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	var q []string
	if n := text(in, "Name"); n != "" {
		q = append(q, "name = "+driveQuote(n))
	}
	for _, k := range [][2]string{{"Starred", "starred"}, {"Trashed", "trashed"}} {
		cl, err := boolClause(in, k[0], k[1])
		if err != nil {
			return nil, err
		}
		if cl != "" {
			q = append(q, cl)
		}
	}
	if text(in, "Trashed") == "" {
		q = append(q, "trashed = false")
	}
	if p := text(in, "parentFolder"); p != "" {
		q = append(q, driveQuote(p)+" in parents")
	}
	one := text(in, "resultSet") != "all"
	cl := call(in, Drive, http.MethodGet, drivePath+"files")
	cl.Query = url.Values{"q": {strings.Join(q, " and ")}, "fields": {"nextPageToken,files(id,name,mimeType)"},
		"supportsAllDrives": {"true"}, "includeItemsFromAllDrives": {"true"}}
	limit := 0
	if one {
		cl.Query.Set("pageSize", "1")
		limit = 1
	} else {
		cl.Query.Set("pageSize", "1000")
	}
	files, err := c.List(ctx, cl, "files", limit)
	if err != nil {
		return nil, err
	}
	list := pick(files, [][2]string{{"File Name", "name"}, {"File ID", "id"}, {"MIME Type", "mimeType"}})
	o := engine.Outputs{"File Name": nil, "File ID": nil, "Files": list}
	if len(list) > 0 {
		f := list[0].(map[string]any)
		o["File Name"], o["File ID"] = f["File Name"], f["File ID"]
	}
	return o, nil
}

var exportTypes = map[string]string{"PDF": "application/pdf",
	"Microsoft Word":       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"Microsoft Excel":      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"Microsoft PowerPoint": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"Plain Text":           "text/plain", "CSV": "text/csv", "HTML": "text/html"}

func downloadFile(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "File ID")
	if err != nil {
		return nil, err
	}
	meta := call(in, Drive, http.MethodGet, drivePath+"files/"+seg(id))
	meta.Query = url.Values{"fields": {"id,name,mimeType"}, "supportsAllDrives": {"true"}}
	m, _, err := c.JSON(ctx, meta)
	if err != nil {
		return nil, err
	}
	mt := engine.ToText(m["mimeType"])
	var cl *Call
	if strings.HasPrefix(mt, googleAppsPre) {
		f := text(in, "Download Format")
		if f == "" {
			f = "PDF"
		}
		et := exportTypes[f]
		if et == "" {
			if strings.Contains(f, "/") {
				et = f
			} else {
				return nil, engine.InputErrorf("Download Format", "%q is not a download format (PDF, Microsoft Word, Microsoft Excel, Microsoft PowerPoint, Plain Text, CSV, HTML)", f)
			}
		}
		cl = call(in, Drive, http.MethodGet, drivePath+"files/"+seg(id)+"/export")
		cl.Query = url.Values{"mimeType": {et}}
		mt = et
	} else {
		cl = call(in, Drive, http.MethodGet, drivePath+"files/"+seg(id))
		cl.Query = url.Values{"alt": {"media"}, "supportsAllDrives": {"true"}}
	}
	resp, err := c.Do(ctx, cl)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		if p, _, err := mime.ParseMediaType(ct); err == nil {
			mt = p
		}
	}
	v, err := downloadedFile(ctx, in, engine.ToText(m["name"]), resp.Body, mt)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"File Content ID": v}, nil
}

var convertTo = map[string]string{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": googleAppsPre + "document",
	"application/msword": googleAppsPre + "document",
	"text/plain":         googleAppsPre + "document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": googleAppsPre + "spreadsheet",
	"text/csv": googleAppsPre + "spreadsheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": googleAppsPre + "presentation",
}

func uploadFile(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	name, err := required(in, "Name")
	if err != nil {
		return nil, err
	}
	raw := engine.ToText(in.Values["File Content ID"])
	if raw == "" {
		return nil, engine.InputErrorf("File Content ID", "File Content ID is required")
	}
	data, mt, err := fileInput(ctx, in, "File Content ID")
	if err != nil {
		return nil, err
	}
	if mt == "" {
		mt = mime.TypeByExtension(path.Ext(name))
	}
	if mt == "" {
		mt = "application/octet-stream"
	}
	meta := map[string]any{"name": name}
	if p := text(in, "Parent Folder ID"); p != "" {
		meta["parents"] = []string{p}
	}
	if d := text(in, "Description"); d != "" {
		meta["description"] = d
	}
	if in.Values["Convert to Google format?"] == true {
		base, _, _ := strings.Cut(mt, ";")
		if g := convertTo[base]; g != "" {
			meta["mimeType"] = g
		}
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	mj, _ := json.Marshal(meta)
	p, _ := w.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json; charset=UTF-8"}})
	_, _ = p.Write(mj)
	p, _ = w.CreatePart(textproto.MIMEHeader{"Content-Type": {mt}})
	_, _ = p.Write(data)
	_ = w.Close()
	cl := call(in, Drive, http.MethodPost, "upload/"+drivePath+"files")
	cl.Query = url.Values{"uploadType": {"multipart"}, "supportsAllDrives": {"true"}}
	cl.Body, cl.Type = body.Bytes(), "multipart/related; boundary="+w.Boundary()
	f, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"File Name": f["name"], "File ID": f["id"]}, nil
}

// Transfer parameters of the Data Transfer API's applications.
var (
	AppDriveParams    = []any{map[string]any{"key": "PRIVACY_LEVEL", "value": []any{"PRIVATE", "SHARED"}}}
	AppCalendarParams = []any{map[string]any{"key": "RELEASE_RESOURCES", "value": []any{"TRUE"}}}
)

func userID(ctx context.Context, c *Client, in engine.Inputs, key string) (string, error) {
	ref, err := required(in, key)
	if err != nil {
		return "", err
	}
	cl := call(in, Directory, http.MethodGet, dirPath+"users/"+seg(ref))
	cl.Query = url.Values{"fields": {"id,primaryEmail"}}
	u, _, err := c.JSON(ctx, cl)
	if he, ok := err.(*engine.HTTPError); ok && he.Status == http.StatusNotFound {
		return "", engine.InputErrorf(key, "no Google Workspace user %q", ref)
	}
	if err != nil {
		return "", err
	}
	return engine.ToText(u["id"]), nil
}

func transfer(app string, params []any) func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	return func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
		from, err := userID(ctx, c, in, "From User")
		if err != nil {
			return nil, err
		}
		to, err := userID(ctx, c, in, "To User")
		if err != nil {
			return nil, err
		}
		apps, err := c.List(ctx, call(in, DataTransfer, http.MethodGet, transferPath+"applications"), "applications", 0)
		if err != nil {
			return nil, err
		}
		appID := ""
		for _, a := range apps {
			if m, _ := a.(map[string]any); engine.ToText(m["name"]) == app {
				appID = engine.ToText(m["id"])
			}
		}
		if appID == "" {
			return nil, &engine.HTTPError{Status: http.StatusNotFound, Code: "notFound", Summary: "the Data Transfer API offers no " + app + " application"}
		}
		cl := call(in, DataTransfer, http.MethodPost, transferPath+"transfers")
		cl.JSON = map[string]any{"oldOwnerUserId": from, "newOwnerUserId": to,
			"applicationDataTransfers": []any{map[string]any{"applicationId": appID, "applicationTransferParams": params}}}
		t, _, err := c.JSON(ctx, cl)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Transfer ID": t["id"], "Transfer Status": t["overallTransferStatusCode"], "Request Time": t["requestTime"]}, nil
	}
}

// --- sheets ---

func sheetsSpecs() []*engine.Spec {
	s := func(id, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		return card(catSheets, "googlesheets."+id, "googlesheets2_29:"+id, title, desc, ins, outs, run)
	}
	ssParams := []engine.FieldSpec{param("useSpreadsheetId", "Use Spreadsheet ID?", "No", "Yes", "No"),
		param("spreadsheet", "Spreadsheet", nil), param("spreadsheetId", "Spreadsheet ID", nil), param("worksheet", "Worksheet", nil)}
	create := s("createRow", "Create Row", "Appends a row to a worksheet (spreadsheets.values.append). Add one input per column in Columns, keyed \"N-Header\" (N = the column's position from 0), as Okta's card does.",
		ssParams, []engine.FieldSpec{out("Output", "Updated Range", "string"), out("Output", "Row Number", "number")}, runner(createRow))
	create.ExtensibleInputs, create.ExtensibleGroups = true, []string{"Columns"}
	return []*engine.Spec{
		create,
		s("readAllRows", "Read All Rows", "Reads every row of a worksheet below its header row (spreadsheets.values.get). Each row gives its Row Number and Columns keyed \"N-Header\".",
			[]engine.FieldSpec{param("spreadsheet", "Spreadsheet", nil), param("worksheet", "Worksheet", nil)},
			[]engine.FieldSpec{outT("Outputs", "Rows", engine.ListOf(obj("Row Number:number", "Columns:object")))}, runner(readAllRows)),
		s("readWorksheetInfo", "Read Worksheet Info", "Reads a worksheet's id, URL and type by its name (spreadsheets.get).",
			[]engine.FieldSpec{in("Worksheet", "Name", "string", true), param("spreadsheet", "Spreadsheet", nil)},
			[]engine.FieldSpec{out("Output", "Spreadsheet ID", "string"), out("Output", "Worksheet ID", "string"),
				out("Output", "Worksheet URL", "string"), out("Output", "Sheet Type", "string")}, runner(readWorksheetInfo)),
		customSpec(catSheets, "googlesheets2_29", Sheets, "v4/", "Google Sheets"),
	}
}

func spreadsheetID(in engine.Inputs) (string, error) {
	if strings.EqualFold(text(in, "useSpreadsheetId"), "Yes") {
		return required(in, "spreadsheetId")
	}
	if v := text(in, "spreadsheet"); v != "" {
		return v, nil
	}
	if v := text(in, "spreadsheetId"); v != "" {
		return v, nil
	}
	return "", engine.InputErrorf("spreadsheet", "no spreadsheet chosen")
}

func a1Sheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

var colKey = regexp.MustCompile(`^(\d+)-`)

func createRow(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := spreadsheetID(in)
	if err != nil {
		return nil, err
	}
	ws, err := required(in, "worksheet")
	if err != nil {
		return nil, err
	}
	var row []any
	if in.Card != nil {
		for _, f := range in.Card.Inputs {
			if f.Group != "Columns" {
				continue
			}
			m := colKey.FindStringSubmatch(f.Key)
			if m == nil {
				return nil, engine.InputErrorf(f.Key, "a column input is keyed \"N-Header\" (N = the column's position from 0)")
			}
			n, _ := strconv.Atoi(m[1])
			for len(row) <= n {
				row = append(row, "")
			}
			row[n] = engine.ToText(in.Values[f.Key])
		}
	}
	if len(row) == 0 {
		return nil, engine.InputErrorf("Columns", "the row has no columns: add inputs in Columns")
	}
	cl := call(in, Sheets, http.MethodPost, sheetsPath+seg(id)+"/values/"+seg(a1Sheet(ws))+":append")
	cl.Query = url.Values{"valueInputOption": {"USER_ENTERED"}, "insertDataOption": {"INSERT_ROWS"}}
	cl.JSON = map[string]any{"values": []any{row}}
	r, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	upd, _ := r["updates"].(map[string]any)
	rng := engine.ToText(upd["updatedRange"])
	var rowNum any
	if m := regexp.MustCompile(`![A-Z]+(\d+)`).FindStringSubmatch(rng); m != nil {
		n, _ := strconv.Atoi(m[1])
		rowNum = float64(n)
	}
	return engine.Outputs{"Updated Range": rng, "Row Number": rowNum}, nil
}

func readAllRows(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := spreadsheetID(in)
	if err != nil {
		return nil, err
	}
	ws, err := required(in, "worksheet")
	if err != nil {
		return nil, err
	}
	r, _, err := c.JSON(ctx, call(in, Sheets, http.MethodGet, sheetsPath+seg(id)+"/values/"+seg(a1Sheet(ws))))
	if err != nil {
		return nil, err
	}
	values, _ := r["values"].([]any)
	rows := []any{}
	if len(values) == 0 {
		return engine.Outputs{"Rows": rows}, nil
	}
	header, _ := values[0].([]any)
	for i, v := range values[1:] {
		cells, _ := v.([]any)
		cols := map[string]any{}
		for j, h := range header {
			var cell any = ""
			if j < len(cells) {
				cell = engine.ToText(cells[j])
			}
			cols[fmt.Sprintf("%d-%s", j, engine.ToText(h))] = cell
		}
		rows = append(rows, map[string]any{"Row Number": float64(i + 2), "Columns": cols})
	}
	return engine.Outputs{"Rows": rows}, nil
}

func readWorksheetInfo(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := spreadsheetID(in)
	if err != nil {
		return nil, err
	}
	name, err := required(in, "Name")
	if err != nil {
		return nil, err
	}
	cl := call(in, Sheets, http.MethodGet, sheetsPath+seg(id))
	cl.Query = url.Values{"fields": {"spreadsheetId,spreadsheetUrl,sheets.properties"}}
	r, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	sheets, _ := r["sheets"].([]any)
	for _, s := range sheets {
		sm, _ := s.(map[string]any)
		p, _ := sm["properties"].(map[string]any)
		if engine.ToText(p["title"]) == name {
			sid := engine.ToText(p["sheetId"])
			base := engine.ToText(r["spreadsheetUrl"])
			if base == "" {
				base = "https://docs.google.com/spreadsheets/d/" + id + "/edit"
			}
			return engine.Outputs{"Spreadsheet ID": r["spreadsheetId"], "Worksheet ID": sid, "Worksheet URL": base + "#gid=" + sid,
				"Sheet Type": p["sheetType"]}, nil
		}
	}
	return nil, engine.InputErrorf("Name", "the spreadsheet has no worksheet %q", name)
}
