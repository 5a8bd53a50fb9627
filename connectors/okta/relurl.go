package okta

import (
	"net/url"
	"strings"
)

// splitRelativeURL splits a Custom API Action's Relative URL into its path
// and query, the way Okta sends it: the query may be typed as plain text
// (`/api/v1/users?search=profile.x sw "smtp:a@b"`), with spaces and quotes;
// each name and value is decoded where it holds valid %XX escapes (so an
// already encoded URL is not encoded twice) and percent-encoded on the way
// out. A "+" is kept as a plus sign, as typed. The path's own escapes are
// kept; characters a path may not hold raw (spaces, quotes) are encoded.
func splitRelativeURL(rel string) (string, url.Values) {
	path, raw, _ := strings.Cut(rel, "?")
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	q := url.Values{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		q.Add(unescapeLoose(k), unescapeLoose(v))
	}
	return escapePathLoose(path), q
}

func unescapeLoose(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// escapePathLoose encodes the characters a path may not hold raw, keeping
// "/" and existing %XX escapes.
func escapePathLoose(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(unescapeLoose(s))
	}
	return strings.Join(segs, "/")
}
