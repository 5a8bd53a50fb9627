package store

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendSummaryJSON appends the JSON of s, byte for byte what json.Marshal
// writes (TestSummaryJSONMatchesMarshal): every execution's end writes one,
// and the reflective encoder was ~3% of a busy server's CPU.
func appendSummaryJSON(b []byte, s *Summary) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, s.ID)
	b = append(b, `,"flow":`...)
	b = appendJSONString(b, s.Flow)
	if s.FlowName != "" {
		b = append(b, `,"flowName":`...)
		b = appendJSONString(b, s.FlowName)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, s.Status)
	b = append(b, `,"started":`...)
	b = appendJSONTime(b, s.Started)
	b = append(b, `,"ended":`...)
	b = appendJSONTime(b, s.Ended)
	b = append(b, `,"durationMs":`...)
	b = appendJSONFloat(b, s.DurationMS)
	for _, f := range [...]struct{ key, v string }{
		{`,"trigger":`, s.Trigger}, {`,"failedCard":`, s.FailedCard}, {`,"failedTitle":`, s.FailedTitle}, {`,"error":`, s.Error}, {`,"parent":`, s.Parent},
	} {
		if f.v != "" {
			b = append(b, f.key...)
			b = appendJSONString(b, f.v)
		}
	}
	if s.Bytes != 0 {
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, int64(s.Bytes), 10)
	}
	if s.Resumed != 0 {
		b = append(b, `,"resumed":`...)
		b = strconv.AppendInt(b, int64(s.Resumed), 10)
	}
	if len(s.Repeats) > 0 {
		b = append(b, `,"repeats":[`...)
		for i, r := range s.Repeats {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, r)
		}
		b = append(b, ']')
	}
	if s.Resumable {
		b = append(b, `,"resumable":true`...)
	}
	for _, f := range [...]struct{ key, v string }{{`,"attemptOf":`, s.AttemptOf}, {`,"attemptKind":`, s.AttemptKind}, {`,"environment":`, s.Environment}, {`,"tenant":`, s.Tenant}} {
		if f.v != "" {
			b = append(b, f.key...)
			b = appendJSONString(b, f.v)
		}
	}
	return append(b, '}')
}

// appendJSONString writes plain printable ASCII directly and leaves
// anything else (escapes, HTML characters, non-ASCII) to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y > 9999 {
		q, _ := json.Marshal(t) // json.Marshal fails on these; keep its behaviour
		return append(b, q...)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

func appendJSONFloat(b []byte, f float64) []byte {
	if a := f; a != 0 && (a < 1e-6 && a > -1e-6 || a >= 1e21 || a <= -1e21) {
		q, _ := json.Marshal(f)
		return append(b, q...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}
