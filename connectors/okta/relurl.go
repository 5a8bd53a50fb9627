package okta

import (
	"net/url"
	"regexp"
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

var dottedKey = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$-]*(\.[A-Za-z_$][A-Za-z0-9_$-]*)+$`)

// expandDotted nests a Body's dotted keys as Okta does for the fields of an
// object input: {"profile.name": "x"} is sent as {"profile": {"name": "x"}}
// (Okta's own tutorial creates a group so). Keys that are not plain dotted
// names (URNs such as "urn:ietf:params:scim:schemas:…:2.0:User") stay as
// written; a nested object given whole is merged with dotted keys into it.
func expandDotted(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	has := false
	for k := range m {
		if dottedKey.MatchString(k) {
			has = true
			break
		}
	}
	if !has {
		return v
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		if !dottedKey.MatchString(k) {
			if prev, ok := out[k].(map[string]any); ok {
				if em, ok := e.(map[string]any); ok {
					for kk, vv := range em {
						if _, set := prev[kk]; !set {
							prev[kk] = vv
						}
					}
					continue
				}
			}
			if em, ok := e.(map[string]any); ok { // a copy: dotted keys may add to it
				cp := make(map[string]any, len(em))
				for kk, vv := range em {
					cp[kk] = vv
				}
				e = cp
			}
			out[k] = e
			continue
		}
		segs := strings.Split(k, ".")
		cur := out
		for i, s := range segs[:len(segs)-1] {
			next, ok := cur[s].(map[string]any)
			if !ok {
				next = map[string]any{}
				if given, isMap := m[s].(map[string]any); isMap && i == 0 {
					for kk, vv := range given { // the object given whole, copied
						next[kk] = vv
					}
				}
				cur[s] = next
			}
			cur = next
		}
		cur[segs[len(segs)-1]] = e
	}
	return out
}
