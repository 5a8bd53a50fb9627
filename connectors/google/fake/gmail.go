package fake

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	scGmailSend    = "https://www.googleapis.com/auth/gmail.send"
	scGmailRead    = "https://www.googleapis.com/auth/gmail.readonly"
	scGmailModify  = "https://www.googleapis.com/auth/gmail.modify"
	scGmailFull    = "https://mail.google.com/"
	scGmailBasic   = "https://www.googleapis.com/auth/gmail.settings.basic"
	scGmailSharing = "https://www.googleapis.com/auth/gmail.settings.sharing"
)

func (s *Server) gmailRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /gmail/v1/users/{userId}/profile", s.gmailProfile)
	m.HandleFunc("POST /gmail/v1/users/{userId}/messages/send", s.gmailSend)
	m.HandleFunc("POST /upload/gmail/v1/users/{userId}/messages/send", s.gmailSend)
	m.HandleFunc("GET /gmail/v1/users/{userId}/messages", s.gmailList)
	m.HandleFunc("GET /gmail/v1/users/{userId}/messages/{id}", s.gmailGet)
	m.HandleFunc("GET /gmail/v1/users/{userId}/history", s.gmailHistory)
	m.HandleFunc("POST /gmail/v1/users/{userId}/settings/delegates", s.gmailAddDelegate)
	m.HandleFunc("DELETE /gmail/v1/users/{userId}/settings/delegates/{delegateEmail}", s.gmailDeleteDelegate)
	m.HandleFunc("POST /gmail/v1/users/{userId}/settings/forwardingAddresses", s.gmailAddForwarding)
	m.HandleFunc("PUT /gmail/v1/users/{userId}/settings/autoForwarding", s.gmailAutoForwarding)
	m.HandleFunc("PUT /gmail/v1/users/{userId}/settings/vacation", s.gmailVacation)
	m.HandleFunc("GET /calendar/v3/users/me/calendarList", s.calendarList)
	m.HandleFunc("POST /_fake/gmail/deliver", s.deliverHTTP)
	m.HandleFunc("POST /_fake/service-account/key", func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			Deleted bool `json:"deleted"`
		}
		if err := decodeBody(r, &b); err != nil {
			badRequest(w, err.Error())
			return
		}
		s.DeleteKey(b.Deleted)
		writeJSON(w, 200, map[string]any{"deleted": b.Deleted})
	})
	m.HandleFunc("GET /calendar/v3/calendars/{calendarId}/events", s.calendarEvents)
}

// mailbox checks the token and that it acts as the path's user; it answers
// the error itself.
func (s *Server) mailbox(w http.ResponseWriter, r *http.Request, scopes ...string) (*User, bool) {
	ss := s.authorize(w, r, scopes...)
	if ss == nil {
		return nil, false
	}
	id := r.PathValue("userId")
	s.mu.Lock()
	defer s.mu.Unlock()
	me := s.userLocked(ss.subject)
	if me == nil {
		gerr(w, 400, "failedPrecondition", "FAILED_PRECONDITION", "Precondition check failed.")
		return nil, false
	}
	if id != "me" && s.userLocked(id) != me {
		gerr(w, 403, "forbidden", "PERMISSION_DENIED", "Delegation denied for "+me.Email)
		return nil, false
	}
	return me, true
}

func (mb *Mailbox) historyID() string { return strconv.FormatInt(mb.nextHistory, 10) }

// deliverLocked puts a message into a mailbox.
func (s *Server) deliverLocked(to string, raw []byte, labels []string, at time.Time) *Message {
	u := s.userLocked(to)
	if u == nil {
		return nil
	}
	mb := u.Mailbox
	mb.nextHistory++
	m := &Message{ID: fmt.Sprintf("18c%013x", s.newID()*7919), Labels: labels, Raw: raw, Internal: at, HistoryID: mb.historyID()}
	m.ThreadID = m.ID
	mb.Messages = append(mb.Messages, m)
	mb.History = append(mb.History, historyRec{ID: mb.nextHistory, Msg: m})
	return m
}

// Deliver puts a message from an outside sender into a user's inbox (as
// mail arriving from the internet) and returns its id.
func (s *Server) Deliver(to, from, subject, body string) (string, error) {
	raw := []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", subject) + "\r\nDate: " +
		time.Now().UTC().Format(time.RFC1123Z) + "\r\nMessage-ID: <" + randHex(8) + "@mail.example.net>\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n\r\n" + body + "\r\n")
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.deliverLocked(to, raw, []string{"INBOX", "UNREAD"}, time.Now())
	if m == nil {
		return "", fmt.Errorf("no mailbox %q", to)
	}
	return m.ID, nil
}

// deliverHTTP is the fake's own control API (not Google's): mail from the
// internet arriving in a mailbox. Body {"to","from","subject","body"}.
func (s *Server) deliverHTTP(w http.ResponseWriter, r *http.Request) {
	var b struct{ To, From, Subject, Body string }
	if err := decodeBody(r, &b); err != nil {
		badRequest(w, err.Error())
		return
	}
	if b.From == "" {
		b.From = "someone@example.net"
	}
	id, err := s.Deliver(b.To, b.From, b.Subject, b.Body)
	if err != nil {
		notFound(w, "Mailbox "+b.To)
		return
	}
	writeJSON(w, 200, map[string]any{"id": id})
}

// Messages returns the parsed headers and text of a mailbox's messages
// (tests): one map per message with From, To, Subject, Body, Labels and
// Attachments (file names).
func (s *Server) Messages(email string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(email)
	if u == nil {
		return nil
	}
	var out []map[string]any
	for _, m := range u.Mailbox.Messages {
		p := parseMessage(m.Raw)
		out = append(out, map[string]any{"ID": m.ID, "From": p.header.Get("From"), "To": p.header.Get("To"), "Cc": p.header.Get("Cc"),
			"Subject": decodeHeader(p.header.Get("Subject")), "Body": p.text, "HTML": p.html, "Labels": m.Labels, "Attachments": p.files})
	}
	return out
}

type parsedMsg struct {
	header mail.Header
	text   string
	html   string
	files  []string
	part   map[string]any // the Gmail payload
}

func decodeHeader(v string) string {
	d := new(mime.WordDecoder)
	if s, err := d.DecodeHeader(v); err == nil {
		return s
	}
	return v
}

func b64url(b []byte) string { return base64.URLEncoding.EncodeToString(b) }

func parseMessage(raw []byte) *parsedMsg {
	p := &parsedMsg{header: mail.Header{}}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		p.text = string(raw)
		p.part = map[string]any{"partId": "", "mimeType": "text/plain", "filename": "", "headers": []any{},
			"body": map[string]any{"size": len(raw), "data": b64url(raw)}}
		return p
	}
	p.header = msg.Header
	var hdrs []any
	keys := make([]string, 0, len(msg.Header))
	for k := range msg.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range msg.Header[k] {
			hdrs = append(hdrs, map[string]any{"name": k, "value": v})
		}
	}
	p.part = p.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body, "")
	p.part["headers"] = hdrs
	return p
}

func (p *parsedMsg) walk(ctype, enc, disp string, body io.Reader, id string) map[string]any {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt = "text/plain"
	}
	part := map[string]any{"partId": id, "mimeType": mt, "filename": ""}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		var parts []any
		for i := 0; ; i++ {
			np, err := mr.NextPart()
			if err != nil {
				break
			}
			cid := strconv.Itoa(i)
			if id != "" {
				cid = id + "." + cid
			}
			sub := p.walk(np.Header.Get("Content-Type"), np.Header.Get("Content-Transfer-Encoding"), np.Header.Get("Content-Disposition"), np, cid)
			var hs []any
			for k, vs := range np.Header {
				for _, v := range vs {
					hs = append(hs, map[string]any{"name": k, "value": v})
				}
			}
			sub["headers"] = hs
			parts = append(parts, sub)
		}
		part["parts"] = parts
		part["body"] = map[string]any{"size": 0}
		return part
	}
	data, _ := io.ReadAll(body)
	if strings.EqualFold(enc, "base64") {
		if d, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(data)), "")); err == nil {
			data = d
		}
	}
	fn := ""
	if _, dp, err := mime.ParseMediaType(disp); err == nil {
		fn = dp["filename"]
	}
	if fn == "" {
		fn = params["name"]
	}
	switch {
	case fn != "":
		p.files = append(p.files, fn)
		part["filename"] = fn
		part["body"] = map[string]any{"size": len(data), "attachmentId": "ANGjdJ" + randHex(6)}
		return part
	case mt == "text/html" && p.html == "":
		p.html = string(data)
	case strings.HasPrefix(mt, "text/") && p.text == "":
		p.text = string(data)
	}
	part["body"] = map[string]any{"size": len(data), "data": b64url(data)}
	return part
}

func (s *Server) gmailProfile(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailRead, scGmailModify, scGmailFull, scGmailSend, scGmailBasic)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"emailAddress": me.Email, "messagesTotal": len(me.Mailbox.Messages),
		"threadsTotal": len(me.Mailbox.Messages), "historyId": me.Mailbox.historyID()})
}

func (s *Server) gmailSend(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailSend, scGmailModify, scGmailFull)
	if !ok {
		return
	}
	var raw []byte
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 35<<20))
		if err != nil {
			badRequest(w, "cannot read the upload")
			return
		}
		raw = b
	} else {
		var body struct {
			Raw string `json:"raw"`
		}
		if err := decodeBody(r, &body); err != nil {
			badRequest(w, err.Error())
			return
		}
		b, err := base64.URLEncoding.DecodeString(body.Raw)
		if err != nil {
			if b, err = base64.RawURLEncoding.DecodeString(body.Raw); err != nil {
				badRequest(w, "Invalid value for ByteString: raw")
				return
			}
		}
		raw = b
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		badRequest(w, "Invalid RFC 2822 message")
		return
	}
	var rcpts []string
	for _, h := range []string{"To", "Cc", "Bcc"} {
		if msg.Header.Get(h) == "" {
			continue
		}
		list, err := mail.ParseAddressList(msg.Header.Get(h))
		if err != nil {
			badRequest(w, "Invalid "+h+" header: "+err.Error())
			return
		}
		for _, a := range list {
			rcpts = append(rcpts, a.Address)
		}
	}
	if len(rcpts) == 0 {
		badRequest(w, "Recipient address required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	sent := s.deliverLocked(me.Email, raw, []string{"SENT"}, now)
	for _, a := range rcpts {
		if u := s.userLocked(a); u != nil && u != me {
			s.deliverLocked(a, raw, []string{"INBOX", "UNREAD"}, now)
		}
	}
	writeJSON(w, 200, map[string]any{"id": sent.ID, "threadId": sent.ThreadID, "labelIds": sent.Labels})
}

func hasLabel(m *Message, l string) bool {
	for _, x := range m.Labels {
		if strings.EqualFold(x, l) {
			return true
		}
	}
	return false
}

func (s *Server) gmailList(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailRead, scGmailModify, scGmailFull)
	if !ok {
		return
	}
	q := r.URL.Query()
	var after int64 // the search operator after:EPOCH_SECONDS (the only one the fake knows)
	for _, term := range strings.Fields(q.Get("q")) {
		v, ok := strings.CutPrefix(term, "after:")
		n, err := strconv.ParseInt(v, 10, 64)
		if !ok || err != nil {
			badRequest(w, "Invalid search query: the fake understands after:EPOCH_SECONDS only")
			return
		}
		after = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for i := len(me.Mailbox.Messages) - 1; i >= 0; i-- {
		m := me.Mailbox.Messages[i]
		keep := m.Internal.Unix() >= after
		for _, l := range q["labelIds"] {
			keep = keep && hasLabel(m, l)
		}
		if keep {
			list = append(list, map[string]any{"id": m.ID, "threadId": m.ThreadID})
		}
	}
	writeJSON(w, 200, map[string]any{"messages": list, "resultSizeEstimate": len(list)})
}

func (s *Server) messageJSON(m *Message, format string) map[string]any {
	p := parseMessage(m.Raw)
	snip := strings.Join(strings.Fields(p.text), " ")
	if len(snip) > 200 {
		snip = snip[:200]
	}
	out := map[string]any{"id": m.ID, "threadId": m.ThreadID, "labelIds": m.Labels, "snippet": snip, "historyId": m.HistoryID,
		"internalDate": strconv.FormatInt(m.Internal.UnixMilli(), 10), "sizeEstimate": len(m.Raw)}
	switch format {
	case "raw":
		out["raw"] = b64url(m.Raw)
	case "minimal":
	case "metadata":
		out["payload"] = map[string]any{"mimeType": p.part["mimeType"], "headers": p.part["headers"]}
	default:
		out["payload"] = p.part
	}
	return out
}

func (s *Server) gmailGet(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailRead, scGmailModify, scGmailFull)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range me.Mailbox.Messages {
		if m.ID == r.PathValue("id") {
			writeJSON(w, 200, s.messageJSON(m, r.URL.Query().Get("format")))
			return
		}
	}
	gerr(w, 404, "notFound", "NOT_FOUND", "Requested entity was not found.")
}

func (s *Server) gmailHistory(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailRead, scGmailModify, scGmailFull)
	if !ok {
		return
	}
	q := r.URL.Query()
	start, err := strconv.ParseInt(q.Get("startHistoryId"), 10, 64)
	if err != nil {
		badRequest(w, "Invalid startHistoryId")
		return
	}
	maxN := 100
	if n, err := strconv.Atoi(q.Get("maxResults")); err == nil && n > 0 && n <= 500 {
		maxN = n
	}
	if pt, err := strconv.ParseInt(q.Get("pageToken"), 10, 64); err == nil && pt > start {
		start = pt
	}
	label := q.Get("labelId")
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := me.Mailbox
	hist := []any{}
	next := ""
	for _, h := range mb.History {
		if h.ID <= start || (label != "" && !hasLabel(h.Msg, label)) {
			continue
		}
		if len(hist) == maxN {
			next = strconv.FormatInt(start, 10)
			break
		}
		ref := map[string]any{"id": h.Msg.ID, "threadId": h.Msg.ThreadID}
		hist = append(hist, map[string]any{"id": strconv.FormatInt(h.ID, 10), "messages": []any{ref},
			"messagesAdded": []any{map[string]any{"message": map[string]any{"id": h.Msg.ID, "threadId": h.Msg.ThreadID, "labelIds": h.Msg.Labels}}}})
		start = h.ID
	}
	out := map[string]any{"historyId": mb.historyID()}
	if len(hist) > 0 {
		out["history"] = hist
	}
	if next != "" {
		out["nextPageToken"] = next
	}
	writeJSON(w, 200, out)
}

func (s *Server) gmailAddDelegate(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailSharing)
	if !ok {
		return
	}
	var body struct {
		DelegateEmail string `json:"delegateEmail"`
	}
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.userLocked(body.DelegateEmail)
	switch {
	case d == nil:
		badRequest(w, "Invalid delegate")
		return
	case d == me:
		badRequest(w, "Cannot delegate to self")
		return
	}
	if _, dup := me.Mailbox.Delegates[strings.ToLower(d.Email)]; dup {
		gerr(w, 409, "alreadyExists", "ALREADY_EXISTS", "Delegate already exists")
		return
	}
	me.Mailbox.Delegates[strings.ToLower(d.Email)] = "accepted"
	writeJSON(w, 200, map[string]any{"delegateEmail": d.Email, "verificationStatus": "accepted"})
}

func (s *Server) gmailDeleteDelegate(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailSharing)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(r.PathValue("delegateEmail"))
	if _, ok := me.Mailbox.Delegates[k]; !ok {
		gerr(w, 404, "notFound", "NOT_FOUND", "Requested entity was not found.")
		return
	}
	delete(me.Mailbox.Delegates, k)
	w.WriteHeader(http.StatusNoContent)
}

// Delegates lists a mailbox's delegates (tests).
func (s *Server) Delegates(email string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(email)
	if u == nil {
		return nil
	}
	var out []string
	for k := range u.Mailbox.Delegates {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Settings returns a mailbox's auto-forwarding and vacation settings (tests).
func (s *Server) Settings(email string) (autoForwarding, vacation map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(email)
	if u == nil {
		return nil, nil
	}
	return u.Mailbox.AutoForwarding, u.Mailbox.Vacation
}

func (s *Server) gmailAddForwarding(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailSharing)
	if !ok {
		return
	}
	var body struct {
		ForwardingEmail string `json:"forwardingEmail"`
	}
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	if _, err := mail.ParseAddress(body.ForwardingEmail); err != nil {
		badRequest(w, "Invalid forwarding address")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(body.ForwardingEmail)
	if _, dup := me.Mailbox.Forwarding[k]; dup {
		gerr(w, 409, "alreadyExists", "ALREADY_EXISTS", "Forwarding address already exists")
		return
	}
	st := "pending" // outside the domain the recipient must confirm
	if s.userLocked(k) != nil {
		st = "accepted"
	}
	me.Mailbox.Forwarding[k] = st
	writeJSON(w, 200, map[string]any{"forwardingEmail": body.ForwardingEmail, "verificationStatus": st})
}

func (s *Server) gmailAutoForwarding(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailSharing)
	if !ok {
		return
	}
	var body struct {
		Enabled      bool   `json:"enabled"`
		EmailAddress string `json:"emailAddress"`
		Disposition  string `json:"disposition"`
	}
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if body.Enabled {
		if me.Mailbox.Forwarding[strings.ToLower(body.EmailAddress)] != "accepted" {
			gerr(w, 400, "failedPrecondition", "FAILED_PRECONDITION", "Unverified forwarding address: "+body.EmailAddress)
			return
		}
		switch body.Disposition {
		case "leaveInInbox", "archive", "trash", "markRead":
		default:
			badRequest(w, "Invalid disposition: "+body.Disposition)
			return
		}
	}
	me.Mailbox.AutoForwarding = map[string]any{"enabled": body.Enabled, "emailAddress": body.EmailAddress, "disposition": body.Disposition}
	writeJSON(w, 200, me.Mailbox.AutoForwarding)
}

func (s *Server) gmailVacation(w http.ResponseWriter, r *http.Request) {
	me, ok := s.mailbox(w, r, scGmailBasic)
	if !ok {
		return
	}
	var body map[string]any
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	out := map[string]any{}
	for _, k := range []string{"enableAutoReply", "responseSubject", "responseBodyPlainText", "responseBodyHtml", "restrictToContacts",
		"restrictToDomain", "startTime", "endTime"} {
		if v, ok := body[k]; ok {
			out[k] = v
		}
	}
	if out["enableAutoReply"] == true && out["responseSubject"] == nil && out["responseBodyPlainText"] == nil && out["responseBodyHtml"] == nil {
		badRequest(w, "Vacation responder needs a subject or a body")
		return
	}
	s.mu.Lock()
	me.Mailbox.Vacation = out
	s.mu.Unlock()
	writeJSON(w, 200, out)
}

func (s *Server) calendarList(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r, "https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.readonly")
	if ss == nil {
		return
	}
	writeJSON(w, 200, map[string]any{"kind": "calendar#calendarList", "etag": etag("cl"), "items": []any{
		map[string]any{"kind": "calendar#calendarListEntry", "id": ss.subject, "summary": ss.subject, "primary": true,
			"accessRole": "owner", "timeZone": "UTC"}}})
}

func (s *Server) calendarEvents(w http.ResponseWriter, r *http.Request) {
	ss := s.authorize(w, r, "https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.readonly")
	if ss == nil {
		return
	}
	writeJSON(w, 200, map[string]any{"kind": "calendar#events", "etag": etag("ev"), "summary": r.PathValue("calendarId"),
		"timeZone": "UTC", "accessRole": "owner", "items": []any{}})
}
