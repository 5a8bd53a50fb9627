package kit

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Paginator is a pagination style: given the call just made and its
// result, Next returns the call for the next page, or nil at the end.
type Paginator interface {
	Next(prev *Call, r *Result) *Call
}

// PaginatorFunc adapts a function.
type PaginatorFunc func(prev *Call, r *Result) *Call

// Next implements Paginator.
func (f PaginatorFunc) Next(prev *Call, r *Result) *Call { return f(prev, r) }

// withQuery copies a call with one query parameter set.
func withQuery(prev *Call, key, val string) *Call {
	n := *prev
	n.Query = url.Values{}
	for k, v := range prev.Query {
		n.Query[k] = append([]string(nil), v...)
	}
	n.Query.Set(key, val)
	return &n
}

// BodyCursor: the next cursor is at a path in the body, sent back as a
// query parameter (Slack: response_metadata.next_cursor → cursor).
func BodyCursor(param string, path ...string) Paginator {
	return PaginatorFunc(func(prev *Call, r *Result) *Call {
		s, _ := dig(r.Body, path...).(string)
		if s == "" {
			return nil
		}
		return withQuery(prev, param, s)
	})
}

// SlackCursor is Slack's cursor pagination.
var SlackCursor = BodyCursor("cursor", "response_metadata", "next_cursor")

// PageToken is Google's: body nextPageToken → query pageToken.
var PageToken = BodyCursor("pageToken", "nextPageToken")

// NextLink: the body holds the next page's full URL at path (Graph
// "@odata.nextLink", Salesforce "nextRecordsUrl").
func NextLink(path ...string) Paginator {
	return PaginatorFunc(func(prev *Call, r *Result) *Call {
		s, _ := dig(r.Body, path...).(string)
		if s == "" {
			return nil
		}
		n := *prev
		n.Path, n.Query = s, nil
		return &n
	})
}

// ODataNextLink is Microsoft Graph's paging.
var ODataNextLink = NextLink("@odata.nextLink")

var linkNext = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="?next"?`)

// LinkHeader follows RFC 8288 Link: <…>; rel="next" (GitHub, Okta).
var LinkHeader = PaginatorFunc(func(prev *Call, r *Result) *Call {
	for _, l := range r.Header.Values("Link") {
		if m := linkNext.FindStringSubmatch(l); m != nil {
			n := *prev
			n.Path, n.Query = m[1], nil
			return &n
		}
	}
	return nil
})

// OffsetLimit pages with offset/limit parameters until a page is shorter
// than limit; items is the path of the list in the body.
func OffsetLimit(offsetParam, limitParam string, limit int, items ...string) Paginator {
	return PaginatorFunc(func(prev *Call, r *Result) *Call {
		list, _ := dig(r.Body, items...).([]any)
		if len(list) < limit {
			return nil
		}
		off, _ := strconv.Atoi(prev.Query.Get(offsetParam))
		n := withQuery(prev, offsetParam, strconv.Itoa(off+len(list)))
		n.Query.Set(limitParam, strconv.Itoa(limit))
		return n
	})
}

// Pages calls first and follows p, handing each page's items (the list at
// itemsPath) to each; each returns false to stop. maxPages bounds the walk
// (0: 1000 pages).
func (cl *Client) Pages(ctx context.Context, first *Call, p Paginator, maxPages int, itemsPath []string, each func(items []any) bool) error {
	if p == nil {
		p = cl.c.Pages
	}
	if maxPages <= 0 {
		maxPages = 1000
	}
	call := first
	for n := 0; call != nil && n < maxPages; n++ {
		r, err := cl.Do(ctx, call)
		if err != nil {
			return err
		}
		items, _ := dig(r.Body, itemsPath...).([]any)
		if !each(items) || p == nil {
			return nil
		}
		call = p.Next(call, r)
	}
	return nil
}

// dig walks object keys ("a", "b") of a plain JSON value.
func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// Dig is dig for cards: the value at a key path of a JSON value, or nil.
// A path element may be "a.b" (split on dots).
func Dig(v any, path ...string) any {
	var keys []string
	for _, p := range path {
		keys = append(keys, strings.Split(p, ".")...)
	}
	return dig(v, keys...)
}
