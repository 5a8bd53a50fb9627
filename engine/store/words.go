package store

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/flowbench/flowbench/engine"
)

// The text index's tokenizer. It runs for every execution in the caller's
// goroutine (history.go histRecord), so it is written to cost little: the
// distinct words are kept in a short slice (at most maxWords, compared by
// length first) instead of a map, a text that was already tokenized in the
// same execution (a value handed from card to card) is skipped, and
// characters are classified by table.

const (
	maxWords   = 32 // distinct words indexed per execution
	maxWordLen = 48
	maxSeen    = 64 // texts remembered per execution to skip repeats
)

// textTokens are the distinct words of an execution: flow name, input,
// outputs, card outputs and errors (a card's inputs are the outputs of the
// cards before it, or static text of the flow), sorted.
func textTokens(e *engine.Execution) []string {
	var seen [16]string
	// the run's own id and start time (the trigger context's execution_id
	// and execution_time) are in its summary: searching for them needs no
	// index, and as words unique to each run they would cost a posting
	// list per run in every write batch
	seen[0], seen[1] = e.ID, e.Started.UTC().Format(engine.DateLayout)
	w := wordSet{words: make([]string, 0, 16), seen: seen[:2]}
	w.text(e.FlowName)
	w.value(e.Input)
	w.value(e.Outputs)
	w.cardError(e.Error)
	for i := range e.Cards {
		c := &e.Cards[i]
		w.cardError(c.Error)
		w.value(c.Outputs)
	}
	return w.sorted()
}

// cardError adds what History shows of an error: its message, the failed
// card's title, the vendor's error code (Okta's E0000007) and HTTP status.
func (w *wordSet) cardError(e *engine.CardError) {
	if e == nil {
		return
	}
	w.text(e.Message)
	w.text(e.Title)
	w.text(e.Code)
	if e.Status > 0 {
		w.text(strconv.Itoa(e.Status))
	}
}

type wordSet struct {
	words []string // distinct, lower case, at most maxWords
	seen  []string // texts already tokenized (at most maxSeen)
	buf   [maxWordLen]byte
}

func (w *wordSet) full() bool { return len(w.words) >= maxWords }

func (w *wordSet) sorted() []string {
	slices.Sort(w.words)
	return w.words
}

func (w *wordSet) value(v any) {
	if w.full() {
		return
	}
	switch x := v.(type) {
	case string:
		w.text(x)
	case float64:
		if x == float64(int64(x)) && (x >= 1000 || x <= -1000) {
			w.text(strconv.FormatInt(int64(x), 10))
		}
	case map[string]any:
		for k, y := range x {
			if len(k) == 7 && strings.EqualFold(k, "headers") {
				continue // HTTP headers: dates, lengths, content types — noise for search, and costly
			}
			w.value(y)
		}
	case []any:
		for _, y := range x {
			w.value(y)
		}
	}
}

// charClass: 1 a word character (letter, digit, any byte of a non-ASCII
// character), 2 a join character that keeps an address whole.
var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c >= 0x80:
			t[c] = 1
		case c == '@', c == '.', c == '-', c == '_', c == '+':
			t[c] = 2
		}
	}
	return
}()

func isJoin(c byte) bool { return charClass[c] == 2 }

// text adds the words of s: runs of letters and digits, and whole
// addresses such as ada@example.com or 00u1ab-x_y (so both the address and
// its parts are found). ASCII is folded to lower case without allocating.
func (w *wordSet) text(s string) {
	if len(s) < 2 || w.full() {
		return
	}
	for _, t := range w.seen {
		if t == s {
			return
		}
	}
	if len(w.seen) < maxSeen {
		w.seen = append(w.seen, s)
	}
	for i := 0; i < len(s) && !w.full(); {
		// a field: word and join characters
		j := i
		parts := 0
		inWord := false
		for j < len(s) {
			cl := charClass[s[j]]
			if cl == 0 {
				break
			}
			word := cl == 1
			if word && !inWord {
				parts++
			}
			inWord = word
			j++
		}
		if j == i {
			i++
			continue
		}
		field := s[i:j]
		if parts > 1 {
			w.add(field)
		}
		// its parts
		k := 0
		for k < len(field) {
			for k < len(field) && charClass[field[k]] == 2 {
				k++
			}
			st := k
			for k < len(field) && charClass[field[k]] == 1 {
				k++
			}
			if k > st {
				w.add(field[st:k])
			}
		}
		i = j
	}
}

func (w *wordSet) add(t string) {
	for len(t) > 0 && isJoin(t[0]) {
		t = t[1:]
	}
	for len(t) > 0 && isJoin(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	if len(t) < 2 || w.full() {
		return
	}
	if len(t) > maxWordLen {
		t = t[:maxWordLen]
	}
	b := w.buf[:len(t)]
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	for _, have := range w.words {
		if have == string(b) {
			return
		}
	}
	if !utf8.Valid(b) {
		b = []byte(strings.ToValidUTF8(string(b), ""))
		if len(b) < 2 || slices.Contains(w.words, string(b)) {
			return
		}
	}
	w.words = append(w.words, string(b))
}
