package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

type ctxT = context.Context

var (
	in    = kit.Input
	out   = kit.Output
	param = kit.Param
)

func cards() []*kit.Card {
	return []*kit.Card{
		{Okta: NS + ":sendMessageToChannel2", Title: "Send Message to Channel", Doc: "sendmessagetochannel.htm",
			Description: "Posts a message (plain text or Block Kit blocks) to a channel, optionally in a thread and under a custom bot name and icon.",
			Inputs: []engine.FieldSpec{
				param("channel", "Channel", nil), param("useId", "Use Channel ID Instead?", "No", "Yes", "No"),
				param("bot", "Send as bot?", "Yes", "Yes", "No"), param("links", "Unfurl URLs?", "Yes", "Yes", "No"),
				param("messageType", "Message Type", "Plain Text", "Plain Text", "Blocks"),
				in("Channel", "channelId", "string", false, "Channel ID or Name"),
				{Key: "channelType", Group: "Channel", Label: "Channel Type", Type: engine.T("string"), Default: "Public",
					Choices: []engine.Choice{{Value: "Public", Label: "Public"}, {Value: "Private", Label: "Private"}}},
				in("Message", "Text", "string", false, "Text"), in("Message", "Blocks", "object[]", false, "Blocks"),
				in("Message", "Notification Message", "string", false, "Notification Message"),
				in("Message", "Thread Timestamp", "string", false, "Thread Timestamp"),
				in("Slackbot", "Name", "string", false, "Name"), in("Slackbot", "Icon Emoji", "string", false, "Icon Emoji"),
			},
			Outputs: []engine.FieldSpec{out("Message", "Timestamp", "string")},
			Run:     sendToChannel},
		{Okta: NS + ":sendDirectMessage2", Title: "Send Direct Message", Doc: "senddirectmessage.htm",
			Description: "Sends a direct message from the app to a user, by user ID or username.",
			Inputs: []engine.FieldSpec{
				param("fieldType", "Field Type", "User ID", "User ID", "Username"), param("links", "Unfurl URLs?", "Yes", "Yes", "No"),
				param("messageType", "Message Type", "Plain Text", "Plain Text", "Blocks"),
				in("User", "User ID", "string", false, "User ID"), in("User", "Username", "string", false, "Username"),
				in("Message", "Text", "string", false, "Text"), in("Message", "Blocks", "object[]", false, "Blocks"),
				in("Message", "Notification Message", "string", false, "Notification Message"),
				in("Message", "Thread Timestamp", "string", false, "Thread Timestamp"),
			},
			Outputs: []engine.FieldSpec{out("Message", "Timestamp", "string")},
			Run:     sendDM},
		{Okta: NS + ":readUser2", Title: "Read User", Doc: "readuser.htm",
			Description: "Reads a Slack user by user ID, username or email.",
			Inputs: []engine.FieldSpec{
				param("fieldType", "Field Type", "Email", "User ID", "Username", "Email"),
				in("User", "User ID", "string", false, "User ID"), in("User", "Username", "string", false, "Username"),
				in("User", "Email", "string", false, "Email"),
			},
			Outputs: []engine.FieldSpec{out("User", "Full Name", "string"), out("User", "Email", "string"),
				out("User", "User ID", "string"), out("User", "Username", "string")},
			Run: readUser},
	}
}

// message builds chat.postMessage's text/blocks from a card's Message group.
func message(in *kit.In, body map[string]any) error {
	if strings.EqualFold(in.Text("messageType"), "Blocks") {
		b, ok := in.Values["Blocks"].([]any)
		if !ok || len(b) == 0 {
			if s := in.Text("Blocks"); s != "" {
				var v []any
				if json.Unmarshal([]byte(s), &v) != nil {
					return kit.Errorf("Blocks", "is not a JSON list of Block Kit blocks")
				}
				b = v
			}
		}
		if len(b) == 0 {
			return kit.Errorf("Blocks", "is required when Message Type is Blocks")
		}
		body["blocks"] = b
		if t := in.Text("Notification Message"); t != "" {
			body["text"] = t
		} else if t := in.Text("Text"); t != "" {
			body["text"] = t
		}
	} else {
		t := in.Text("Text")
		if t == "" {
			return kit.Errorf("Text", "is required: the message to send")
		}
		body["text"] = t
	}
	if ts := in.Text("Thread Timestamp"); ts != "" {
		body["thread_ts"] = ts
	}
	body["unfurl_links"] = in.Bool("links", true)
	body["unfurl_media"] = in.Bool("links", true)
	return nil
}

// form encodes Web API arguments as Slack's form posts take them: text as
// is, booleans as true/false, lists and objects (blocks) as JSON text.
func form(args map[string]any) url.Values {
	f := url.Values{}
	for k, v := range args {
		switch x := v.(type) {
		case nil:
		case string:
			f.Set(k, x)
		case bool:
			f.Set(k, strconv.FormatBool(x))
		case []any, map[string]any:
			b, _ := json.Marshal(x)
			f.Set(k, string(b))
		default:
			f.Set(k, engine.ToText(x))
		}
	}
	return f
}

func post(ctx context.Context, in *kit.In, body map[string]any) (engine.Outputs, error) {
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/api/chat.postMessage", Form: form(body)})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Timestamp": kit.Dig(r.Body, "ts")}, nil
}

func sendToChannel(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	// the channel: the Channel group (1.6.244+), else the chosen channel
	key, ch := "channelId", in.Text("channelId")
	if ch == "" {
		key, ch = "channel", in.Text("channel")
	}
	types := ""
	switch strings.ToLower(in.Text("channelType")) {
	case "public":
		types = "public_channel"
	case "private":
		types = "private_channel"
	}
	id, err := resolveChannel(ctx, in, key, ch, types)
	if err != nil {
		return nil, err
	}
	body := map[string]any{"channel": id}
	if err := message(in, body); err != nil {
		return nil, err
	}
	if in.Bool("bot", true) {
		if n := in.Text("Name"); n != "" {
			body["username"] = n
		}
		if e := in.Text("Icon Emoji"); e != "" {
			body["icon_emoji"] = ":" + strings.Trim(e, ":") + ":"
		}
	}
	return post(ctx, in, body)
}

func sendDM(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	uid, err := userID(ctx, in)
	if err != nil {
		return nil, err
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/api/conversations.open", Form: url.Values{"users": {uid}}})
	if err != nil {
		return nil, err
	}
	ch, _ := kit.Dig(r.Body, "channel.id").(string)
	body := map[string]any{"channel": ch}
	if err := message(in, body); err != nil {
		return nil, err
	}
	return post(ctx, in, body)
}

// userID resolves the User group by the fieldType parameter.
func userID(ctx context.Context, in *kit.In) (string, error) {
	switch ft := in.Text("fieldType"); ft {
	case "Username":
		name, err := in.Required("Username")
		if err != nil {
			return "", err
		}
		u, err := findUser(ctx, in, "Username", func(m map[string]any) bool { return m["name"] == strings.TrimPrefix(name, "@") })
		if err != nil {
			return "", err
		}
		id, _ := u["id"].(string)
		return id, nil
	case "Email":
		u, err := lookupEmail(ctx, in)
		if err != nil {
			return "", err
		}
		id, _ := u["id"].(string)
		return id, nil
	default:
		return in.Required("User ID")
	}
}

func lookupEmail(ctx context.Context, in *kit.In) (map[string]any, error) {
	e, err := in.Required("Email")
	if err != nil {
		return nil, err
	}
	r, err := in.Do(ctx, &kit.Call{Path: "/api/users.lookupByEmail", Query: map[string][]string{"email": {e}}})
	if err != nil {
		return nil, err
	}
	u, _ := kit.Dig(r.Body, "user").(map[string]any)
	return u, nil
}

// findUser walks users.list for the first match.
func findUser(ctx context.Context, in *kit.In, key string, match func(map[string]any) bool) (map[string]any, error) {
	var found map[string]any
	err := in.Client.Pages(ctx, &kit.Call{Path: "/api/users.list", Query: map[string][]string{"limit": {"200"}}, OnAttempt: in.Run.Attempt},
		nil, 100, []string{"members"}, func(items []any) bool {
			for _, it := range items {
				if m, ok := it.(map[string]any); ok && match(m) {
					found = m
					return false
				}
			}
			return true
		})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, &engine.HTTPError{Status: 200, Code: "user_not_found", Summary: "user_not_found: no Slack user with that " + strings.ToLower(key)}
	}
	return found, nil
}

func readUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	var u map[string]any
	var err error
	switch in.Text("fieldType") {
	case "User ID":
		id, e := in.Required("User ID")
		if e != nil {
			return nil, e
		}
		r, e := in.Do(ctx, &kit.Call{Path: "/api/users.info", Query: map[string][]string{"user": {id}}})
		if e != nil {
			return nil, e
		}
		u, _ = kit.Dig(r.Body, "user").(map[string]any)
	case "Username":
		name, e := in.Required("Username")
		if e != nil {
			return nil, e
		}
		u, err = findUser(ctx, in, "Username", func(m map[string]any) bool { return m["name"] == strings.TrimPrefix(name, "@") })
	default:
		u, err = lookupEmail(ctx, in)
	}
	if err != nil {
		return nil, err
	}
	return userOutputs(u), nil
}

func userOutputs(u map[string]any) engine.Outputs {
	return engine.Outputs{"Full Name": kit.Dig(u, "profile.real_name"), "Email": kit.Dig(u, "profile.email"),
		"User ID": u["id"], "Username": u["name"]}
}

func unixDate(n float64) string {
	return time.Unix(int64(n), 0).UTC().Format(engine.DateLayout)
}
