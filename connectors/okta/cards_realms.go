package okta

import (
	"context"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Okta Realms connector cards (oktarealms:<method>, connector 0.31.0; issue
// 10 point 8). They run on the Okta connection and call the org's Realms
// API: /api/v1/realms and /api/v1/users?search=realmId eq "…". Field keys
// are those of the cards' exports (the connector's generated keys).

const realmsDoc = "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/oktarealms/actions/"

var realmRecordType = engine.Obj(map[string]*engine.Type{
	"ID": engine.T("string"), "Name": engine.T("string"), "Realm Type": engine.T("string"), "Is Default": engine.T("boolean"),
	"Created": engine.T("string"), "Last Updated": engine.T("string"), "Raw Output": engine.T("object"),
})

func realmRecord(r any) map[string]any {
	return map[string]any{"ID": get(r, "id"), "Name": get(r, "profile", "name"), "Realm Type": get(r, "profile", "realmType"),
		"Is Default": get(r, "isDefault"), "Created": get(r, "created"), "Last Updated": get(r, "lastUpdated"), "Raw Output": r}
}

func init() {
	streaming := func() []engine.FieldSpec {
		return []engine.FieldSpec{in("Streaming", "Record Limit", "number", false, "Record Limit")} // the helper flow is Card.Flow
	}
	realmSpec := func(id, okta, title, doc, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		s := card(id, okta, title, "", desc, ins, outs, run)
		s.DocURL, s.Category, s.ExtensibleInputs = realmsDoc+doc, "Okta Realms", true
		// also the clean kind (oktarealms:<method>), as the cards of cards_realms_manage.go
		if i := strings.LastIndex(okta, "_"); i > 0 {
			s.Okta = append(s.Okta, okta[:i])
		}
		return s
	}
	engine.Register(realmSpec("oktarealms.listRealmUsers", "oktarealms:listRealmUsers_tmcXa7PfAt", "List Realm Users", "listrealmusers.htm",
		"Lists the users of a realm (Okta's search realmId eq …): the first 200, or streams each to a helper flow with the card's extra Streaming inputs.",
		append([]engine.FieldSpec{in("Realm", "id_2NFN8X", "string", true, "ID"),
			param("result_set_GCTSBH", "Result Set", "first_200_records", []engine.Choice{
				{Value: "first_200_records", Label: "First 200 Records"}, {Value: "stream_records", Label: "Stream Records"}})}, streaming()...),
		[]engine.FieldSpec{out("Result", "Records Streamed", "number"), outT("Result", "Users", engine.ListOf(userRecordType))},
		listRealmUsers))
	engine.Register(realmSpec("oktarealms.searchRealms", "oktarealms:searchRealms_P4iAKL5cJ", "Search Realms", "searchrealms.htm",
		"Lists the org's realms, optionally those whose name starts with Name: the first match, the first 200, or streams each to a helper flow.",
		append([]engine.FieldSpec{in("Realm", "name", "string", false, "Name"),
			param("result_set_C0V7NQ", "Result Set", "first_200_matching_records", []engine.Choice{
				{Value: "first_matching_record", Label: "First Matching Record"},
				{Value: "first_200_matching_records", Label: "First 200 Matching Records"},
				{Value: "stream_matching_records", Label: "Stream Matching Records"}})}, streaming()...),
		[]engine.FieldSpec{out("Result", "Records Streamed", "number"), outT("Result", "Realm", realmRecordType),
			outT("Result", "Realms", engine.ListOf(realmRecordType))},
		searchRealms))
}

// streamExtras are the Streaming inputs a streaming card passes on to its
// helper flow besides the record (everything but Flow and Record Limit).
func streamExtras(in engine.Inputs) map[string]any {
	args := map[string]any{}
	if in.Card != nil {
		for _, f := range in.Card.Inputs {
			if f.Group == "Streaming" && f.Key != "Flow" && f.Key != "Record Limit" {
				args[f.Key] = in.Values[f.Key]
			}
		}
	}
	return args
}

// listOrStream reads path page by page: every record goes to the helper
// flow (with the card's extra Streaming inputs) when stream is set, else up
// to max are returned.
func listOrStream(ctx context.Context, in engine.Inputs, path string, q url.Values, stream bool, max int,
	rec func(any) map[string]any) ([]any, int, error) {
	c, err := ClientFor(ctx, in)
	if err != nil {
		return nil, 0, err
	}
	list := []any{}
	if !stream {
		_, err = c.List(ctx, path, q, max, in.Run.Attempt, func(item any) error {
			list = append(list, rec(item))
			return nil
		})
		return list, len(list), err
	}
	flow := helperFlow(in)
	if flow == "" {
		return nil, 0, engine.InputErrorf("Flow", "streaming needs a helper flow (choose one in the Streaming section)")
	}
	if max <= 0 {
		max = MaxStreamed
	}
	extras := streamExtras(in)
	i := 0
	n, err := c.List(ctx, path, q, max, in.Run.Attempt, func(item any) error {
		args := map[string]any{"Record": rec(item), "context": map[string]any{"index": float64(i)}}
		for k, v := range extras {
			args[k] = v
		}
		i++
		_, err := in.Run.CallFlow(ctx, flow, args)
		return err
	})
	return list, n, err
}

func listRealmUsers(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "id_2NFN8X")
	if err != nil {
		return nil, err
	}
	rs := text(in, "result_set_GCTSBH")
	switch rs {
	case "", "first_200_records", "stream_records":
	default:
		return nil, engine.InputErrorf("result_set_GCTSBH", "unknown result set %q (First 200 Records or Stream Records)", rs)
	}
	stream := rs == "stream_records"
	max := limitOf(in, "Record Limit")
	if !stream && (max == 0 || max > 200) {
		max = 200
	}
	q := url.Values{"search": {"realmId eq " + quote(id)}, "limit": {"200"}}
	list, n, err := listOrStream(ctx, in, "/api/v1/users", q, stream, max, userRecord)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Users": list, "Records Streamed": float64(n)}, nil
}

func searchRealms(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	rs := text(in, "result_set_C0V7NQ")
	max := limitOf(in, "Record Limit")
	stream := false
	switch rs {
	case "first_matching_record":
		max = 1
	case "", "first_200_matching_records":
		if max == 0 || max > 200 {
			max = 200
		}
	case "stream_matching_records":
		stream = true
	default:
		return nil, engine.InputErrorf("result_set_C0V7NQ", "unknown result set %q", rs)
	}
	q := url.Values{"limit": {"200"}}
	if name := text(in, "name"); name != "" {
		q.Set("search", "profile.name sw "+quote(name))
	}
	list, n, err := listOrStream(ctx, in, "/api/v1/realms", q, stream, max, realmRecord)
	if err != nil {
		return nil, err
	}
	var first any
	if len(list) > 0 {
		first = list[0]
	}
	return engine.Outputs{"Realms": list, "Realm": first, "Records Streamed": float64(n)}, nil
}
