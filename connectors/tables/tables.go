// Package tables holds the Okta Workflows Tables cards (connector "stash").
// They work on the engine service "tables" (an engine.Tables, the store).
//
// Every card names its table with the input `stash` (the table id). Column
// values are the card's own inputs (Okta puts them in the group "Fields"; any
// input that is not one of the card's declared inputs and not in the group
// "_expr" is read as a column), keyed by column name.
package tables

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/engine"
)

const help = "https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Tables/"

func init() {
	for _, s := range Cards() {
		engine.Register(s)
	}
}

var (
	str   = engine.T("string")
	num   = engine.T("number")
	obj   = engine.T("object")
	table = engine.FieldSpec{Key: "stash", Label: "Table", Type: str, Required: true, Group: "parameters",
		Description: "the table id"}
	rowID = func(group string) engine.FieldSpec {
		return engine.FieldSpec{Key: engine.ColRowID, Type: str, Required: true, Group: group}
	}
	where = engine.FieldSpec{Key: "Where Expression", Type: obj, Group: "Filter",
		Description: `{"expr":[{"lhs":column,"op":"="|"!="|"<"|"<="|">"|">=","rhs":literal | "rhd":{"outputId":input key},"join":"AND"|"OR"}]}`}
)

// Cards declares the Tables cards.
func Cards() []*engine.Spec {
	return []*engine.Spec{
		{ID: "tables.createRow", Okta: []string{"stash:createRow"}, Title: "Create Row", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table}, ExtensibleInputs: true,
			Outputs: []engine.FieldSpec{{Key: engine.ColRowID, Type: str, Group: "Output"}},
			DocURL:  help + "stash_createrow.htm",
			Description: "Adds a row: each input (group Fields) is a column value by column name, converted to the column's type. " +
				"Columns without an input, or whose input is unset, get the column default (else empty). An unknown column or an unconvertible value fails, naming the input.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				vals := columns(in, false)
				for k, v := range vals {
					if v == nil {
						delete(vals, k)
					}
				}
				row, err := t.CreateRow(ctx, id, vals)
				if err != nil {
					return nil, cardErr(err)
				}
				return engine.Outputs{engine.ColRowID: row[engine.ColRowID]}, nil
			}},
		{ID: "tables.readRow", Okta: []string{"stash:readRow"}, Title: "Read Row", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table, rowID("Read By")}, ExtensibleOutputs: true,
			Outputs: []engine.FieldSpec{{Key: engine.ColCreated, Type: engine.T("date"), Group: "Row"}, {Key: engine.ColUpdated, Type: engine.T("date"), Group: "Row"}},
			DocURL:  help + "stash_readrow.htm",
			Description: "Reads one row by its Row ID: outputs Created, Updated and every column by name (declare the columns you use as outputs in the group Fields). " +
				"A missing row fails, naming Row ID.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				row, err := t.ReadRow(ctx, id, engine.ToText(in.Values[engine.ColRowID]))
				if err != nil {
					return nil, cardErr(err)
				}
				return engine.Outputs(row), nil
			}},
		{ID: "tables.updateRow", Okta: []string{"stash:updateRow"}, Title: "Update Row", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table, {Key: "updateEmptyInputs", Label: "Update Empty Inputs", Type: str, Group: "parameters", Default: "No",
				Choices: []engine.Choice{{Value: "No", Label: "No"}, {Value: "Yes", Label: "Yes"}}}, rowID("Update By")},
			ExtensibleInputs: true,
			DocURL:           help + "stash_updaterow.htm",
			Description: "Sets the columns given as inputs (group Fields) on the row with that Row ID; other columns keep their values. " +
				"With Update Empty Inputs = No (the default) inputs that are unset or empty text leave their column unchanged; with Yes they empty it. " +
				"A missing row fails, naming Row ID.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				empty := strings.EqualFold(engine.ToText(in.Values["updateEmptyInputs"]), "Yes")
				if _, err := t.UpdateRow(ctx, id, engine.ToText(in.Values[engine.ColRowID]), columns(in, !empty)); err != nil {
					return nil, cardErr(err)
				}
				return engine.Outputs{}, nil
			}},
		{ID: "tables.deleteRow", Okta: []string{"stash:deleteRow"}, Title: "Delete Row", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs:      []engine.FieldSpec{table, rowID("Delete By")},
			DocURL:      help + "stash_deleterow.htm",
			Description: "Deletes the row with that Row ID. A missing row fails, naming Row ID.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				if err := t.DeleteRow(ctx, id, engine.ToText(in.Values[engine.ColRowID])); err != nil {
					return nil, cardErr(err)
				}
				return engine.Outputs{}, nil
			}},
		{ID: "tables.searchRows", Okta: []string{"stash:searchRows2"}, Title: "Search Rows", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table,
				{Key: "resultSet", Label: "Result Set", Type: str, Group: "parameters", Default: "all-new", Choices: []engine.Choice{
					{Value: "one", Label: "First matching row"}, {Value: "all-new", Label: "All matching rows"}, {Value: "all", Label: "All matching rows (legacy)"}}},
				where,
				{Key: "Column", Type: str, Group: "Sort", Description: "column to sort by; empty keeps creation order"},
				{Key: "Direction", Type: str, Group: "Sort", Default: "asc", Choices: []engine.Choice{{Value: "asc", Label: "Ascending"}, {Value: "desc", Label: "Descending"}}},
				{Key: "Limit", Type: num, Group: "Sort", Description: "most rows returned; 0 or empty: no limit"},
				{Key: "Offset", Type: num, Group: "Sort", Description: "matching rows skipped first (0 = from the first)"}},
			ExtensibleInputs: true, ExtensibleOutputs: true,
			Outputs: []engine.FieldSpec{{Key: "Rows", Type: engine.T("object[]"), Group: "Result"}},
			DocURL:  help + "stash_searchrows2.htm",
			Description: "Finds the rows matching the Where Expression: clauses `column op value` with op = != < <= > >=, each joined to the next by AND or OR " +
				"(AND binds tighter: a AND b OR c = (a AND b) OR c); no clause matches every row. A clause's value is its literal `rhs`, or, with `rhd`, " +
				"the value of the card input whose key is rhd.outputId (Okta's hidden _expr inputs). Values compare by column type (numbers numerically, dates " +
				"chronologically), text case-sensitively and exactly. An = clause is answered from the column's index. " +
				"Result Set one: outputs Row ID, Created, Updated and each column by name from the first match (all null when none matches); all-new / all: " +
				"Rows, the list of matching rows (each with its system columns). Rows come in creation order unless Sort Column is set. " +
				"Unlike Okta there is no 3,500-row cap.",
			Run: searchRows},
		{ID: "tables.readTable", Okta: []string{"stash:readTable"}, Title: "Read Table", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table},
			Outputs: []engine.FieldSpec{{Key: "Column Schema", Type: engine.T("object[]"), Group: "Output"},
				{Key: "Name", Type: str, Group: "Output"}, {Key: "Row Count", Type: num, Group: "Output"}},
			DocURL:      help + "stash_readtable.htm",
			Description: "The table's columns as a list of {name, type, default} (type: string, number, boolean or date), its name and its number of rows.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				def, err := t.GetTable(ctx, id)
				if err != nil {
					return nil, cardErr(err)
				}
				n, err := t.CountRows(ctx, id)
				if err != nil {
					return nil, cardErr(err)
				}
				cols := make([]any, len(def.Columns))
				for i, c := range def.Columns {
					cols[i] = map[string]any{"name": c.Name, "type": c.Type.String(), "default": c.Default}
				}
				return engine.Outputs{"Column Schema": cols, "Name": def.Name, "Row Count": float64(n)}, nil
			}},
		{ID: "tables.clearTable", Okta: []string{"stash:clearTable"}, Title: "Clear Table", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs:      []engine.FieldSpec{table},
			Outputs:     []engine.FieldSpec{{Key: "Cleared Rows", Type: num, Group: "Table"}},
			DocURL:      help + "stash_cleartable.htm",
			Description: "Deletes every row of the table (the columns stay) and outputs how many rows were deleted.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				n, err := t.ClearTable(ctx, id)
				if err != nil {
					return nil, cardErr(err)
				}
				return engine.Outputs{"Cleared Rows": float64(n)}, nil
			}},
		{ID: "tables.exportCSV", Okta: []string{"stash:exportToCSV"}, Title: "Export to CSV", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table,
				{Key: "Filename", Type: str, Group: "File"}, where,
				{Key: "Delimiter", Type: str, Group: "Options", Default: ","},
				{Key: "Columns", Type: engine.T("string[]"), Group: "Options", Description: "columns to export, in order; empty: every column"},
				{Key: "Limit", Type: num, Group: "Options"}, {Key: "Offset", Type: num, Group: "Options"}},
			ExtensibleInputs: true,
			Outputs:          []engine.FieldSpec{{Key: "File Content", Type: engine.T("file"), Group: "CSV"}, {Key: "Filename", Type: str, Group: "CSV"}},
			DocURL:           help + "stash_exporttocsv.htm",
			Description: "The matching rows (Where Expression as in Search Rows; none: all rows) as CSV text with a header line, in creation order. " +
				"Columns picks and orders the columns (system columns Row ID, Created, Updated may be named); Delimiter is one character (default ','). " +
				"Limit 0 or empty exports every match. File Content is the CSV text; Filename is passed through.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				conds, err := conditions(in)
				if err != nil {
					return nil, err
				}
				opt := engine.CSVOptions{Limit: intOf(in, "Limit"), Offset: intOf(in, "Offset")}
				if opt.Delimiter, err = delimiter(in); err != nil {
					return nil, err
				}
				for _, c := range listOf(in.Values["Columns"]) {
					if s := engine.ToText(c); s != "" {
						opt.Columns = append(opt.Columns, s)
					}
				}
				var buf bytes.Buffer
				if _, err := t.ExportCSV(ctx, id, &buf, conds, opt); err != nil {
					return nil, cardErr(err)
				}
				return engine.Outputs{"File Content": buf.String(), "Filename": in.Values["Filename"]}, nil
			}},
		{ID: "tables.importCSV", Okta: []string{"stash:importCSV"}, Title: "Import CSV", Category: "Tables", App: "tables", Kind: engine.KindAction,
			Inputs: []engine.FieldSpec{table,
				{Key: "File Content", Type: engine.T("file"), Group: "CSV", Required: true, Description: "CSV text whose first line names the columns"},
				{Key: "Delimiter", Type: str, Group: "Options", Default: ","}},
			Outputs: []engine.FieldSpec{{Key: "Imported Rows", Type: num, Group: "Result"}},
			DocURL:  help + "stash_importcsv.htm",
			Description: "Adds one row per CSV record; the header line names the columns (unknown columns are an error, system columns " +
				"Row ID/Created/Updated are ignored, missing columns take their default). Values are converted to the column types. " +
				"Rows are written in batches; a malformed record stops the import with an error naming its line " +
				"(rows of earlier batches stay). The Okta kind stash:importCSV is our name: the card is not in the template corpus.",
			Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, id, err := service(in)
				if err != nil {
					return nil, err
				}
				opt := engine.CSVOptions{}
				if opt.Delimiter, err = delimiter(in); err != nil {
					return nil, err
				}
				// CSV text, or a file a Download (or another card) stored
				f, err := functions.ReadFileValue(ctx, in.Run, "File Content", in.Values["File Content"])
				if err != nil {
					return nil, err
				}
				n, err := t.ImportCSV(ctx, id, bytes.NewReader(f.Data), opt)
				if err != nil {
					return nil, engine.InputErrorf("File Content", "%v", err)
				}
				return engine.Outputs{"Imported Rows": float64(n)}, nil
			}},
	}
}

// delimiter reads the one-character Delimiter input (default ',', `\t` for tab).
func delimiter(in engine.Inputs) (rune, error) {
	d := engine.ToText(in.Values["Delimiter"])
	if d == "" {
		return ',', nil
	}
	if d == `\t` {
		d = "\t"
	}
	r, size := utf8.DecodeRuneInString(d)
	if size != len(d) || r == '"' || r == '\n' || r == '\r' {
		return 0, engine.InputErrorf("Delimiter", "the delimiter must be one character (not a quote or line break), got %q", d)
	}
	return r, nil
}

// service returns the tables service and the chosen table id.
func service(in engine.Inputs) (engine.Tables, string, error) {
	t, ok := in.Run.Service("tables").(engine.Tables)
	if !ok {
		return nil, "", errors.New(`the "tables" service is not available`)
	}
	id := engine.ToText(in.Values["stash"])
	if id == "" {
		return nil, "", engine.InputErrorf("stash", "no table chosen")
	}
	return t, id, nil
}

// cardErr names the input behind a Tables error.
func cardErr(err error) error {
	switch {
	case errors.Is(err, engine.ErrTableNotFound):
		return engine.InputErrorf("stash", "%v", err)
	case errors.Is(err, engine.ErrRowNotFound):
		return engine.InputErrorf(engine.ColRowID, "%v", err)
	}
	return err
}

// columns collects column values: the card's inputs that are not its
// declared inputs (nor hidden _expr slots). skipEmpty drops unset and "" values.
func columns(in engine.Inputs, skipEmpty bool) map[string]any {
	spec, _ := engine.Default().Card(in.Card.Type)
	out := map[string]any{}
	for i := range in.Card.Inputs {
		f := &in.Card.Inputs[i]
		if f.Group == "_expr" || spec != nil && spec.InputSpec(f.Key) != nil {
			continue
		}
		v := in.Values[f.Key]
		if skipEmpty && (v == nil || v == "") {
			continue
		}
		out[f.Key] = v
	}
	return out
}

func intOf(in engine.Inputs, key string) int {
	n, _ := in.Values[key].(float64)
	return int(n)
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// conditions reads the Where Expression: {"expr":[clause…]} or a bare list.
func conditions(in engine.Inputs) ([]engine.Condition, error) {
	var clauses []any
	switch x := in.Values["Where Expression"].(type) {
	case nil:
		return nil, nil
	case map[string]any:
		if e, ok := x["expr"]; ok && e != nil {
			l, ok := e.([]any)
			if !ok {
				return nil, engine.InputErrorf("Where Expression", "expr must be a list of clauses")
			}
			clauses = l
		}
	case []any:
		clauses = x
	default:
		return nil, engine.InputErrorf("Where Expression", "expected {\"expr\": [...]}")
	}
	out := make([]engine.Condition, 0, len(clauses))
	for i, c := range clauses {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, engine.InputErrorf("Where Expression", "clause %d is not an object", i+1)
		}
		col := engine.ToText(m["lhs"])
		if col == "" {
			return nil, engine.InputErrorf("Where Expression", "clause %d names no column", i+1)
		}
		val := m["rhs"]
		if rhd, ok := m["rhd"].(map[string]any); ok {
			key := engine.ToText(rhd["outputId"])
			if _, has := in.Values[key]; !has && in.Card.Input(key) == nil {
				return nil, engine.InputErrorf("Where Expression", "clause %d (%s) reads input %q, which the card does not have", i+1, col, key)
			}
			val = in.Values[key]
		}
		op := engine.ToText(m["op"])
		if op == "" {
			op = "="
		}
		out = append(out, engine.Condition{Column: col, Op: op, Value: val, Join: engine.ToText(m["join"])})
	}
	return out, nil
}

func searchRows(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	t, id, err := service(in)
	if err != nil {
		return nil, err
	}
	conds, err := conditions(in)
	if err != nil {
		return nil, err
	}
	opt := engine.SearchOptions{Sort: engine.ToText(in.Values["Column"]), Limit: intOf(in, "Limit"), Offset: intOf(in, "Offset")}
	opt.Desc = opt.Sort != "" && strings.EqualFold(engine.ToText(in.Values["Direction"]), "desc")
	mode := engine.ToText(in.Values["resultSet"])
	switch mode {
	case "one":
		opt.Limit = 1
	case "all", "all-new", "":
	default:
		return nil, engine.InputErrorf("resultSet", "unknown result set %q (one, all-new, all)", mode)
	}
	rows, err := t.SearchRows(ctx, id, conds, opt)
	if err != nil {
		switch {
		case errors.Is(err, engine.ErrTableNotFound):
			return nil, cardErr(err)
		case strings.HasPrefix(err.Error(), "sort:"):
			return nil, engine.InputErrorf("Column", "%v", err)
		}
		return nil, engine.InputErrorf("Where Expression", "%v", err)
	}
	if mode != "one" {
		list := make([]any, len(rows))
		for i, r := range rows {
			list[i] = map[string]any(r)
		}
		return engine.Outputs{"Rows": list}, nil
	}
	out := engine.Outputs{engine.ColRowID: nil, engine.ColCreated: nil, engine.ColUpdated: nil}
	for i := range in.Card.Outputs {
		out[in.Card.Outputs[i].Key] = nil
	}
	if len(rows) > 0 {
		for k, v := range rows[0] {
			out[k] = v
		}
	}
	return out, nil
}
