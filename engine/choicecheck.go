package engine

import (
	"strconv"
	"strings"
)

// choice reports a static value that is not among the input's choices
// (e.g. a value an imported flow carries from another connector version),
// so it shows on the card before a run, not as a surprise at run time.
func (v *validator) choice(c *Card, f *Field, fs *FieldSpec, ptr *jptr) {
	if fs == nil || !fs.ClosedChoices() || f.From != nil || len(f.Any) > 0 || f.Item != nil {
		return
	}
	switch f.Value.(type) {
	case string, float64, bool:
	default:
		return // unset, lists and objects are not choice values
	}
	text := ToText(f.Value)
	names := make([]string, 0, len(fs.Choices))
	for _, ch := range fs.Choices {
		ct := ToText(ch.Value)
		if ct == text {
			return
		}
		names = append(names, strconv.Quote(ct))
	}
	v.add(c, f.Key, ptr.at("value"), "bad-choice", "value %q of %q is not one of its choices: %s", text, labelOr(*fs), strings.Join(names, ", "))
}
