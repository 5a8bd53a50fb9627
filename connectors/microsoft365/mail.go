package microsoft365

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Message types of Send Email (Okta's choices).
const (
	msgText = "Text"
	msgHTML = "HTML"
)

// mailbox is the path of the mailbox that sends: the signed-in user for an
// authorization-code connection (/me), else the connection's mailbox.
func mailbox(in *kit.In) (string, error) {
	conn := in.Client.Connection()
	if m, _ := in.Client.Connector().Method(conn); m != nil && m.ID == kit.AuthOAuth2Code {
		return "/me", nil
	}
	box := strings.TrimSpace(engine.ToText(conn.Config[CfgMailbox]))
	if box == "" {
		return "", fmt.Errorf("connection %q sends with application permissions: set its \"Send as (mailbox)\" to the user principal name of the mailbox that sends", conn.Name)
	}
	return "/users/" + url.PathEscape(box), nil
}

func recipients(in *kit.In, key string) ([]any, error) {
	out := []any{}
	for _, a := range textList(in.Values[key]) {
		addr := a.(string)
		if !strings.Contains(addr, "@") {
			return nil, kit.Errorf(key, "%q is not an email address", addr)
		}
		out = append(out, map[string]any{"emailAddress": map[string]any{"address": addr}})
	}
	return out, nil
}

// sendEmail creates the message in the mailbox's Drafts and sends it
// (POST …/messages, then …/messages/{id}/send), so the card can give the
// message's ID (sendMail answers 202 with no body).
func sendEmail(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	box, err := mailbox(in)
	if err != nil {
		return nil, err
	}
	msg := map[string]any{"subject": in.Text("Subject")}
	n := 0
	for key, field := range map[string]string{"To": "toRecipients", "CC": "ccRecipients", "BCC": "bccRecipients"} {
		r, err := recipients(in, key)
		if err != nil {
			return nil, err
		}
		n += len(r)
		msg[field] = r
	}
	if n == 0 {
		return nil, kit.Errorf("To", "give at least one recipient (To, CC or BCC)")
	}
	ct := msgText
	switch t := strings.TrimSpace(in.Text("Message Type")); strings.ToLower(t) {
	case "", "text", "plain", "plain text":
	case "html":
		ct = msgHTML
	default:
		return nil, kit.Errorf("Message Type", "%q is not a message type (Text or HTML)", t)
	}
	msg["body"] = map[string]any{"contentType": ct, "content": engine.ToText(in.Values["Body"])}
	var atts []any
	for i, a := range textList(in.Values["Attachments"]) {
		atts = append(atts, map[string]any{"@odata.type": "#microsoft.graph.fileAttachment", "name": fmt.Sprintf("attachment-%d.txt", i+1),
			"contentType": "text/plain", "contentBytes": base64.StdEncoding.EncodeToString([]byte(a.(string)))})
	}
	if len(atts) > 0 {
		msg["attachments"] = atts
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: box + "/messages", JSON: msg})
	if err != nil {
		return nil, err
	}
	id, _ := r.Object()["id"].(string)
	if id == "" {
		return nil, fmt.Errorf("Graph created the message without an id")
	}
	if _, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: box + "/messages/" + url.PathEscape(id) + "/send"}); err != nil {
		return nil, err
	}
	return engine.Outputs{"Message ID": id}, nil
}

func mailCards() []*kit.Card {
	in := kit.Input
	mt := in("Fields", "Message Type", "string", false, "Message Type")
	mt.Choices = []engine.Choice{{Value: msgText, Label: msgText}, {Value: msgHTML, Label: msgHTML}}
	return []*kit.Card{
		{Okta: "office365mail:sendEmail2", Title: "Send Email", Doc: "office365mail/actioncards/sendemail.htm",
			Description: "Sends an email from the connection's mailbox to To, CC and BCC recipients, as text or HTML, with optional attachments.",
			Inputs: []engine.FieldSpec{in("Fields", "To", "string[]", false, "To"), in("Fields", "CC", "string[]", false, "CC"),
				in("Fields", "BCC", "string[]", false, "BCC"), in("Fields", "Subject", "string", false, "Subject"),
				in("Fields", "Body", "string", false, "Body"), mt, in("Fields", "Attachments", "file[]", false, "Attachments")},
			Outputs: []engine.FieldSpec{kit.Output("Email", "Message ID", "string")},
			Run:     sendEmail},
	}
}
