package google

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// NewMessageCard is the Gmail "New Message Received" event card.
const (
	NewMessageCard = "gmail.newMessage"
	NewMessageKind = "gmail:newMessage"
)

func gmailEventSpec() *engine.Spec {
	o := func(k, t string) engine.FieldSpec { return out("Message", k, t) }
	return &engine.Spec{ID: NewMessageCard, Okta: []string{NewMessageKind}, Title: "New Message Received", Category: catGmail,
		App: "google", Kind: engine.KindTrigger, Connection: KindID, ExtensibleOutputs: true, DocURL: docBase + "gmail/events/newmessage.htm",
		Description: "Starts the flow for every new message in a Gmail mailbox (by default the connection's user), by polling the " +
			"mailbox's history (users.history.list from a stored history id, then users.messages.get). Messages that arrive while " +
			"Flowbench is closed start the flow when it polls again; each message starts it once.",
		Inputs: []engine.FieldSpec{
			{Key: "Mailbox", Label: "Mailbox", Type: engine.T("string"), Description: "the mailbox to watch (a service account acts as its owner); default: the connection's user"},
			{Key: "Label", Label: "Label", Type: engine.T("string"), Default: "INBOX", Description: "only messages with this label (INBOX, SENT, a label id); empty: every new message"},
			{Key: "delivery", Label: "Delivery", Type: engine.T("string"), Default: trigger.DeliveryPoll,
				Choices: []engine.Choice{{Value: trigger.DeliveryPoll, Label: "Poll the mailbox through the connection"}}},
			{Key: "pollInterval", Label: "Poll every", Type: engine.T("string"), Description: "polling interval (\"60s\")"},
		},
		Outputs: []engine.FieldSpec{o("Message ID", "string"), o("Thread ID", "string"), o("From", "string"), o("From Address", "string"), o("To", "string"),
			o("CC", "string"), o("Subject", "string"), o("Date", "date"), o("Snippet", "string"), o("Body", "string"),
			o("Body HTML", "string"), o("Labels", "string[]"), o("Attachment Names", "string[]"), o("Mailbox", "string")},
	}
}

func init() {
	trigger.RegisterEvents(&trigger.EventProvider{
		Name:            "gmail",
		Handles:         func(t string) bool { return t == NewMessageCard },
		EventType:       func(string) string { return "gmail.message.added" },
		DefaultDelivery: trigger.DeliveryPoll,
		Parse: func(*engine.Flow, http.Header, []byte) ([]trigger.Event, error) {
			return nil, errors.New("Gmail's New Message Received is polled; it takes no hook deliveries")
		},
		Poll: pollMessages,
	})
}

type gmailCursor struct {
	History string `json:"historyId"`
	Mailbox string `json:"mailbox"`
}

func triggerInput(f *engine.Flow, key string) string {
	for _, fl := range f.Trigger.Inputs {
		if fl.Key == key {
			return strings.TrimSpace(engine.ToText(fl.Value))
		}
	}
	return ""
}

var pollClients httpx.ClientCache[*Client]

// pollMessages reads the mailbox's history after the stored history id.
func pollMessages(ctx context.Context, env trigger.PollEnv, f *engine.Flow, cursor string) (trigger.PollResult, error) {
	if env.Connections == nil || f.Trigger.Connection == "" {
		return trigger.PollResult{}, errors.New("no Google Workspace connection chosen on the New Message Received card")
	}
	conn, err := env.Connections.Connection(ctx, f.Trigger.Connection)
	if err != nil {
		return trigger.PollResult{}, err
	}
	rt, _ := env.Services["http"].(http.RoundTripper)
	gov, _ := env.Services["governor"].(*httpx.Governor)
	c, err := pollClients.Get(conn, rt, func() (*Client, error) { return NewClient(conn, ClientOptions{Transport: rt, Governor: gov}) })
	if err != nil {
		return trigger.PollResult{}, fmt.Errorf("connection %q: %w", conn.ID, err)
	}
	mailbox := triggerInput(f, "Mailbox")
	if mailbox == "" && c.oauth == nil {
		mailbox = cfg(conn, CfgAdminEmail)
	}
	uid := "me"
	if mailbox != "" {
		uid = mailbox
	}
	label := "INBOX"
	for _, fl := range f.Trigger.Inputs {
		if fl.Key == "Label" && fl.Value != nil {
			label = strings.TrimSpace(engine.ToText(fl.Value))
		}
	}
	var cur gmailCursor
	if cursor != "" {
		_ = json.Unmarshal([]byte(cursor), &cur)
	}
	if cur.Mailbox != mailbox {
		cur = gmailCursor{Mailbox: mailbox} // another mailbox: start afresh
	}
	save := func(ev []trigger.Event, more bool) (trigger.PollResult, error) {
		b, _ := json.Marshal(cur)
		return trigger.PollResult{Events: ev, Cursor: string(b), More: more}, nil
	}
	if cur.History == "" {
		// where the mailbox is now; the messages that came since the flow
		// was turned on (env.Since) are caught up with a search
		p, _, err := c.JSON(ctx, &Call{Service: Gmail, As: mailbox, Method: http.MethodGet, Path: gmailPath + seg(uid) + "/profile"})
		if err != nil {
			return trigger.PollResult{}, err
		}
		cur.History = engine.ToText(p["historyId"])
		var events []trigger.Event
		if !env.Since.IsZero() {
			q := url.Values{"q": {fmt.Sprintf("after:%d", env.Since.Unix())}, "maxResults": {"100"}}
			if label != "" {
				q.Set("labelIds", label)
			}
			list, err := c.List(ctx, &Call{Service: Gmail, As: mailbox, Method: http.MethodGet, Path: gmailPath + seg(uid) + "/messages", Query: q}, "messages", 500)
			if err != nil {
				return trigger.PollResult{}, err
			}
			for i := len(list) - 1; i >= 0; i-- { // oldest first
				m, _ := list[i].(map[string]any)
				ev, ok, err := messageEvent(ctx, c, mailbox, uid, engine.ToText(m["id"]))
				if err != nil {
					return trigger.PollResult{}, err
				}
				if ok && !ev.Time.Before(env.Since.Truncate(time.Second)) {
					events = append(events, ev)
				}
			}
		}
		return save(events, false)
	}
	q := url.Values{"startHistoryId": {cur.History}, "historyTypes": {"messageAdded"}, "maxResults": {"100"}}
	if label != "" {
		q.Set("labelId", label)
	}
	h, _, err := c.JSON(ctx, &Call{Service: Gmail, As: mailbox, Method: http.MethodGet, Path: gmailPath + seg(uid) + "/history", Query: q})
	var he *engine.HTTPError
	if errors.As(err, &he) && he.Status == http.StatusNotFound {
		// the history id is too old (Gmail keeps about a week): start again from now
		cur.History = ""
		return save(nil, true)
	}
	if err != nil {
		return trigger.PollResult{}, err
	}
	var events []trigger.Event
	seen := map[string]bool{}
	hist, _ := h["history"].([]any)
	for _, rec := range hist {
		rm, _ := rec.(map[string]any)
		added, _ := rm["messagesAdded"].([]any)
		for _, a := range added {
			am, _ := a.(map[string]any)
			msg, _ := am["message"].(map[string]any)
			id := engine.ToText(msg["id"])
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			ev, ok, err := messageEvent(ctx, c, mailbox, uid, id)
			if err != nil {
				return trigger.PollResult{}, err
			}
			if ok {
				events = append(events, ev)
			}
		}
	}
	more := engine.ToText(h["nextPageToken"]) != ""
	if !more {
		cur.History = engine.ToText(h["historyId"])
	} else if len(hist) > 0 {
		last, _ := hist[len(hist)-1].(map[string]any)
		cur.History = engine.ToText(last["id"])
	}
	return save(events, more)
}

// messageEvent reads one message as an event; ok is false when it was
// deleted since.
func messageEvent(ctx context.Context, c *Client, mailbox, uid, id string) (trigger.Event, bool, error) {
	m, _, err := c.JSON(ctx, &Call{Service: Gmail, As: mailbox, Method: http.MethodGet, Path: gmailPath + seg(uid) + "/messages/" + seg(id),
		Query: url.Values{"format": {"full"}}})
	var he *engine.HTTPError
	if errors.As(err, &he) && he.Status == http.StatusNotFound {
		return trigger.Event{}, false, nil
	}
	if err != nil {
		return trigger.Event{}, false, err
	}
	in := MessageOutputs(m)
	in["Mailbox"] = mailbox
	t, _ := engine.ParseDate(in["Date"])
	return trigger.Event{ID: "gmail:" + mailbox + ":" + id, Type: "gmail.message.added", Time: t, Input: in}, true, nil
}

// MessageOutputs maps a Gmail message (format full) to the event's outputs.
func MessageOutputs(m map[string]any) map[string]any {
	p, _ := m["payload"].(map[string]any)
	hdr := map[string]string{}
	if hs, ok := p["headers"].([]any); ok {
		for _, h := range hs {
			hm, _ := h.(map[string]any)
			k := strings.ToLower(engine.ToText(hm["name"]))
			if _, dup := hdr[k]; !dup {
				hdr[k] = engine.ToText(hm["value"])
			}
		}
	}
	var text, html string
	var files []any
	var walk func(part map[string]any)
	walk = func(part map[string]any) {
		if fn := engine.ToText(part["filename"]); fn != "" {
			files = append(files, fn)
			return
		}
		if subs, ok := part["parts"].([]any); ok {
			for _, s := range subs {
				if sm, ok := s.(map[string]any); ok {
					walk(sm)
				}
			}
			return
		}
		body, _ := part["body"].(map[string]any)
		data, err := base64.URLEncoding.DecodeString(engine.ToText(body["data"]))
		if err != nil {
			data, _ = base64.RawURLEncoding.DecodeString(engine.ToText(body["data"]))
		}
		switch mt := engine.ToText(part["mimeType"]); {
		case mt == "text/html" && html == "":
			html = string(data)
		case strings.HasPrefix(mt, "text/") && text == "":
			text = string(data)
		}
	}
	if p != nil {
		walk(p)
	}
	var date any
	if ms, err := strconv.ParseInt(engine.ToText(m["internalDate"]), 10, 64); err == nil {
		date = time.UnixMilli(ms).UTC().Format(engine.DateLayout)
	} else if t, err := mail.ParseDate(hdr["date"]); err == nil {
		date = t.UTC().Format(engine.DateLayout)
	}
	labels := []any{}
	if ls, ok := m["labelIds"].([]any); ok {
		labels = ls
	}
	if files == nil {
		files = []any{}
	}
	dec := new(mime.WordDecoder)
	subject := hdr["subject"]
	if s, err := dec.DecodeHeader(subject); err == nil {
		subject = s
	}
	fromAddr := hdr["from"]
	if a, err := mail.ParseAddress(hdr["from"]); err == nil {
		fromAddr = a.Address
	}
	return map[string]any{"Message ID": m["id"], "Thread ID": m["threadId"], "From": hdr["from"], "From Address": fromAddr, "To": hdr["to"], "CC": hdr["cc"],
		"Subject": subject, "Date": date, "Snippet": m["snippet"], "Body": text, "Body HTML": html, "Labels": labels, "Attachment Names": files}
}
