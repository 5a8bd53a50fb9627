// Package openai is the OpenAI connector, built on connectors/kit: the
// "openai" connection kind (an API key), Okta's OpenAI cards under their
// corpus kinds (openai:createChatCompletion_sE1HArGSjj and the Custom API
// Action openai:customApiAction_c4AK0cyoON, with Okta's export keys), and
// the local fake that answers deterministically (connectors/openai/fake).
package openai

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/openai/fake"
	"github.com/flowbench/flowbench/engine"
)

// NS is Okta's namespace of the OpenAI cards.
const NS = "openai"

// Connector is OpenAI's declaration.
var Connector = &kit.Connector{
	ID:      "openai",
	Title:   "OpenAI",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/openai/actions/",
	Auth:    []*kit.AuthMethod{kit.APIToken("API key", "API key (sk-…)", "Authorization", "Bearer ")},
	BaseURL: "https://api.openai.com/v1",
	Errors:  OpenAIErrors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/models"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			list, _ := r.Object()["data"].([]any)
			org := r.Header.Get("openai-organization")
			return "the key works" + orgText(org) + " and sees " + engine.ToText(float64(len(list))) + " models",
				map[string]any{"organization": org, "models": float64(len(list))}
		},
		Fixes: map[string]string{
			"invalid_api_key": "OpenAI does not know this key (revoked or mistyped): create a new secret key at platform.openai.com/api-keys and paste it.",
		},
	},
	Fake: func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func orgText(org string) string {
	if org == "" {
		return ""
	}
	return " (organization " + org + ")"
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
}

// OpenAIErrors maps {"error":{"message","type","param","code"}}.
func OpenAIErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if e, ok := r.Object()["error"].(map[string]any); ok {
		code := engine.ToText(e["code"])
		if code == "" {
			code = engine.ToText(e["type"])
		}
		return &engine.HTTPError{Status: r.Status, Code: code, Summary: engine.ToText(e["message"])}
	}
	return kit.StatusErrors(r)
}

func out(group, key, typ, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: label}
}

func in(group, key, typ, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: label}
}

var choiceType = engine.Obj(map[string]*engine.Type{"Index": engine.T("string"), "Finish Reason": engine.T("string"),
	"Message": engine.Obj(map[string]*engine.Type{"Role": engine.T("string"), "Content": engine.T("string")})})
var usageType = engine.Obj(map[string]*engine.Type{"Prompt Tokens": engine.T("string"), "Completion Tokens": engine.T("string"),
	"Total Tokens": engine.T("string")})

func cards() []*kit.Card {
	model := in("Inputs", "model_KM1ZNJ", "string", "Model")
	model.Required, model.Default = true, "gpt-4o-mini"
	messages := in("Inputs", "messages_68IHAZ", "object[]", "Messages")
	messages.Required = true
	messages.Description = "the conversation: objects with role (system, user, assistant) and content"
	return []*kit.Card{
		{Okta: NS + ":createChatCompletion_sE1HArGSjj", ID: "openai.createChatCompletion", Title: "Create Chat Completion", Doc: "createchatcompletion.htm",
			Description: "Asks a chat model for the next message of a conversation.",
			Inputs: []engine.FieldSpec{model, messages, in("Inputs", "temperature_YBDIR6", "number", "Temperature"),
				in("Inputs", "top_p_YFSOZU", "number", "Top P"), in("Inputs", "n_QTAGWE", "number", "N"), in("Inputs", "stop_EXZAZY", "string", "Stop"),
				in("Inputs", "max_tokens_S4LD3U", "number", "Max Tokens"), in("Inputs", "presence_penalty_ZD92G2", "number", "Presence Penalty"),
				in("Inputs", "frequency_penalty_ND71WA", "number", "Frequency Penalty"), in("Inputs", "user_CBE2JO", "string", "User")},
			Outputs: []engine.FieldSpec{out("Outputs", "model_GCNVWN", "string", "Model"), out("Outputs", "id_7HKCFG", "string", "ID"),
				out("Outputs", "object_ZCCHB9", "string", "Object"), out("Outputs", "created_8A9VME", "number", "Created"),
				{Key: "choices_ELGBSF", Group: "Outputs", Label: "Choices", Type: engine.ListOf(choiceType)},
				{Key: "usage_GPCF3K", Group: "Outputs", Label: "Usage", Type: usageType},
				out("Outputs", "raw_output_CWPMKS", "object", "Raw Output")},
			Run: chatCompletion},
		{Okta: NS + ":customApiAction_c4AK0cyoON", ID: "openai.customApiAction", Title: "Custom API Action", Doc: "customapiaction.htm",
			Description: "Makes an authenticated call to the OpenAI API, relative to https://api.openai.com/v1 (e.g. /images/generations). Every HTTP status is returned (no error for 4xx/5xx).",
			Inputs: []engine.FieldSpec{{Key: "request_type_FVLGPX", Group: "parameters", Label: "Request Type", Type: engine.T("string"), Default: "GET",
				Choices: []engine.Choice{{Value: "GET", Label: "GET"}, {Value: "PATCH", Label: "PATCH"}, {Value: "POST", Label: "POST"},
					{Value: "PUT", Label: "PUT"}, {Value: "DELETE", Label: "DELETE"}}},
				{Key: "relative_url_71DP9C", Group: "Request", Label: "Relative URL", Type: engine.T("string"), Required: true},
				in("Request", "query_3L3DPT", "object", "Query"), in("Request", "headers_IFM5WG", "object", "Headers"),
				in("Request", "body_CEPOPL", "object", "Body")},
			Outputs: []engine.FieldSpec{out("Response", "status_code_X1W4SZ", "number", "Status Code"),
				out("Response", "headers_UGVALD", "object", "Headers"), out("Response", "body_5VLRWY", "object", "Body")},
			Run: customAPI},
	}
}

func chatCompletion(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	model, err := in.Required("model_KM1ZNJ")
	if err != nil {
		return nil, err
	}
	raw, _ := in.Values["messages_68IHAZ"].([]any)
	if len(raw) == 0 {
		return nil, kit.Errorf("messages_68IHAZ", "is required: at least one message with role and content")
	}
	var msgs []any
	for i, m := range raw {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil, kit.Errorf("messages_68IHAZ", "message %d is not an object with role and content", i+1)
		}
		// Okta's card takes role/content in either case
		role := engine.ToText(first(mm, "role", "Role"))
		content := first(mm, "content", "Content")
		if role == "" {
			return nil, kit.Errorf("messages_68IHAZ", "message %d has no role (system, user or assistant)", i+1)
		}
		msg := map[string]any{"role": role, "content": content}
		if s, ok := content.(string); !ok && content != nil {
			if _, isList := content.([]any); !isList {
				msg["content"] = engine.ToText(content)
			}
		} else {
			msg["content"] = s
		}
		if n := engine.ToText(first(mm, "name", "Name")); n != "" {
			msg["name"] = n
		}
		msgs = append(msgs, msg)
	}
	body := map[string]any{"model": model, "messages": msgs}
	for key, param := range map[string]string{"temperature_YBDIR6": "temperature", "top_p_YFSOZU": "top_p", "n_QTAGWE": "n",
		"max_tokens_S4LD3U": "max_tokens", "presence_penalty_ZD92G2": "presence_penalty", "frequency_penalty_ND71WA": "frequency_penalty"} {
		if v, ok := in.Values[key]; ok && v != nil && v != "" {
			n, err := engine.ToNumber(v)
			if err != nil {
				return nil, kit.Errorf(key, "is not a number: %q", engine.ToText(v))
			}
			body[param] = n
		}
	}
	if s := in.Text("stop_EXZAZY"); s != "" {
		body["stop"] = s
	}
	if u := in.Text("user_CBE2JO"); u != "" {
		body["user"] = u
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/chat/completions", JSON: body})
	if err != nil {
		return nil, err
	}
	res := r.Object()
	choices := []any{}
	for _, c := range asList(res["choices"]) {
		cm, _ := c.(map[string]any)
		msg, _ := cm["message"].(map[string]any)
		choices = append(choices, map[string]any{"Index": engine.ToText(cm["index"]), "Finish Reason": cm["finish_reason"],
			"Message": map[string]any{"Role": msg["role"], "Content": msg["content"]}})
	}
	usage, _ := res["usage"].(map[string]any)
	return engine.Outputs{"model_GCNVWN": res["model"], "id_7HKCFG": res["id"], "object_ZCCHB9": res["object"], "created_8A9VME": res["created"],
		"choices_ELGBSF": choices, "usage_GPCF3K": map[string]any{"Prompt Tokens": engine.ToText(usage["prompt_tokens"]),
			"Completion Tokens": engine.ToText(usage["completion_tokens"]), "Total Tokens": engine.ToText(usage["total_tokens"])},
		"raw_output_CWPMKS": res}, nil
}

func first(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// customAPI is the Custom API Action with Okta's OpenAI export keys.
func customAPI(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	method := strings.ToUpper(in.Text("request_type_FVLGPX"))
	if method == "" {
		method = http.MethodGet
	}
	switch method {
	case "GET", "POST", "PUT", "PATCH", "DELETE":
	default:
		return nil, kit.Errorf("request_type_FVLGPX", "%q is not GET, POST, PUT, PATCH or DELETE", method)
	}
	rel, err := in.Required("relative_url_71DP9C")
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(rel); err != nil || u.IsAbs() || strings.HasPrefix(rel, "//") {
		return nil, kit.Errorf("relative_url_71DP9C", "must be relative to %s (e.g. /models), not %q", in.Client.BaseURL(), httpx.RedactURL(rel))
	}
	if !strings.HasPrefix(rel, "/") {
		rel = "/" + rel
	}
	call := &kit.Call{Method: method, Path: rel, Raw: true}
	if q, ok := in.Values["query_3L3DPT"].(map[string]any); ok && len(q) > 0 {
		call.Query = url.Values{}
		for k, v := range q {
			call.Query.Set(k, engine.ToText(v))
		}
	}
	if h, ok := in.Values["headers_IFM5WG"].(map[string]any); ok && len(h) > 0 {
		call.Header = http.Header{}
		for k, v := range h {
			call.Header.Set(k, engine.ToText(v))
		}
	}
	if b, ok := in.Values["body_CEPOPL"].(map[string]any); ok && len(b) > 0 && method != "GET" && method != "DELETE" {
		call.JSON = b
	}
	r, err := in.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	body := r.Body
	if _, isObj := body.(map[string]any); !isObj {
		// the Body output is an object: a list or text answer is wrapped
		body = map[string]any{"value": body}
	}
	return engine.Outputs{"status_code_X1W4SZ": float64(r.Status), "headers_UGVALD": in.Client.Scrub(httpx.HeaderMap(r.Header)),
		"body_5VLRWY": body}, nil
}
