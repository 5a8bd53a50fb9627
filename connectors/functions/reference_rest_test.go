package functions

import (
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
