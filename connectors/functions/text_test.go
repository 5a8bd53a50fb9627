package functions

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/flowbench/flowbench/engine"
)

func TestTextCards(t *testing.T) {
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_compose.htm
		{name: "compose slots", card: "string:compose",
			in:   []engine.Field{v("_text_", `/api/v1/users/{{{d-LJ0VMM5}}}/groups/{{{S18y}}}`), vt("d-LJ0VMM5", "string", "00u1"), vt("S18y", "string", "00g2")},
			want: map[string]any{"output": "/api/v1/users/00u1/groups/00g2"}},
		{name: "compose coerces numbers objects null", card: "text.compose",
			in: []engine.Field{v("_text_", "n={{{n}}} o={{{o}}} l={{{l}}} z=[{{{z}}}] b={{{b}}}"),
				vt("n", "number", 12.50), vt("o", "any", map[string]any{"a": 1.0}), vt("l", "string", []any{"x", 2.0}), vt("z", "string", nil), vt("b", "any", true)},
			want: map[string]any{"output": `n=12.5 o={"a":1} l=["x",2] z=[] b=true`}},
		{name: "compose literal braces kept", card: "text.compose",
			in:   []engine.Field{v("_text_", `{"q": "{source.login}"} {{{x`)},
			want: map[string]any{"output": `{"q": "{source.login}"} {{{x`}},
		{name: "compose unknown slot", card: "text.compose", in: []engine.Field{v("_text_", "a {{{nope}}}")}, errIn: "_text_"},
		{name: "compose empty", card: "text.compose", in: []engine.Field{v("_text_", "")}, want: map[string]any{"output": ""}},

		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_concat.htm
		{name: "concat in card order", card: "string:concat",
			in:   []engine.Field{v("string1", "[* TO "), v("string2", "2020"), vt("text 3", "string", "]")},
			want: map[string]any{"output": "[* TO 2020]"}},
		{name: "concat null and number", card: "text.concat", in: []engine.Field{v("string1", nil), v("string2", 3.0)},
			want: map[string]any{"output": "3"}},

		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_split.htm
		{name: "split", card: "string:split", in: ins("string", "a,b,,c", "delimiter", ","), want: map[string]any{"output": []any{"a", "b", "", "c"}}},
		{name: "split multi-char", card: "text.split", in: ins("string", "a, b, c", "delimiter", ", "), want: map[string]any{"output": []any{"a", "b", "c"}}},
		{name: "split line break", card: "text.split", in: ins("string", "a\nb", "delimiter", "\n"), want: map[string]any{"output": []any{"a", "b"}}},
		{name: "split empty separator", card: "text.split", in: ins("string", "héy", "delimiter", ""), want: map[string]any{"output": []any{"h", "é", "y"}}},
		{name: "split null separator", card: "text.split", in: ins("string", "a,b"), want: map[string]any{"output": []any{"a,b"}}},
		{name: "split empty text", card: "text.split", in: ins("string", "", "delimiter", ","), want: map[string]any{"output": []any{}}},
		{name: "split not found", card: "text.split", in: ins("string", "abc", "delimiter", "@"), want: map[string]any{"output": []any{"abc"}}},
		{name: "split number text", card: "text.split", in: ins("string", 1.5, "delimiter", "."), want: map[string]any{"output": []any{"1", "5"}}},

		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_substr.htm
		{name: "segment", card: "string:substr", in: ins("string", "Hello World", "start", 0.0, "end", 5.0), want: map[string]any{"output": "Hello"}},
		{name: "segment end past length", card: "text.segment", in: ins("string", "Hello", "start", 2.0, "end", 99.0), want: map[string]any{"output": "llo"}},
		{name: "segment negative start", card: "text.segment", in: ins("string", "Hello", "start", -3.0, "end", 2.0), want: map[string]any{"output": "He"}},
		{name: "segment swapped", card: "text.segment", in: ins("string", "Hello", "start", 4.0, "end", 1.0), want: map[string]any{"output": "ell"}},
		{name: "segment missing end = first start chars", card: "text.segment", in: ins("string", "Hello", "start", 3.0), want: map[string]any{"output": "Hel"}},
		{name: "segment missing start", card: "text.segment", in: ins("string", "Hello", "end", 2.0), want: map[string]any{"output": "He"}},
		{name: "segment text positions", card: "text.segment", in: ins("string", "naïve", "start", "1", "end", "3"), want: map[string]any{"output": "aï"}},
		{name: "segment bad number", card: "text.segment", in: ins("string", "x", "start", "one"), errIn: "start"},

		{name: "length", card: "string:length", in: ins("string", "naïve"), want: map[string]any{"length": 5.0}},
		{name: "length null", card: "text.length", in: ins("string", nil), want: map[string]any{"length": 0.0}},
		{name: "lower", card: "string:toLowerCase", in: ins("string", "ÀB c"), want: map[string]any{"output": "àb c"}},
		{name: "upper", card: "text.upper", in: ins("string", "àb c"), want: map[string]any{"output": "ÀB C"}},
		{name: "trim", card: "string:trim", in: ins("string", " \t a b \n"), want: map[string]any{"output": "a b"}},

		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_replace.htm
		{name: "replace first", card: "string:replace", in: ins("string", "2020-01-01T00:00:00Z Z", "src", "Z", "dest", "+00:00"),
			want: map[string]any{"output": "2020-01-01T00:00:00+00:00 Z"}},
		{name: "replace all", card: "text.replace", in: ins("string", "a.b.c", "src", ".", "dest", "-", "global", true), want: map[string]any{"output": "a-b-c"}},
		{name: "replace insensitive", card: "text.replace", in: ins("string", "Abc abc", "src", "ABC", "dest", "x", "global", true, "sensitive", false), want: map[string]any{"output": "x x"}},
		{name: "replace insensitive literal", card: "text.replace", in: ins("string", "a.b", "src", ".", "dest", "$1", "sensitive", false), want: map[string]any{"output": "a$1b"}},
		{name: "replace empty src", card: "text.replace", in: ins("string", "abc", "src", "", "dest", "x"), want: map[string]any{"output": "abc"}},
		{name: "replace loose boolean", card: "text.replace", in: ins("string", "aa", "src", "a", "dest", "b", "global", "yes"), want: map[string]any{"output": "bb"}},
		{name: "replace bad boolean", card: "text.replace", in: ins("string", "aa", "src", "a", "global", "maybe"), errIn: "global"},

		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_replaceany.htm
		{name: "replace patterns", card: "string:replaceAny",
			in:   []engine.Field{v("text", "null,a,null,b,null"), v("replacement", ""), vg("patterns", "input 1", "string", "null,"), vg("patterns", "input 2", "string", ",null")},
			want: map[string]any{"output": "a,b"}},
		{name: "replace patterns regex and case", card: "text.replacePatterns",
			in:   []engine.Field{v("text", "Ab1 aB22"), v("replacement", "#"), v("case sensitive", false), vg("patterns", "p", "string", "ab"), vg("patterns", "q", "string", `[0-9]+`)},
			want: map[string]any{"output": "## ##"}},
		{name: "replace patterns first only", card: "text.replacePatterns",
			in:   []engine.Field{v("text", "aaa"), v("replacement", "b"), v("global", false), vg("patterns", "p", "string", "a")},
			want: map[string]any{"output": "baa"}},
		{name: "replace patterns bad pattern", card: "text.replacePatterns",
			in: []engine.Field{v("text", "aaa"), vg("patterns", "bad", "string", "(")}, errIn: "bad"},

		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/text/text_find.htm
		{name: "find", card: "string:find", in: ins("string", "héllo world", "substr", "o"), want: map[string]any{"output": 4.0}},
		{name: "find none", card: "text.find", in: ins("string", "hello", "substr", "z"), want: map[string]any{"output": -1.0}},
		{name: "find case", card: "text.find", in: ins("string", "hello", "substr", "H"), want: map[string]any{"output": -1.0}},
		{name: "find last", card: "string:lastIndexOf", in: ins("string", "a b c", "substr", " "), want: map[string]any{"output": 3.0}},
		{name: "find last before", card: "text.findLast", in: ins("string", "a b c", "substr", " ", "index", 2.0), want: map[string]any{"output": 1.0}},
		{name: "find last none", card: "text.findLast", in: ins("string", "abc", "substr", " "), want: map[string]any{"output": -1.0}},
		{name: "find pattern", card: "string:match", in: ins("string", "jdoe12@x.com", "target", "[0-9]"), want: map[string]any{"output": 4.0}},
		{name: "find pattern none", card: "text.findPattern", in: ins("string", "jdoe", "target", "[0-9]"), want: map[string]any{"output": -1.0}},
		{name: "find pattern invalid", card: "text.findPattern", in: ins("string", "jdoe", "target", "[0-9"), errIn: "target"},
		{name: "find email", card: "string:email", in: ins("string", "Contact: Jane <jane.doe+x@example.co.uk>, bob@x.io"), want: map[string]any{"email": "jane.doe+x@example.co.uk"}},
		{name: "find email none", card: "text.findEmail", in: ins("string", "no mail here @ all"), want: map[string]any{"email": ""}},

		{name: "base64", card: "string:base64", in: ins("string", "user:pässword"), want: map[string]any{"output": "dXNlcjpww6Rzc3dvcmQ="}},
		{name: "base64 decode", card: "text.base64Decode", in: ins("string", "dXNlcjpww6Rzc3dvcmQ="), want: map[string]any{"output": "user:pässword"}},
		{name: "base64 decode url-safe unpadded", card: "text.base64Decode", in: ins("string", "-_8"), want: map[string]any{"output": "\xfb\xff"}},
		{name: "base64 decode invalid", card: "text.base64Decode", in: ins("string", "abc$"), errIn: "string"},

		{name: "starts with", card: "text.startsWith", in: ins("string", "admin@x", "substr", "admin"), want: map[string]any{"output": true}},
		{name: "ends with", card: "text.endsWith", in: ins("string", "admin@x.com", "substr", "@y.com"), want: map[string]any{"output": false}},
		{name: "pad start", card: "text.pad", in: ins("string", "42", "length", 5.0, "pad", "0"), want: map[string]any{"output": "00042"}},
		{name: "pad end multi", card: "text.pad", in: ins("string", "ab", "length", 7.0, "pad", "xy", "side", "end"), want: map[string]any{"output": "abxyxyx"}},
		{name: "pad already long", card: "text.pad", in: ins("string", "abcdef", "length", 3.0), want: map[string]any{"output": "abcdef"}},
		{name: "pad bad side", card: "text.pad", in: ins("string", "a", "length", 3.0, "side", "middle"), errIn: "side"},
		{name: "pad missing length", card: "text.pad", in: ins("string", "a"), errIn: "length"},
		{name: "random", card: "text.random", in: ins("length", 24.0, "characters", "ab"), check: func(o map[string]any) string {
			s, _ := o["output"].(string)
			if utf8.RuneCountInString(s) != 24 {
				return fmt.Sprintf("length %d", len(s))
			}
			for _, r := range s {
				if r != 'a' && r != 'b' {
					return "unexpected character " + string(r)
				}
			}
			return ""
		}},
		{name: "random default", card: "text.random", in: nil, check: func(o map[string]any) string {
			if s, _ := o["output"].(string); len(s) != 16 {
				return "want 16 characters, got " + s
			}
			return ""
		}},
		{name: "random bad length", card: "text.random", in: ins("length", -1.0), errIn: "length"},
	})
}
