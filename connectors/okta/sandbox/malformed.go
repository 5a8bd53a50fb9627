package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
)

// Go's HTTP server answers a request it cannot parse (a raw space or quote
// in the URL, a bad header line) itself, before any handler, with a bare
// text "400 Bad Request". Okta answers every malformed request in its error
// shape, so the sandbox's listener rewrites those answers into an Okta error
// body (errorCode E0000003, the reason in errorSummary and errorCauses).

// serverErrorHeaders is what net/http writes after the status of an answer
// it makes itself (server.go, errorHeaders).
var serverErrorHeaders = []byte("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")

type oktaErrListener struct{ net.Listener }

func (l oktaErrListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return oktaErrConn{c}, nil
}

type oktaErrConn struct{ net.Conn }

func (c oktaErrConn) Write(p []byte) (int, error) {
	if out, ok := oktaShapedServerError(p); ok {
		if _, err := c.Conn.Write(out); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// oktaShapedServerError rewrites one of net/http's own 4xx answers.
func oktaShapedServerError(p []byte) ([]byte, bool) {
	if !bytes.HasPrefix(p, []byte("HTTP/1.1 4")) || len(p) < 12 {
		return nil, false
	}
	i := bytes.Index(p, serverErrorHeaders)
	if i < 0 || bytes.IndexByte(p[:i], '\n') >= 0 {
		return nil, false // not a status line followed directly by net/http's own headers
	}
	if _, err := strconv.Atoi(string(p[9:12])); err != nil {
		return nil, false
	}
	statusLine := string(p[:i])
	reason := string(p[i+len(serverErrorHeaders):])
	body, _ := json.Marshal(OktaError{ErrorCode: "E0000003", ErrorLink: "E0000003", ErrorID: randID("oae", 22),
		ErrorSummary: "The request was not well-formed: " + reason,
		ErrorCauses:  []ErrorCause{{ErrorSummary: reason}}})
	out := fmt.Sprintf("%s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", statusLine, len(body), body)
	return []byte(out), true
}
