package functions

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/flowbench/flowbench/engine"
)

// Text cards (Okta module "string"). Positions and lengths count Unicode
// characters (runes), not UTF-16 code units as JavaScript does; they agree
// for all text outside the astral planes.

const helpText = help + "text/"

func textSpec(id, okta, title, page, desc string, in, out []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	s := &engine.Spec{ID: id, Title: title, Category: "Text", Kind: engine.KindFunction, Description: desc,
		Inputs: in, Outputs: out, Run: run}
	if okta != "" {
		s.Okta = []string{okta}
	}
	if page != "" {
		s.DocURL = helpText + page
	}
	return s
}

func init() {
	for _, s := range textCards() {
		engine.Register(s)
	}
}

func textCards() []*engine.Spec {
	outText := []engine.FieldSpec{fs("output", "output", tString)}
	return []*engine.Spec{
		withExt(textSpec("text.compose", "string:compose", "Compose", "text_compose.htm",
			"Builds text from a template. The template (`_text_`) embeds the card's other inputs as `{{{KEY}}}`, KEY being the input's key (Okta's export form). Values that are not text are written as text without error: numbers without trailing zeros, true/false, dates as ISO text, objects and lists as JSON; a null or unset input writes nothing. A placeholder naming no input of the card is an error on `_text_`; an unterminated `{{{` is kept as literal text.",
			[]engine.FieldSpec{req("_text_", "text", tString)}, outText, compose), true),
		withExt(textSpec("text.concat", "string:concat", "Concatenate", "text_concat.htm",
			"Joins text 1, text 2 and any added inputs, in the card's input order, with no separator. Non-text values are written as text (numbers plainly, objects and lists as JSON); null inputs add nothing.",
			[]engine.FieldSpec{fs("string1", "text 1", tString), fs("string2", "text 2", tString)}, outText, concat), true),
		textSpec("text.split", "string:split", "Split", "text_split.htm",
			"Splits text at every occurrence of the separator (one or more characters, or a line break) into a list of text. Consecutive separators give empty items, as in JavaScript. Decisions where the docs are silent: an empty separator splits into single characters (JavaScript's split(\"\")); a missing (null) separator returns the whole text as one item; empty text gives an empty list.",
			[]engine.FieldSpec{fs("string", "text", tString), fs("delimiter", "separator", tString)},
			[]engine.FieldSpec{fs("output", "result list", tStrings)}, split),
		textSpec("text.segment", "string:substr", "Text Segment", "text_substr.htm",
			"Extracts the characters from `start at` (0 = first) up to but not including `end before`, with JavaScript substring() rules, which Okta uses: positions below 0 count as 0, positions past the end as the end, fractions are truncated, and when start is after end the two are swapped. So a missing `end before` extracts the first `start at` characters, and a missing `start at` the first `end before` characters (as Okta documents).",
			[]engine.FieldSpec{fs("string", "text", tString), def("start", "start at", tNumber, float64(0)), fs("end", "end before", tNumber)},
			[]engine.FieldSpec{fs("output", "segment", tString)}, segment),
		textSpec("text.length", "string:length", "Length", "text_length.htm",
			"Number of characters in the text (Unicode characters). Null text has length 0.",
			[]engine.FieldSpec{fs("string", "text", tString)}, []engine.FieldSpec{fs("length", "length", tNumber)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("length", float64(utf8.RuneCountInString(str(in, "string")))), nil
			}),
		textSpec("text.lower", "string:toLowerCase", "To Lower Case", "text_tolowercase.htm",
			"Converts every letter to lower case (Unicode rules).",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", strings.ToLower(str(in, "string"))), nil
			}),
		textSpec("text.upper", "string:toUpperCase", "To Upper Case", "text_touppercase.htm",
			"Converts every letter to upper case (Unicode rules). Okta kind chosen by analogy with To Lower Case (string:toLowerCase); it does not occur in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", strings.ToUpper(str(in, "string"))), nil
			}),
		textSpec("text.trim", "string:trim", "Trim", "text_trim.htm",
			"Removes white space (spaces, tabs, line breaks, other Unicode spaces) from both ends of the text.",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", strings.TrimSpace(str(in, "string"))), nil
			}),
		textSpec("text.replace", "string:replace", "Replace", "text_replace.htm",
			"Replaces the first occurrence of `look for` (literal text, not a pattern) with `replace with`, or every occurrence when `all instances` is true; `case sensitive` (default true) controls matching. An empty `look for` leaves the text unchanged (decision: the docs are silent).",
			[]engine.FieldSpec{fs("string", "look in", tString), fs("src", "look for", tString), fs("dest", "replace with", tString),
				def("global", "all instances", tBool, false), def("sensitive", "case sensitive", tBool, true)},
			[]engine.FieldSpec{fs("output", "result text", tString)}, replace),
		withExt(textSpec("text.replacePatterns", "string:replaceAny", "Replace Patterns", "text_replaceany.htm",
			"Replaces matches of each pattern (the inputs in group `patterns`, in card order; regular expressions in RE2 syntax) with `replace with`. `all instances` (default true) replaces every match, else the first match of each pattern; `case sensitive` (default false) controls matching. Patterns are applied one after another to the result of the previous one; empty patterns are skipped; an invalid pattern is an error naming that input.",
			[]engine.FieldSpec{fs("text", "look in", tString), fs("replacement", "replace with", tString),
				def("global", "all instances", tBool, true), def("case sensitive", "case sensitive", tBool, false)},
			[]engine.FieldSpec{fs("output", "result text", tString)}, replacePatterns), true),
		textSpec("text.find", "string:find", "Find", "text_find.htm",
			"Position (0 = first character) of the first occurrence of `look for` in `look in`, or -1 when it does not occur. Case sensitive. Empty `look for` is found at 0.",
			[]engine.FieldSpec{fs("string", "look in", tString), fs("substr", "look for", tString)},
			[]engine.FieldSpec{fs("output", "position", tNumber)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				s, sub := str(in, "string"), str(in, "substr")
				return one("output", runePos(s, strings.Index(s, sub))), nil
			}),
		textSpec("text.findLast", "string:lastIndexOf", "Find Last", "text_lastindexof.htm",
			"Position of the last occurrence of `look for`, or -1. With `right-most position` set, only occurrences starting at or before that position count (JavaScript lastIndexOf); a negative position counts as 0.",
			[]engine.FieldSpec{fs("string", "look in", tString), fs("substr", "look for", tString), fs("index", "right-most position", tNumber)},
			[]engine.FieldSpec{fs("output", "position", tNumber)}, findLast),
		textSpec("text.findPattern", "string:match", "Find Pattern", "text_match.htm",
			"Position of the first match of the regular expression `look for` (RE2 syntax, close to JavaScript's for common patterns) in `look in`, or -1 when nothing matches. An invalid pattern is an error naming `target`.",
			[]engine.FieldSpec{fs("string", "look in", tString), req("target", "look for", tString)},
			[]engine.FieldSpec{fs("output", "position", tNumber)}, findPattern),
		textSpec("text.findEmail", "string:email", "Find Email", "text_email.htm",
			"The first e-mail address found in the text; empty text when there is none (decision: the docs are silent).",
			[]engine.FieldSpec{fs("string", "text", tString)}, []engine.FieldSpec{fs("email", "email", tString)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("email", emailRE.FindString(str(in, "string"))), nil
			}),
		textSpec("text.base64", "string:base64", "Base64", "text_base64.htm",
			"Encodes the text's UTF-8 bytes as standard Base64 with padding.",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", base64.StdEncoding.EncodeToString([]byte(str(in, "string")))), nil
			}),
		textSpec("text.base64Decode", "string:base64Decode", "Base64 Decode", "text_base64decode.htm",
			"Decodes Base64 text (standard or URL-safe alphabet, padding optional, white space ignored) and reads the bytes as UTF-8 text. Text that is not Base64 is an error naming `string`. Okta kind chosen (string:base64Decode): the card does not occur in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText, base64Decode),
		textSpec("text.random", "string:random", "Random", "text_random.htm",
			"Random text of `length` characters (default 16, at most 10000) drawn with a cryptographic generator from `characters` (default: letters and digits). Okta kind and field keys chosen: the card does not occur in the template corpus.",
			[]engine.FieldSpec{def("length", "length", tNumber, float64(16)), fs("characters", "characters", tString)}, outText, random),
		textSpec("text.startsWith", "string:startsWith", "Starts With", "text_startswith.htm",
			"True when the text begins with `look for` (case sensitive; empty `look for` is true). Okta kind and keys chosen: not in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString), fs("substr", "look for", tString)},
			[]engine.FieldSpec{fs("output", "result", tBool)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", strings.HasPrefix(str(in, "string"), str(in, "substr"))), nil
			}),
		textSpec("text.endsWith", "string:endsWith", "Ends With", "text_endswith.htm",
			"True when the text ends with `look for` (case sensitive; empty `look for` is true). Okta kind and keys chosen: not in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString), fs("substr", "look for", tString)},
			[]engine.FieldSpec{fs("output", "result", tBool)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", strings.HasSuffix(str(in, "string"), str(in, "substr"))), nil
			}),
		textSpec("text.pad", "string:pad", "Pad", "text_pad.htm",
			"Adds `pad with` (default one space; repeated, and cut to fit) at the start (default) or end of the text until it is `length` characters long. Text already that long is returned unchanged (JavaScript padStart/padEnd). Okta kind and keys chosen: not in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString), req("length", "length", tNumber), def("pad", "pad with", tString, " "),
				{Key: "side", Label: "side", Type: tString, Default: "start", Choices: []engine.Choice{{Value: "start", Label: "start"}, {Value: "end", Label: "end"}}}},
			outText, pad),
	}
}

func withExt(s *engine.Spec, in bool) *engine.Spec { s.ExtensibleInputs = in; return s }

func compose(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	tmpl := str(in, "_text_")
	var b strings.Builder
	b.Grow(len(tmpl) + 16)
	err := slots(tmpl, func(s string) { b.WriteString(s) }, func(key string) error {
		v, ok := in.Values[key]
		if !ok && (in.Card == nil || in.Card.Input(key) == nil) {
			return engine.InputErrorf("_text_", "the placeholder {{{%s}}} names no input of this card", key)
		}
		if s, isStr := v.(string); isStr {
			b.WriteString(s)
		} else {
			b.WriteString(engine.ToText(v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return one("output", b.String()), nil
}

func concat(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	var b strings.Builder
	seen := 0
	if in.Card != nil {
		for i := range in.Card.Inputs {
			k := in.Card.Inputs[i].Key
			b.WriteString(str(in, k))
			seen++
		}
	}
	if seen == 0 { // no card declaration (direct calls): the two fixed inputs
		b.WriteString(str(in, "string1"))
		b.WriteString(str(in, "string2"))
	}
	return one("output", b.String()), nil
}

func split(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := str(in, "string")
	if s == "" {
		return one("output", []any{}), nil
	}
	d, ok := in.Values["delimiter"].(string)
	var parts []string
	switch {
	case !ok:
		parts = []string{s}
	case d == "":
		parts = strings.Split(s, "")
	default:
		parts = strings.Split(s, d)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return one("output", out), nil
}

func segment(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := str(in, "string")
	r := []rune(s)
	n := len(r)
	clamp := func(key string) int {
		f, ok := num(in, key)
		if !ok {
			return 0
		}
		i := integer(f)
		if i < 0 {
			return 0
		}
		if i > n {
			return n
		}
		return i
	}
	a, b := clamp("start"), clamp("end")
	if a > b {
		a, b = b, a
	}
	return one("output", string(r[a:b])), nil
}

// runePos converts a byte offset (or -1) into a character position.
func runePos(s string, i int) float64 {
	if i < 0 {
		return -1
	}
	return float64(utf8.RuneCountInString(s[:i]))
}

func findLast(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s, sub := str(in, "string"), str(in, "substr")
	if f, ok := num(in, "index"); ok {
		pos := integer(f)
		if pos < 0 {
			pos = 0
		}
		// limit the search to occurrences starting at or before pos (in characters)
		r := []rune(s)
		end := pos + utf8.RuneCountInString(sub)
		if end < len(r) {
			s = string(r[:end])
		}
	}
	return one("output", runePos(s, strings.LastIndex(s, sub))), nil
}

func findPattern(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	re, err := compileRE(str(in, "target"), false)
	if err != nil {
		return nil, engine.InputErrorf("target", "%v", err)
	}
	s := str(in, "string")
	loc := re.FindStringIndex(s)
	if loc == nil {
		return one("output", float64(-1)), nil
	}
	return one("output", runePos(s, loc[0])), nil
}

var (
	reMu    sync.RWMutex
	reCache = map[string]*regexp.Regexp{}
)

// compileRE compiles a pattern (case-insensitive when fold), caching compiled patterns.
func compileRE(p string, fold bool) (*regexp.Regexp, error) {
	key := p
	if fold {
		key = "(?i)" + p
	}
	reMu.RLock()
	re, ok := reCache[key]
	reMu.RUnlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(key)
	if err != nil {
		return nil, fmt.Errorf("invalid pattern %q: %v", p, err)
	}
	reMu.Lock()
	if len(reCache) > 512 {
		reCache = map[string]*regexp.Regexp{}
	}
	reCache[key] = re
	reMu.Unlock()
	return re, nil
}

func replace(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s, src, dest := str(in, "string"), str(in, "src"), str(in, "dest")
	if src == "" {
		return one("output", s), nil
	}
	global, sensitive := flag(in, "global", false), flag(in, "sensitive", true)
	if sensitive {
		n := 1
		if global {
			n = -1
		}
		return one("output", strings.Replace(s, src, dest, n)), nil
	}
	re, err := compileRE(regexp.QuoteMeta(src), true)
	if err != nil {
		return nil, engine.InputErrorf("src", "%v", err)
	}
	return one("output", reReplace(re, s, dest, global)), nil
}

// reReplace replaces literally (no $1 expansion), the first match or all.
func reReplace(re *regexp.Regexp, s, repl string, all bool) string {
	if all {
		return re.ReplaceAllLiteralString(s, repl)
	}
	loc := re.FindStringIndex(s)
	if loc == nil {
		return s
	}
	return s[:loc[0]] + repl + s[loc[1]:]
}

func replacePatterns(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := str(in, "text")
	repl := str(in, "replacement")
	global := flag(in, "global", true)
	fold := !flag(in, "case sensitive", false)
	if in.Card == nil {
		return one("output", s), nil
	}
	for i := range in.Card.Inputs {
		f := &in.Card.Inputs[i]
		if f.Group != "patterns" {
			continue
		}
		p := str(in, f.Key)
		if p == "" {
			continue
		}
		re, err := compileRE(p, fold)
		if err != nil {
			return nil, engine.InputErrorf(f.Key, "%v", err)
		}
		s = reReplace(re, s, repl, global)
	}
	return one("output", s), nil
}

var emailRE = regexp.MustCompile(`[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+`)

func base64Decode(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t':
			return -1
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, str(in, "string"))
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, engine.InputErrorf("string", "text is not Base64: %v", err)
	}
	return one("output", string(b)), nil
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func random(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	n := 16
	if f, ok := num(in, "length"); ok {
		n = integer(f)
	}
	if n < 0 || n > 10000 {
		return nil, engine.InputErrorf("length", "length must be between 0 and 10000, got %d", n)
	}
	chars := []rune(str(in, "characters"))
	if len(chars) == 0 {
		chars = []rune(alnum)
	}
	out := make([]rune, n)
	max := big.NewInt(int64(len(chars)))
	for i := range out {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			return nil, err
		}
		out[i] = chars[k.Int64()]
	}
	return one("output", string(out)), nil
}

func pad(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := str(in, "string")
	f, _ := num(in, "length")
	target := integer(f)
	if target > 100000 {
		return nil, engine.InputErrorf("length", "length must be at most 100000")
	}
	p := " "
	if v, ok := in.Values["pad"].(string); ok {
		p = v
	}
	have := utf8.RuneCountInString(s)
	if have >= target || p == "" {
		return one("output", s), nil
	}
	pr := []rune(p)
	fill := make([]rune, target-have)
	for i := range fill {
		fill[i] = pr[i%len(pr)]
	}
	if str(in, "side") == "end" {
		return one("output", s+string(fill)), nil
	}
	return one("output", string(fill)+s), nil
}
