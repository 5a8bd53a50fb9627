package functions

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestXMLParse(t *testing.T) {
	// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/XML/xml_parse.htm
	doc := `<?xml version="1.0"?>
<catalog>
    <release id="JNR165.8">
        <artist>Surfer Blood    </artist>
        <title>1000 Palms</title>
    </release>
    <release id="X2"><artist>Other</artist></release>
</catalog>`
	runCases(t, []cardCase{
		{name: "doc example", card: "xml:parse", in: []engine.Field{v("xml", doc)},
			want: map[string]any{"output": map[string]any{"release": []any{
				map[string]any{"$": map[string]any{"id": "JNR165.8"}, "artist": []any{"Surfer Blood    "}, "title": []any{"1000 Palms"}},
				map[string]any{"$": map[string]any{"id": "X2"}, "artist": []any{"Other"}}}}}},
		{name: "explicitRoot and trim", card: "xml.parse", in: []engine.Field{v("xml", `<a><b> x </b></a>`), vt("explicitRoot", "boolean", true), vt("trim", "boolean", true)},
			want: map[string]any{"output": map[string]any{"a": map[string]any{"b": []any{"x"}}}}},
		{name: "explicitCharkey, custom keys, normalizeTags", card: "xml.parse",
			in: []engine.Field{v("xml", `<R><ARTIST k="v">Surfer  Blood</ARTIST></R>`), vt("explicitCharkey", "boolean", true), v("charkey", "#"), v("attrkey", "@"),
				vt("normalizeTags", "boolean", true), vt("normalize", "boolean", true)},
			want: map[string]any{"output": map[string]any{"artist": []any{map[string]any{"@": map[string]any{"k": "v"}, "#": "Surfer Blood"}}}}},
		{name: "text-only root keeps its name", card: "xml.parse", in: []engine.Field{v("xml", `<note>hi</note>`)},
			want: map[string]any{"output": map[string]any{"note": "hi"}}},
		{name: "empty element", card: "xml.parse", in: []engine.Field{v("xml", `<a><b/></a>`)},
			want: map[string]any{"output": map[string]any{"b": []any{""}}}},
		{name: "not well formed", card: "xml.parse", in: []engine.Field{v("xml", "<a>\n<b></a>")}, errIn: "xml"},
		{name: "not XML", card: "xml.parse", in: []engine.Field{v("xml", "just text")}, errIn: "xml"},
		{name: "two roots", card: "xml.parse", in: []engine.Field{v("xml", "<a/><b/>")}, errIn: "xml"},
	})
}
