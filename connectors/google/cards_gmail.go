package google

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"path"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
)

const gmailPath = "gmail/v1/users/"

func gmailSpecs() []*engine.Spec {
	g := func(id, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		return card(catGmail, "gmail."+id, "gmail:"+id, title, desc, ins, outs, run)
	}
	saParams := []engine.FieldSpec{
		{Key: "gcpProjects", Label: "GCP Project", Group: "parameters", Type: engine.T("string"),
			Description: "Okta's choice of Google Cloud project; Flowbench uses the connection's service account and keeps the value only for fidelity"},
		{Key: "serviceAccounts", Label: "Service Account", Group: "parameters", Type: engine.T("string"),
			Description: "Okta's choice of service account; Flowbench uses the connection's service account"},
	}
	emailIns := []engine.FieldSpec{
		{Key: "To", Label: "To", Group: "Email", Type: engine.T("string[]"), Required: true},
		in("Email", "From", "string", false),
		{Key: "CC", Label: "CC", Group: "Email", Type: engine.T("string[]")},
		{Key: "BCC", Label: "BCC", Group: "Email", Type: engine.T("string[]")},
		in("Email", "Subject", "string", false), in("Email", "Body", "string", false),
	}
	html := param("bodyIsHtml", "Body is HTML?", "No", "Yes", "No")
	msgOut := []engine.FieldSpec{out("Email", "Message ID", "string")}
	return []*engine.Spec{
		g("sendEmail2", "Send Email", "Sends an email from the connection's mailbox (users.messages.send). From sets the sender header (a send-as address of the mailbox); To, CC and BCC take lists of addresses.",
			append(append([]engine.FieldSpec{}, emailIns...), html), msgOut, runner(sendEmail(false))),
		g("sendEmailWithAttachment", "Send Email with Attachment", "Sends an email with one attached file (a multipart/mixed message through users.messages.send). File Content is the file's text, or a data: URL for binary content (as Download File gives).",
			append(append(append([]engine.FieldSpec{}, emailIns...), in("File", "File Name", "string", true),
				in("File", "File Content", "file", true)), html), msgOut, runner(sendEmail(true))),
		g("addDelegate", "Add Delegate", "Lets another user of the domain read, send and delete mail of the delegator's mailbox (users.settings.delegates.create, acting as the delegator through domain-wide delegation).",
			append([]engine.FieldSpec{inQ("Delegator", "Email", "string", true), inQ("Delegate", "Email", "string", true)}, saParams...),
			[]engine.FieldSpec{out("Result", "Delegate Email", "string"), out("Result", "Verification Status", "string")}, runner(addDelegate)),
		g("deleteDelegate", "Delete Delegate", "Removes a delegate from a mailbox (users.settings.delegates.delete, acting as the delegator).",
			append([]engine.FieldSpec{inQ("Delegator", "email", "string", true), inQ("Delegate", "email", "string", true)}, saParams...),
			statusOut("Result"), runner(deleteDelegate)),
		g("forwardEmails", "Forward Emails", "Forwards every new message of a mailbox to another address: adds the forwarding address (users.settings.forwardingAddresses.create) and turns on automatic forwarding, keeping the messages in the inbox (users.settings.updateAutoForwarding). An address outside the domain must first confirm, as in Gmail.",
			append([]engine.FieldSpec{inQ("Forward From", "Email", "string", true), inQ("Forward To", "Email", "string", true)}, saParams...),
			[]engine.FieldSpec{out("Result", "Forwarding Email", "string"), out("Result", "Enabled", "boolean"), out("Result", "Disposition", "string")},
			runner(forwardEmails)),
		g("setAutoReply", "Set Target User Auto Reply", "Turns on a user's vacation responder (users.settings.updateVacation, acting as the user). Start and End Time bound it; Restrict to Domain/Contacts limit who gets the reply.",
			append([]engine.FieldSpec{in("Auto Reply", "Email", "string", true), in("Auto Reply", "Restrict to Domain", "boolean", false),
				in("Auto Reply", "Restrict to Contacts", "boolean", false), in("Auto Reply", "Start Time", "date", false),
				in("Auto Reply", "End Time", "date", false), in("Auto Reply", "Response Subject", "string", true),
				in("Auto Reply", "Response Body Plain Text", "string", false), in("Auto Reply", "Response Body HTML", "string", false)}, saParams...),
			[]engine.FieldSpec{out("Result", "Enable Auto Reply", "boolean"), out("Result", "Email", "string"), out("Result", "Restrict to Domain", "boolean"),
				out("Result", "Restrict to Contacts", "boolean"), out("Result", "Start Time", "date"), out("Result", "End Time", "date"),
				out("Result", "Response Subject", "string"), out("Result", "Response Body Plain Text", "string"), out("Result", "Response Body HTML", "string")},
			runner(setAutoReply)),
		customSpec(catGmail, "gmail", Gmail, "gmail/v1/", "Gmail"),
	}
}

func addrList(in engine.Inputs, key string) ([]string, error) {
	var out []string
	add := func(s string) error {
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			a, err := mail.ParseAddress(part)
			if err != nil {
				return engine.InputErrorf(key, "%q is not an email address", part)
			}
			out = append(out, a.String())
		}
		return nil
	}
	switch v := in.Values[key].(type) {
	case []any:
		for _, x := range v {
			if err := add(engine.ToText(x)); err != nil {
				return nil, err
			}
		}
	case nil:
	default:
		if err := add(engine.ToText(v)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FileBytes reads a file value: a data: URL (base64 or not) or the text itself.
func FileBytes(v string) (data []byte, mediaType string, err error) {
	rest, ok := strings.CutPrefix(v, "data:")
	if !ok {
		return []byte(v), "", nil
	}
	meta, payload, found := strings.Cut(rest, ",")
	if !found {
		return nil, "", errors.New("a data: URL without a comma")
	}
	mt := strings.TrimSuffix(meta, ";base64")
	if strings.HasSuffix(meta, ";base64") {
		b, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			return nil, "", fmt.Errorf("the data: URL's base64 is invalid: %v", err)
		}
		return b, mt, nil
	}
	return []byte(payload), mt, nil
}

// FileValue is the file value of content: the text when it is UTF-8 text,
// else a base64 data: URL.
func FileValue(b []byte, mediaType string) string {
	if isText(b) {
		return string(b)
	}
	if mediaType == "" {
		mediaType = "application/octet-stream"
	}
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func isText(b []byte) bool {
	if !strings.ContainsRune(string(b), '\uFFFD') && bytes.IndexByte(b, 0) < 0 {
		s := string(b)
		return strings.ToValidUTF8(s, "\uFFFD") == s
	}
	return false
}

func encodeHeader(s string) string { return mime.QEncoding.Encode("utf-8", s) }

func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

// BuildMessage writes an RFC 822 message.
func BuildMessage(from string, to, cc, bcc []string, subject, body string, isHTML bool, fileName string, file []byte, fileType string) []byte {
	var b bytes.Buffer
	h := func(k, v string) {
		if v != "" {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	h("From", from)
	h("To", strings.Join(to, ", "))
	h("Cc", strings.Join(cc, ", "))
	h("Bcc", strings.Join(bcc, ", "))
	h("Subject", encodeHeader(subject))
	h("Date", time.Now().UTC().Format(time.RFC1123Z))
	h("MIME-Version", "1.0")
	ctype := "text/plain; charset=UTF-8"
	if isHTML {
		ctype = "text/html; charset=UTF-8"
	}
	textPart := "Content-Type: " + ctype + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + wrap76(base64.StdEncoding.EncodeToString([]byte(body))) + "\r\n"
	if fileName == "" {
		b.WriteString(textPart)
		return b.Bytes()
	}
	boundary := "flowbench-" + fmt.Sprintf("%x", time.Now().UnixNano())
	b.WriteString("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n")
	b.WriteString("--" + boundary + "\r\n" + textPart)
	if fileType == "" {
		fileType = mime.TypeByExtension(path.Ext(fileName))
	}
	if fileType == "" {
		fileType = "application/octet-stream"
	}
	b.WriteString("--" + boundary + "\r\n")
	b.WriteString("Content-Type: " + mime.FormatMediaType(fileType, map[string]string{"name": fileName}) + "\r\n")
	b.WriteString("Content-Disposition: " + mime.FormatMediaType("attachment", map[string]string{"filename": fileName}) + "\r\n")
	b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n" + wrap76(base64.StdEncoding.EncodeToString(file)) + "\r\n")
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

func sendEmail(attach bool) func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	return func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
		to, err := addrList(in, "To")
		if err != nil {
			return nil, err
		}
		if len(to) == 0 {
			return nil, engine.InputErrorf("To", "at least one recipient is required")
		}
		cc, err := addrList(in, "CC")
		if err != nil {
			return nil, err
		}
		bcc, err := addrList(in, "BCC")
		if err != nil {
			return nil, err
		}
		from := text(in, "From")
		if from != "" {
			if _, err := mail.ParseAddress(from); err != nil {
				return nil, engine.InputErrorf("From", "%q is not an email address", from)
			}
		}
		var fileName, fileType string
		var file []byte
		if attach {
			if fileName, err = required(in, "File Name"); err != nil {
				return nil, err
			}
			if engine.ToText(in.Values["File Content"]) == "" {
				return nil, engine.InputErrorf("File Content", "File Content is required")
			}
			if file, fileType, err = fileInput(ctx, in, "File Content"); err != nil {
				return nil, err
			}
		}
		raw := BuildMessage(from, to, cc, bcc, engine.ToText(in.Values["Subject"]), engine.ToText(in.Values["Body"]),
			strings.EqualFold(text(in, "bodyIsHtml"), "Yes"), fileName, file, fileType)
		cl := call(in, Gmail, http.MethodPost, gmailPath+"me/messages/send")
		cl.JSON = map[string]any{"raw": base64.URLEncoding.EncodeToString(raw)}
		m, _, err := c.JSON(ctx, cl)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Message ID": m["id"]}, nil
	}
}

// as sets the mailbox a Gmail call acts as.
func as(cl *Call, user string) *Call {
	cl.As = user
	return cl
}

func addDelegate(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	owner, err := required(in, "Delegator/Email")
	if err != nil {
		return nil, err
	}
	d, err := required(in, "Delegate/Email")
	if err != nil {
		return nil, err
	}
	cl := as(call(in, Gmail, http.MethodPost, gmailPath+seg(owner)+"/settings/delegates"), owner)
	cl.JSON = map[string]any{"delegateEmail": d}
	m, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Delegate Email": m["delegateEmail"], "Verification Status": m["verificationStatus"]}, nil
}

func deleteDelegate(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	owner, err := required(in, "Delegator/email")
	if err != nil {
		return nil, err
	}
	d, err := required(in, "Delegate/email")
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, as(call(in, Gmail, http.MethodDelete, gmailPath+seg(owner)+"/settings/delegates/"+seg(d)), owner))
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(resp.Status)}, nil
}

func forwardEmails(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	owner, err := required(in, "Forward From/Email")
	if err != nil {
		return nil, err
	}
	to, err := required(in, "Forward To/Email")
	if err != nil {
		return nil, err
	}
	fa := as(call(in, Gmail, http.MethodPost, gmailPath+seg(owner)+"/settings/forwardingAddresses"), owner)
	fa.JSON = map[string]any{"forwardingEmail": to}
	m, _, err := c.JSON(ctx, fa)
	var he *engine.HTTPError
	if errors.As(err, &he) && he.Status == http.StatusConflict {
		err = nil // already a forwarding address of the mailbox
	} else if err == nil && engine.ToText(m["verificationStatus"]) != "accepted" {
		return nil, &engine.HTTPError{Status: http.StatusPreconditionFailed, Code: "pending",
			Summary: fmt.Sprintf("%s must confirm forwarding from %s (Gmail sent them a confirmation email); run again once confirmed", to, owner)}
	}
	if err != nil {
		return nil, err
	}
	af := as(call(in, Gmail, http.MethodPut, gmailPath+seg(owner)+"/settings/autoForwarding"), owner)
	af.JSON = map[string]any{"enabled": true, "emailAddress": to, "disposition": "leaveInInbox"}
	r, _, err := c.JSON(ctx, af)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Forwarding Email": r["emailAddress"], "Enabled": r["enabled"], "Disposition": r["disposition"]}, nil
}

func msOf(in engine.Inputs, key string) (string, error) {
	v := in.Values[key]
	if engine.IsEmpty(v) {
		return "", nil
	}
	t, err := engine.ParseDate(v)
	if err != nil {
		return "", engine.InputErrorf(key, "%v", err)
	}
	return fmt.Sprint(t.UnixMilli()), nil
}

func setAutoReply(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	user, err := required(in, "Email")
	if err != nil {
		return nil, err
	}
	subj, err := required(in, "Response Subject")
	if err != nil {
		return nil, err
	}
	body := map[string]any{"enableAutoReply": true, "responseSubject": subj,
		"restrictToDomain": in.Values["Restrict to Domain"] == true, "restrictToContacts": in.Values["Restrict to Contacts"] == true}
	if v := engine.ToText(in.Values["Response Body Plain Text"]); v != "" {
		body["responseBodyPlainText"] = v
	}
	if v := engine.ToText(in.Values["Response Body HTML"]); v != "" {
		body["responseBodyHtml"] = v
	}
	for key, field := range map[string]string{"Start Time": "startTime", "End Time": "endTime"} {
		ms, err := msOf(in, key)
		if err != nil {
			return nil, err
		}
		if ms != "" {
			body[field] = ms
		}
	}
	cl := as(call(in, Gmail, http.MethodPut, gmailPath+seg(user)+"/settings/vacation"), user)
	cl.JSON = body
	r, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Enable Auto Reply": r["enableAutoReply"], "Email": user, "Restrict to Domain": r["restrictToDomain"],
		"Restrict to Contacts": r["restrictToContacts"], "Start Time": msText(r["startTime"]), "End Time": msText(r["endTime"]),
		"Response Subject": r["responseSubject"], "Response Body Plain Text": r["responseBodyPlainText"],
		"Response Body HTML": r["responseBodyHtml"]}, nil
}
