package functions

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestAddToFront(t *testing.T) {
	// https://help.okta.com/wf/ja-jp/Content/Topics/Workflows/function-reference/List/list_unshift.htm
	runCases(t, []cardCase{
		{name: "text item first", card: "list:unshift", in: ins("list", []any{"b", "c"}, "item", "a"), want: map[string]any{"list": []any{"a", "b", "c"}}},
		{name: "list item not spread", card: "list.addToFront", in: ins("list", []any{1.0}, "item", []any{2.0, 3.0}), want: map[string]any{"list": []any{[]any{2.0, 3.0}, 1.0}}},
		{name: "empty list", card: "list.addToFront", in: ins("list", []any{}, "item", map[string]any{"a": 1.0}), want: map[string]any{"list": []any{map[string]any{"a": 1.0}}}},
		{name: "no list", card: "list.addToFront", in: ins("item", "a"), errIn: "list"},
	})
}

func TestEncryptDecryptAES(t *testing.T) {
	// Okta's examples: encryption_cipher.htm, encryption_decipher.htm, encryption_aes.htm.
	const okta256 = "hrDDPCtB0Cijc8EFAHhABiYEKdYBgt+e63RGV288SOI="
	const okta128 = "RTOnd5dSDvH8TXF/fiHQ7JuLuxxCpk4nAAfzg/1rHTY="
	msg := "My secret message!"
	runCases(t, []cardCase{
		{name: "encrypt aes-256-cbc (Okta's example)", card: "crypto:cipher", in: ins("algorithm", "aes-256-cbc", "key", "my secret key", "data", msg),
			want: map[string]any{"output": okta256}},
		{name: "encrypt default algorithm is aes-256-cbc", card: "crypto.encrypt", in: ins("key", "my secret key", "data", msg),
			want: map[string]any{"output": okta256}},
		{name: "decrypt (Okta's example)", card: "crypto:decipher", in: ins("algorithm", "aes-256-cbc", "key", "my secret key", "data", okta256),
			want: map[string]any{"output": msg}},
		{name: "aes card aes-128-cbc (Okta's example)", card: "crypto:aes", in: ins("algorithm", "aes-128-cbc", "key", "my secret key", "data", msg),
			want: map[string]any{"output": okta128}},
		{name: "decrypt the AES card's output", card: "crypto.decrypt", in: ins("algorithm", "aes-128-cbc", "key", "my secret key", "data", okta128),
			want: map[string]any{"output": msg}},
		{name: "wrong key", card: "crypto.decrypt", in: ins("algorithm", "aes-256-cbc", "key", "other key", "data", okta256), errIn: "data"},
		{name: "not base64", card: "crypto.decrypt", in: ins("key", "k", "data", "%%%"), errIn: "data"},
		{name: "unknown algorithm", card: "crypto.encrypt", in: ins("algorithm", "rc4", "key", "k", "data", "x"), errIn: "algorithm"},
		{name: "aes card refuses des", card: "crypto.aes", in: ins("algorithm", "des-cbc", "key", "k", "data", "x"), errIn: "algorithm"},
	})
	// Every offered algorithm round-trips, including the empty text.
	for _, c := range cipherChoices {
		for _, data := range []string{"", "sixteen bytes!!!", "Grüße, 世界"} {
			alg := c.Value.(string)
			enc, err := runCard(t, "crypto.encrypt", ins("algorithm", alg, "key", "pass", "data", data))
			if err != nil {
				t.Fatalf("%s encrypt %q: %v", alg, data, err)
			}
			dec, err := runCard(t, "crypto.decrypt", ins("algorithm", alg, "key", "pass", "data", enc["output"]))
			if err != nil || dec["output"] != data {
				t.Fatalf("%s round trip of %q: %v %v", alg, data, dec, err)
			}
		}
	}
}

func TestSortCustom(t *testing.T) {
	// https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/List/list_sort.htm
	// The helper returns the length of its text input: the list sorts from
	// shortest to longest, equal lengths keep their order.
	helper := &engine.Flow{Format: engine.FlowFormat, ID: "len", Name: "length",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "word"}}},
		Cards: []engine.Card{
			{ID: "n", Type: "text.length", Inputs: []engine.Field{{Key: "string", From: &engine.Binding{Card: "trigger", Path: []string{"word"}}}}},
			{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "size", From: &engine.Binding{Card: "n", Path: []string{"length"}}}}}}}
	byKey := &engine.Flow{Format: engine.FlowFormat, ID: "age", Name: "age",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "age"}}},
		Cards:   []engine.Card{{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "v", From: &engine.Binding{Card: "trigger", Path: []string{"age"}}}}}}}
	fail := &engine.Flow{Format: engine.FlowFormat, ID: "fail", Name: "fail",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper"},
		Cards:   []engine.Card{{ID: "e", Type: "flow.returnError", Inputs: []engine.Field{{Key: "message", Value: "no"}}}}}
	ex := engine.NewExecutor(olFlows{"len": helper, "age": byKey, "fail": fail}, nil, nil)
	words := []any{"we", "build", "identity", "automation", "using", "okta", "workflows"}
	people := []any{map[string]any{"n": "a", "age": 40.0}, map[string]any{"n": "b", "age": 9.0}, map[string]any{"n": "c", "age": 21.0}}
	olCheck(t, ex, []olCase{
		{name: "by helper value", card: "list:sort", flow: "len",
			in:   []engine.Field{ov("list", words), {Key: "word", Item: &engine.ItemMapping{}}},
			want: map[string]any{"list": []any{"we", "okta", "build", "using", "identity", "workflows", "automation"}}},
		{name: "by a key of object items, numerically", card: "list.sortCustom", flow: "age",
			in:   []engine.Field{ov("list", people), {Key: "age", Item: &engine.ItemMapping{Path: "age"}}},
			want: map[string]any{"list": []any{people[1], people[2], people[0]}}},
		{name: "one at a time", card: "list.sortCustom", flow: "len",
			in:   []engine.Field{ov("list", []any{"ccc", "a", "bb"}), ov("concurrency", 1.0), {Key: "word", Item: &engine.ItemMapping{}}},
			want: map[string]any{"list": []any{"a", "bb", "ccc"}}},
		{name: "empty list needs no helper", card: "list.sortCustom", in: []engine.Field{ov("list", []any{})}, want: map[string]any{"list": []any{}}},
		{name: "no helper chosen", card: "list.sortCustom", in: []engine.Field{ov("list", []any{"a"})}, errIn: "flo"},
		{name: "failing helper", card: "list.sortCustom", flow: "fail", in: []engine.Field{ov("list", []any{"a"})}, errIn: "-"},
	})
}

func TestToNumberToString(t *testing.T) {
	// control/control_tonumber.htm and control/control_tostring.htm (Connector Builder).
	runCases(t, []cardCase{
		{name: "text number", card: "control:toNumber", in: ins("value", "123"), want: map[string]any{"output": 123.0}},
		{name: "true is 1", card: "convert.toNumber", in: ins("value", true), want: map[string]any{"output": 1.0}},
		{name: "false is 0", card: "convert.toNumber", in: ins("value", false), want: map[string]any{"output": 0.0}},
		{name: "abc123 is an error", card: "convert.toNumber", in: ins("value", "abc123"), errIn: "value"},
		{name: "object is an error", card: "convert.toNumber", in: ins("value", map[string]any{"a": 1.0}), errIn: "value"},
		{name: "number to text", card: "control:toString", in: ins("value", 123.0), want: map[string]any{"output": "123"}},
		{name: "false to text", card: "convert.toString", in: ins("value", false), want: map[string]any{"output": "false"}},
		{name: "object to JSON", card: "convert.toString",
			in:   ins("value", map[string]any{"employee": map[string]any{"firstname": "John", "lastname": "Smith", "status": "active"}}),
			want: map[string]any{"output": `{"employee":{"firstname":"John","lastname":"Smith","status":"active"}}`}},
	})
}

func TestPaginate(t *testing.T) {
	// http/http_paginate.htm and http_paginate_set-max-page-index.htm: the
	// helper counts page_index up and, once it reaches max_page_index, leaves
	// the break key out of the object it returns (here by naming it "done").
	b := func(card string, path ...string) *engine.Binding { return &engine.Binding{Card: card, Path: path} }
	step := &engine.Flow{Format: engine.FlowFormat, ID: "step", Name: "step",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "page_index"}, {Key: "max_page_index"}, {Key: "break"}, {Key: "tag"}}},
		Cards: []engine.Card{
			{ID: "inc", Type: "number.add", Inputs: []engine.Field{{Key: "a", From: b("trigger", "page_index")}, {Key: "b", Value: 1.0}}},
			{ID: "key", Type: "flow.assignIf", Inputs: []engine.Field{{Key: "left-operand", Type: engine.T("number"), From: b("inc", "output")}, {Key: "operator", Value: "<"},
				{Key: "right-operand", From: b("trigger", "max_page_index")}, {Key: "valueIfTrue", Value: "break"}, {Key: "valueIfFalse", Value: "done"}}},
			{ID: "text", Type: "text.compose", Inputs: []engine.Field{{Key: "_text_", Value: `{"page_index": {{{n}}}, "max_page_index": {{{m}}}, "{{{k}}}": false, "tag": "{{{tag}}}"}`},
				{Key: "n", From: b("inc", "output")}, {Key: "m", From: b("trigger", "max_page_index")}, {Key: "k", From: b("key", "output")}, {Key: "tag", From: b("trigger", "tag")}}},
			{ID: "obj", Type: "json.parse", Inputs: []engine.Field{{Key: "string", From: b("text", "output")}}},
			{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "object", From: b("obj", "output")}}},
		}}
	forever := &engine.Flow{Format: engine.FlowFormat, ID: "forever", Name: "forever",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "break"}}},
		Cards:   []engine.Card{{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "break", From: b("trigger", "break")}}}}}
	silent := &engine.Flow{Format: engine.FlowFormat, ID: "silent", Name: "silent",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "break"}}}}
	ex := engine.NewExecutor(olFlows{"step": step, "forever": forever, "silent": silent}, nil, nil)
	start := map[string]any{"page_index": 0.0, "max_page_index": 10.0, "break": false}
	olCheck(t, ex, []olCase{
		{name: "stops when the helper drops the key", card: "httpfunctions:paginate", flow: "step",
			in:   []engine.Field{ov("object", start), ov("path", "break"), ov("tag", "t1")},
			want: map[string]any{"output": map[string]any{"page_index": 10.0, "max_page_index": 10.0, "done": false, "tag": "t1"}}},
		{name: "no key at the start: no call", card: "http.paginate", flow: "forever",
			in: []engine.Field{ov("object", map[string]any{"a": 1.0}), ov("path", "break")}, want: map[string]any{"output": map[string]any{"a": 1.0}}},
		{name: "never stops: error after 5000 calls", card: "http.paginate", flow: "forever", in: []engine.Field{ov("object", start), ov("path", "break")}, errIn: "path"},
		{name: "helper without Return", card: "http.paginate", flow: "silent", in: []engine.Field{ov("object", start), ov("path", "break")}, errIn: "object"},
		{name: "no helper chosen", card: "http.paginate", in: []engine.Field{ov("object", start), ov("path", "break")}, errIn: "flo"},
	})
}

// folderFlows is a flow store for Export Folder: flows with folders.
type folderFlows []*engine.Flow

func (l folderFlows) Flows() []*engine.Flow { return l }

func TestExportFolder(t *testing.T) {
	// folders/folders_exportfolder.htm: the folder's flows and its subfolders', as one JSON file.
	mk := func(id, folder string) *engine.Flow {
		return &engine.Flow{ID: id, Name: "flow " + id, Folder: folder, Revision: 7,
			Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}}
	}
	ex := engine.NewExecutor(nil, nil, nil)
	ex.Services["flows"] = folderFlows{mk("b", "HR/Onboarding"), mk("a", "HR"), mk("c", "HRIS"), mk("d", "Finance")}
	got, err := olRun(t, ex, olCase{card: "utility:exportFolder", in: []engine.Field{ov("folder", "HR"), ov("pretty", true), ov("indent", 3.0)}})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := got["File Content"].(string)
	var b engine.Folder
	if err := json.Unmarshal([]byte(text), &b); err != nil {
		t.Fatalf("not a folder bundle: %v\n%s", err, text)
	}
	if b.Format != engine.FolderFormat || b.Name != "HR" || len(b.Flows) != 2 || b.Flows[0].ID != "a" || b.Flows[1].ID != "b" || b.Flows[0].Revision != 0 {
		t.Fatalf("bundle: %+v", b)
	}
	if got["Filename"] != "HR.json" || got["Size"] != float64(len(text)) || !strings.Contains(text, "\n   \"format\"") {
		t.Fatalf("outputs: %v", got)
	}
	olCheck(t, ex, []olCase{
		{name: "empty folder", card: "flow.exportFolder", in: []engine.Field{ov("folder", "Legal")}, errIn: "folder"},
		{name: "no folder", card: "flow.exportFolder", errIn: "folder"},
	})
	if _, err := olRun(t, nil, olCase{card: "flow.exportFolder", in: []engine.Field{ov("folder", "HR")}}); err == nil || !strings.Contains(err.Error(), "flows") {
		t.Fatalf("without a flow store: %v", err)
	}
}
