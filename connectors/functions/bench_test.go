package functions

import (
	"context"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// benchCases are the most used cards of this package in the template corpus.
var benchCases = []struct {
	name   string
	card   string
	inputs []engine.Field
}{
	{"compose", "string:compose", []engine.Field{v("_text_", "profile.login sw \"{{{c9CaBYGwc}}}\" and id eq {{{x}}}"), vt("c9CaBYGwc", "string", "jane"), vt("x", "string", 12.0)}},
	{"concat", "string:concat", []engine.Field{v("string1", "[* TO "), v("string2", "2020-01-01"), vt("text 3", "string", "]")}},
	{"split", "string:split", ins("string", "jane.doe@example.com", "delimiter", "@")},
	{"segment", "string:substr", ins("string", "2016-09-07T00:01:25.670Z", "start", 0.0, "end", 10.0)},
	{"compare", "boolean:compare", []engine.Field{vt("left-operand", "string", "ACTIVE"), v("operator", "=="), vt("right-operand", "string", "ACTIVE")}},
	{"dateAdd", "date:add", ins("start", "2016-09-07T00:01:25.670Z", "scale", 30.0, "unit", "seconds")},
	{"dateFormat", "date:format", ins("start", "2016-09-07T00:01:25.670Z", "format", "MM/DD/Y", "zone", "US/Pacific")},
	{"jsonParse", "json:parse", ins("string", `{"access_token":"abc","expires_in":3600}`)},
	{"multiply", "math:multiply", ins("a", 1473206485.0, "b", 1000.0)},
	{"trim", "string:trim", ins("string", "  Group Name  ")},
	{"formula", "math:expression", []engine.Field{v("_text_", "({{{a}}} + 11644473600000) * 10000"), vt("a", "number", 5.0)}},
}

// BenchmarkCards measures each card three ways:
//   - exec: a whole one-card flow through engine.Executor (trigger, input
//     resolution, conversion, schema checks, history records);
//   - card: what the executor spends on the card itself — Coerce of each
//     input, input schema, Run, output schema;
//   - run: Spec.Run alone.
//
// go test -run XXX -bench BenchmarkCards -benchmem ./connectors/functions/
func BenchmarkCards(b *testing.B) {
	ctx := context.Background()
	for _, c := range benchCases {
		spec, ok := engine.Default().Card(c.card)
		if !ok {
			b.Fatalf("no card %s", c.card)
		}
		f := &engine.Flow{Format: engine.FlowFormat, ID: "bench-" + c.name, Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
			Cards: []engine.Card{{ID: "c", Type: c.card, Inputs: c.inputs}}}
		card := &f.Cards[0]
		values := map[string]any{}
		for _, in := range c.inputs {
			typ := in.Type
			if typ == nil {
				if fs := spec.InputSpec(in.Key); fs != nil {
					typ = fs.Type
				}
			}
			cv, err := engine.Coerce(in.Value, typ)
			if err != nil {
				b.Fatal(err)
			}
			values[in.Key] = cv
		}
		args := engine.Inputs{Values: values, Card: card}
		b.Run(c.name+"/exec", func(b *testing.B) {
			ex := engine.NewExecutor(nil, nil, nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ex.Run(ctx, f, nil, engine.RunOptions{ID: "x"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/card", func(b *testing.B) {
			b.ReportAllocs()
			in := make(map[string]any, len(c.inputs))
			for i := 0; i < b.N; i++ {
				for _, fld := range c.inputs {
					typ := fld.Type
					if typ == nil {
						if fs := spec.InputSpec(fld.Key); fs != nil {
							typ = fs.Type
						}
					}
					cv, err := engine.Coerce(fld.Value, typ)
					if err != nil {
						b.Fatal(err)
					}
					in[fld.Key] = cv
				}
				if err := spec.InputSchema().Validate(in); err != nil {
					b.Fatal(err)
				}
				out, err := spec.Run(ctx, engine.Inputs{Values: in, Card: card})
				if err != nil {
					b.Fatal(err)
				}
				if err := spec.OutputSchema().Validate(out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/run", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := spec.Run(ctx, args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
