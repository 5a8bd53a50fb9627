package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Microsoft Teams cards: the membership and message cards of Okta's
// Microsoft Teams connector reference (connector-reference/microsoftteams:
// Add Member, Remove Member, List Members, Add Member to Channel, Remove
// Member from Channel, List Channel Members, Send Message to Channel, Send
// Message in Chat) plus
// List Channel Messages. No template of the corpus uses them, so their
// kinds (microsoftteams:<camelCase title>) and field keys are not checked
// against an export.

var memberType = engine.Obj(map[string]*engine.Type{
	"Membership ID": engine.T("string"), "User ID": engine.T("string"), "Display Name": engine.T("string"),
	"Email": engine.T("string"), "Roles": engine.T("string[]"),
})

var messageType = engine.Obj(map[string]*engine.Type{
	"Message ID": engine.T("string"), "Created": engine.T("string"), "From": engine.T("string"),
	"Subject": engine.T("string"), "Content": engine.T("string"), "Content Type": engine.T("string"), "Web URL": engine.T("string"),
})

func teamPath(in *kit.In) (string, error) {
	id, err := in.Required("Team ID")
	if err != nil {
		return "", err
	}
	return "/teams/" + url.PathEscape(id), nil
}

func memberOut(m map[string]any) map[string]any {
	return map[string]any{"Membership ID": m["id"], "User ID": m["userId"], "Display Name": m["displayName"],
		"Email": m["email"], "Roles": nonNilList(m["roles"])}
}

func messageOut(m map[string]any) map[string]any {
	from := kit.Dig(m, "from.user.displayName")
	if from == nil {
		from = kit.Dig(m, "from.application.displayName")
	}
	return map[string]any{"Message ID": m["id"], "Created": m["createdDateTime"], "From": from, "Subject": m["subject"],
		"Content": kit.Dig(m, "body.content"), "Content Type": kit.Dig(m, "body.contentType"), "Web URL": m["webUrl"]}
}

func addMember(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	tp, err := teamPath(in)
	if err != nil {
		return nil, err
	}
	return addConversationMember(ctx, in, tp, "team")
}

// addConversationMember adds the card's user with its role to the members
// of a team or channel (path), as Graph's aadUserConversationMember.
func addConversationMember(ctx context.Context, in *kit.In, path, what string) (engine.Outputs, error) {
	user, err := in.Required("User ID or Email")
	if err != nil {
		return nil, err
	}
	roles := []any{}
	switch r := strings.ToLower(in.Text("Role")); r {
	case "", "member":
	case "owner":
		roles = []any{"owner"}
	default:
		return nil, kit.Errorf("Role", "%q is not a %s role (Member or Owner)", in.Text("Role"), what)
	}
	base := strings.TrimSuffix(in.Client.BaseURL(), "/")
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: path + "/members", JSON: map[string]any{
		"@odata.type": "#microsoft.graph.aadUserConversationMember", "roles": roles,
		"user@odata.bind": base + "/users('" + strings.ReplaceAll(user, "'", "''") + "')"}})
	if err != nil {
		return nil, err
	}
	return engine.Outputs(memberOut(r.Object())), nil
}

// removeMember finds the user's membership in the team and deletes it.
func removeMember(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	tp, err := teamPath(in)
	if err != nil {
		return nil, err
	}
	user, err := in.Required("User ID or Email")
	if err != nil {
		return nil, err
	}
	found, err := findMember(ctx, in, tp+"/members", user)
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, kit.Errorf("User ID or Email", "%q is not a member of team %s", user, in.Text("Team ID"))
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: tp + "/members/" + url.PathEscape(engine.ToText(found["id"]))})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(r.Status)}, nil
}

func channelPath(in *kit.In) (string, error) {
	tp, err := teamPath(in)
	if err != nil {
		return "", err
	}
	ch, err := in.Required("Channel ID")
	if err != nil {
		return "", err
	}
	return tp + "/channels/" + url.PathEscape(ch), nil
}

func addChannelMember(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	cp, err := channelPath(in)
	if err != nil {
		return nil, err
	}
	return addConversationMember(ctx, in, cp, "channel")
}

// findMember walks a members collection for a user id or email.
func findMember(ctx context.Context, in *kit.In, path, user string) (map[string]any, error) {
	var found map[string]any
	err := in.Client.Pages(ctx, &kit.Call{Path: path, OnAttempt: attemptsOf(in)}, nil, 0, []string{"value"}, func(items []any) bool {
		for _, it := range items {
			m, _ := it.(map[string]any)
			if strings.EqualFold(engine.ToText(m["userId"]), user) || strings.EqualFold(engine.ToText(m["email"]), user) {
				found = m
				return false
			}
		}
		return true
	})
	return found, err
}

func removeChannelMember(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	cp, err := channelPath(in)
	if err != nil {
		return nil, err
	}
	user, err := in.Required("User ID or Email")
	if err != nil {
		return nil, err
	}
	m, err := findMember(ctx, in, cp+"/members", user)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, kit.Errorf("User ID or Email", "%q is not a member of channel %s", user, in.Text("Channel ID"))
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: cp + "/members/" + url.PathEscape(engine.ToText(m["id"]))})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(r.Status)}, nil
}

func listChannelMembers(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	cp, err := channelPath(in)
	if err != nil {
		return nil, err
	}
	list := []any{}
	err = in.Client.Pages(ctx, &kit.Call{Path: cp + "/members", OnAttempt: attemptsOf(in)}, nil, 0, []string{"value"}, func(items []any) bool {
		for _, it := range items {
			m, _ := it.(map[string]any)
			list = append(list, memberOut(m))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Members": list}, nil
}

func listMembers(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	tp, err := teamPath(in)
	if err != nil {
		return nil, err
	}
	list := []any{}
	err = in.Client.Pages(ctx, &kit.Call{Path: tp + "/members", OnAttempt: attemptsOf(in)}, nil, 0, []string{"value"}, func(items []any) bool {
		for _, it := range items {
			m, _ := it.(map[string]any)
			list = append(list, memberOut(m))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Members": list}, nil
}

func sendChannelMessage(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	tp, err := teamPath(in)
	if err != nil {
		return nil, err
	}
	ch, err := in.Required("Channel ID")
	if err != nil {
		return nil, err
	}
	text, err := in.Required("Message")
	if err != nil {
		return nil, err
	}
	ct := "text"
	switch t := strings.ToLower(in.Text("Content Type")); t {
	case "", "text":
	case "html":
		ct = "html"
	default:
		return nil, kit.Errorf("Content Type", "%q is not a content type (Text or HTML)", in.Text("Content Type"))
	}
	body := map[string]any{"body": map[string]any{"contentType": ct, "content": text}}
	if s := in.Text("Subject"); s != "" {
		body["subject"] = s
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: tp + "/channels/" + url.PathEscape(ch) + "/messages", JSON: body})
	if err != nil {
		return nil, err
	}
	return engine.Outputs(messageOut(r.Object())), nil
}

// sendChatMessage sends a message in a chat (a one-on-one or group chat).
// Graph allows it only with delegated permissions (ChatMessage.Send): the
// connection must use the authorization code method.
func sendChatMessage(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	chatID, err := in.Required("Chat ID")
	if err != nil {
		return nil, err
	}
	text, err := in.Required("Message")
	if err != nil {
		return nil, err
	}
	if m, _ := in.Client.Connector().Method(in.Client.Connection()); m != nil && m.ID != kit.AuthOAuth2Code {
		return nil, fmt.Errorf("Microsoft Graph sends chat messages only for a signed-in user: switch connection %q to the authorization code method", in.Client.Connection().Name)
	}
	ct := "text"
	switch t := strings.ToLower(in.Text("Content Type")); t {
	case "", "text":
	case "html":
		ct = "html"
	default:
		return nil, kit.Errorf("Content Type", "%q is not a content type (Text or HTML)", in.Text("Content Type"))
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/chats/" + url.PathEscape(chatID) + "/messages",
		JSON: map[string]any{"body": map[string]any{"contentType": ct, "content": text}}})
	if err != nil {
		return nil, err
	}
	return engine.Outputs(messageOut(r.Object())), nil
}

func listChannelMessages(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	tp, err := teamPath(in)
	if err != nil {
		return nil, err
	}
	ch, err := in.Required("Channel ID")
	if err != nil {
		return nil, err
	}
	limit := 50
	if v, ok := in.Values["Limit"]; ok && v != nil {
		n, err := engine.ToNumber(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, kit.Errorf("Limit", "must be a number from 1 to 1000")
		}
		limit = int(n)
	}
	list := []any{}
	q := url.Values{"$top": {"50"}}
	err = in.Client.Pages(ctx, &kit.Call{Path: tp + "/channels/" + url.PathEscape(ch) + "/messages", Query: q, OnAttempt: attemptsOf(in)}, nil, 0,
		[]string{"value"}, func(items []any) bool {
			for _, it := range items {
				m, _ := it.(map[string]any)
				list = append(list, messageOut(m))
				if len(list) >= limit {
					return false
				}
			}
			return true
		})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Messages": list}, nil
}

func teamsCards() []*kit.Card {
	in := kit.Input
	role := in("Member", "Role", "string", false, "Role")
	role.Choices = []engine.Choice{{Value: "Member", Label: "Member"}, {Value: "Owner", Label: "Owner"}}
	ct := in("Message", "Content Type", "string", false, "Content Type")
	ct.Choices = []engine.Choice{{Value: "Text", Label: "Text"}, {Value: "HTML", Label: "HTML"}}
	memberOuts := []engine.FieldSpec{kit.Output("Member", "Membership ID", "string"), kit.Output("Member", "User ID", "string"),
		kit.Output("Member", "Display Name", "string"), kit.Output("Member", "Email", "string"), kit.Output("Member", "Roles", "string[]")}
	msgOuts := []engine.FieldSpec{kit.Output("Message", "Message ID", "string"), kit.Output("Message", "Created", "string"),
		kit.Output("Message", "From", "string"), kit.Output("Message", "Subject", "string"), kit.Output("Message", "Content", "string"),
		kit.Output("Message", "Content Type", "string"), kit.Output("Message", "Web URL", "string")}
	return []*kit.Card{
		{Okta: "microsoftteams:addMember", Title: "Add Member", Doc: "microsoftteams/microsoftteams-addmember.htm",
			Description: "Adds a user to a team as a member or an owner.",
			Inputs: []engine.FieldSpec{in("Team", "Team ID", "string", true, "Team ID"),
				in("Member", "User ID or Email", "string", true, "User ID or Email"), role},
			Outputs: memberOuts, Run: addMember},
		{Okta: "microsoftteams:removeMember", Title: "Remove Member", Doc: "microsoftteams/microsoftteams-removemember.htm",
			Description: "Removes a user from a team.",
			Inputs: []engine.FieldSpec{in("Team", "Team ID", "string", true, "Team ID"),
				in("Member", "User ID or Email", "string", true, "User ID or Email")},
			Outputs: []engine.FieldSpec{kit.Output("Output", "Status Code", "number")}, Run: removeMember},
		{Okta: "microsoftteams:listMembers", Title: "List Members", Doc: "microsoftteams/microsoftteams-listmembers.htm",
			Description: "Lists a team's members and owners.",
			Inputs:      []engine.FieldSpec{in("Team", "Team ID", "string", true, "Team ID")},
			Outputs:     []engine.FieldSpec{{Key: "Members", Group: "Result", Label: "Members", Type: engine.ListOf(memberType)}},
			Run:         listMembers},
		{Okta: "microsoftteams:addMemberToChannel", Title: "Add Member to Channel", Doc: "microsoftteams/microsoftteams-addmembertochannel.htm",
			Description: "Adds a team member to a private channel, as a member or an owner (a standard channel has the team's members).",
			Inputs: []engine.FieldSpec{in("Channel", "Team ID", "string", true, "Team ID"), in("Channel", "Channel ID", "string", true, "Channel ID"),
				in("Member", "User ID or Email", "string", true, "User ID or Email"), role},
			Outputs: memberOuts, Run: addChannelMember},
		{Okta: "microsoftteams:removeMemberFromChannel", Title: "Remove Member from Channel", Doc: "microsoftteams/microsoftteams-removememberfromchannel.htm",
			Description: "Removes a user from a private channel.",
			Inputs: []engine.FieldSpec{in("Channel", "Team ID", "string", true, "Team ID"), in("Channel", "Channel ID", "string", true, "Channel ID"),
				in("Member", "User ID or Email", "string", true, "User ID or Email")},
			Outputs: []engine.FieldSpec{kit.Output("Output", "Status Code", "number")}, Run: removeChannelMember},
		{Okta: "microsoftteams:listChannelMembers", Title: "List Channel Members", Doc: "microsoftteams/microsoftteams-listchannelmembers.htm",
			Description: "Lists a channel's members (a standard channel's are the team's).",
			Inputs:      []engine.FieldSpec{in("Channel", "Team ID", "string", true, "Team ID"), in("Channel", "Channel ID", "string", true, "Channel ID")},
			Outputs:     []engine.FieldSpec{{Key: "Members", Group: "Result", Label: "Members", Type: engine.ListOf(memberType)}},
			Run:         listChannelMembers},
		{Okta: "microsoftteams:sendMessageToChannel", Title: "Send Message to Channel", Doc: "microsoftteams/microsoftteams-sendmessagetochannel.htm",
			Description: "Posts a message (text or HTML) to a team's channel.",
			Inputs: []engine.FieldSpec{in("Channel", "Team ID", "string", true, "Team ID"), in("Channel", "Channel ID", "string", true, "Channel ID"),
				in("Message", "Subject", "string", false, "Subject"), in("Message", "Message", "string", true, "Message"), ct},
			Outputs: msgOuts, Run: sendChannelMessage},
		{Okta: "microsoftteams:sendMessageInChat", Title: "Send Message in Chat", Doc: "microsoftteams/microsoftteams-sendmessageinchat.htm",
			Description: "Sends a message (text or HTML) in a chat as the signed-in user (authorization code connections: Graph allows no application permission here).",
			Inputs:      []engine.FieldSpec{in("Chat", "Chat ID", "string", true, "Chat ID"), in("Message", "Message", "string", true, "Message"), ct},
			Outputs:     msgOuts, Run: sendChatMessage},
		{Okta: "microsoftteams:listChannelMessages", Title: "List Channel Messages",
			Description: "Lists a channel's messages, newest first.",
			Inputs: []engine.FieldSpec{in("Channel", "Team ID", "string", true, "Team ID"), in("Channel", "Channel ID", "string", true, "Channel ID"),
				in("Options", "Limit", "number", false, "Limit")},
			Outputs: []engine.FieldSpec{{Key: "Messages", Group: "Result", Label: "Messages", Type: engine.ListOf(messageType)}},
			Run:     listChannelMessages},
	}
}
