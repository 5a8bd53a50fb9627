package slack

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Channel and app-builder cards. The channel cards' kinds and keys follow
// Okta's Slack connector reference (they appear in no corpus template).

func channelCards() []*kit.Card {
	chOut := []engine.FieldSpec{out("Channel", "Channel ID", "string"), out("Channel", "Channel Name", "string")}
	return []*kit.Card{
		{Okta: NS + ":createChannel", Title: "Create Channel", Doc: "createchannel.htm",
			Description: "Creates a public or private channel; the app becomes its first member.",
			Inputs: []engine.FieldSpec{param("private", "Private Channel?", "No", "Yes", "No"),
				in("Channel", "Channel Name", "string", true, "Channel Name")},
			Outputs: append(chOut, engine.FieldSpec{Key: "Created", Group: "Channel", Label: "Created", Type: engine.T("date")}),
			Run:     createChannel},
		{Okta: NS + ":inviteUserToChannel", Title: "Invite User to Channel", Doc: "inviteusertochannel.htm",
			Description: "Adds a user to a channel by channel ID (or #name) and user ID.",
			Inputs: []engine.FieldSpec{in("Channel", "Channel ID", "string", true, "Channel ID or Name"),
				in("User", "User ID", "string", true, "User ID")},
			Outputs: chOut, Run: membership("/api/conversations.invite", "users")},
		{Okta: NS + ":removeUserFromChannel", Title: "Remove User from Channel", Doc: "removeuserfromchannel.htm",
			Description: "Removes a user from a channel by channel ID (or #name) and user ID.",
			Inputs: []engine.FieldSpec{in("Channel", "Channel ID", "string", true, "Channel ID or Name"),
				in("User", "User ID", "string", true, "User ID")},
			Outputs: chOut, Run: membership("/api/conversations.kick", "user")},
		{Okta: NS + ":archiveChannel", Title: "Archive Channel", Doc: "archivechannel.htm",
			Description: "Archives a channel by ID (or #name).",
			Inputs:      []engine.FieldSpec{in("Channel", "Channel ID", "string", true, "Channel ID or Name")},
			Outputs:     chOut, Run: archive},
	}
}

func createChannel(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	name, err := in.Required("Channel Name")
	if err != nil {
		return nil, err
	}
	name = strings.ToLower(strings.TrimPrefix(name, "#"))
	f := url.Values{"name": {name}}
	if in.Bool("private", false) {
		f.Set("is_private", "true")
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/api/conversations.create", Form: f})
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"Channel ID": kit.Dig(r.Body, "channel.id"), "Channel Name": kit.Dig(r.Body, "channel.name")}
	if n, err := engine.ToNumber(kit.Dig(r.Body, "channel.created")); err == nil {
		out["Created"] = unixDate(n)
	}
	return out, nil
}

func membership(path, userParam string) func(context.Context, *kit.In) (engine.Outputs, error) {
	return func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
		id, err := resolveChannel(ctx, in, "Channel ID", in.Text("Channel ID"), "")
		if err != nil {
			return nil, err
		}
		user, err := in.Required("User ID")
		if err != nil {
			return nil, err
		}
		if _, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: path, Form: url.Values{"channel": {id}, userParam: {user}}}); err != nil {
			return nil, err
		}
		return channelInfo(ctx, in, id)
	}
}

func archive(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	id, err := resolveChannel(ctx, in, "Channel ID", in.Text("Channel ID"), "")
	if err != nil {
		return nil, err
	}
	out, err := channelInfo(ctx, in, id)
	if err != nil {
		return nil, err
	}
	if _, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/api/conversations.archive", Form: url.Values{"channel": {id}}}); err != nil {
		return nil, err
	}
	return out, nil
}

func channelInfo(ctx context.Context, in *kit.In, id string) (engine.Outputs, error) {
	r, err := in.Do(ctx, &kit.Call{Path: "/api/conversations.info", Query: url.Values{"channel": {id}}})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Channel ID": kit.Dig(r.Body, "channel.id"), "Channel Name": kit.Dig(r.Body, "channel.name")}, nil
}

// builderCards are the cards of the Slack app template's Connector
// Builder connector (namespace NSPublic): raw Web API calls whose outputs
// are the response as text, as the builder's flows return it.
func builderCards() []*kit.Card {
	pfx := NSPublic + ":"
	return []*kit.Card{
		{Okta: pfx + "postAMessage_569YEilsgA7", ID: "slack.app.postAMessage", Title: "Post a Message",
			Description: "Posts a message, or an ephemeral message only the given user sees (chat.postMessage / chat.postEphemeral); returns the status code and Slack's answer.",
			Inputs: []engine.FieldSpec{param("message_type_P5IU1N", "Message Type", "send_message", "send_message", "send_ephemeral"),
				in("Inputs", "channel_id_4GX2UR", "string", true, "Channel ID"), in("Inputs", "user_id_B3PJWG", "string", false, "User ID"),
				in("Inputs", "text_YYOYR4", "string", false, "Text"), in("Inputs", "blocks_BLM9JN", "string", false, "Blocks")},
			Outputs: []engine.FieldSpec{{Key: "status_code_TJ2JT0", Group: "Outputs", Label: "Status Code", Type: engine.T("number")},
				{Key: "response_body_IPOP7S", Group: "Outputs", Label: "Response Body", Type: engine.T("string")}},
			Run: builderPost},
		{Okta: pfx + "openAView_peRW2JQnc", ID: "slack.app.openAView", Title: "Open a View",
			Description: "Opens a modal view for a trigger_id from a shortcut or slash command (views.open).",
			Inputs: []engine.FieldSpec{in("Inputs", "view_SSCWQO", "string", false, "View"),
				in("Inputs", "trigger_id_ZJOA5N", "string", false, "trigger_id")},
			Outputs: []engine.FieldSpec{{Key: "response_HIOU6N", Group: "Outputs", Label: "Response", Type: engine.T("string")},
				{Key: "request_headers_4O2V3I", Group: "Outputs", Label: "Request Headers", Type: engine.T("string")},
				{Key: "request_body_VSWZDQ", Group: "Outputs", Label: "Request Body", Type: engine.T("string")}},
			Run: builderOpenView},
		{Okta: pfx + "updateAView_zBwCQKCSS2", ID: "slack.app.updateAView", Title: "Update a View",
			Description: "Updates an open view (views.update) with a request object {view_id or external_id, view, hash}.",
			Inputs:      []engine.FieldSpec{in("Inputs", "request_object_CO55JZ", "object", false, "Request_Object")},
			Outputs:     []engine.FieldSpec{{Key: "outputs_HC6VC6", Group: "Output", Label: "Response", Type: engine.T("string")}},
			Run:         builderUpdateView},
	}
}

func rawText(r *kit.Result) string { return string(r.Raw) }

func builderPost(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	ch, err := in.Required("channel_id_4GX2UR")
	if err != nil {
		return nil, err
	}
	f := url.Values{"channel": {ch}}
	if t := in.Text("text_YYOYR4"); t != "" {
		f.Set("text", t)
	}
	if b := in.Text("blocks_BLM9JN"); b != "" {
		f.Set("blocks", b)
	}
	path := "/api/chat.postMessage"
	if in.Text("message_type_P5IU1N") == "send_ephemeral" {
		user, err := in.Required("user_id_B3PJWG")
		if err != nil {
			return nil, kit.Errorf("user_id_B3PJWG", "is required for an ephemeral message")
		}
		f.Set("user", user)
		path = "/api/chat.postEphemeral"
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: path, Form: f, Raw: true})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"status_code_TJ2JT0": float64(r.Status), "response_body_IPOP7S": in.Client.Scrub(rawText(r))}, nil
}

func builderOpenView(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	f := url.Values{"view": {in.Text("view_SSCWQO")}, "trigger_id": {in.Text("trigger_id_ZJOA5N")}}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/api/views.open", Form: f, Raw: true})
	if err != nil {
		return nil, err
	}
	hdr := `{"Authorization":"REDACTED","Content-Type":"application/x-www-form-urlencoded"}`
	return engine.Outputs{"response_HIOU6N": in.Client.Scrub(rawText(r)), "request_headers_4O2V3I": hdr,
		"request_body_VSWZDQ": f.Encode()}, nil
}

func builderUpdateView(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	obj, _ := in.Values["request_object_CO55JZ"].(map[string]any)
	f := form(obj)
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/api/views.update", Form: f, Raw: true})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"outputs_HC6VC6": in.Client.Scrub(rawText(r))}, nil
}
