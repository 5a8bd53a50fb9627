package openai

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/openai/fake"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	v := kittest.SpecFile(t, "testdata/openai-openapi.json", "")
	// OpenAI's description documents only each operation's 200 answer;
	// error answers are checked by the tests themselves
	v.Loose = true
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Connector, kittest.Options{Fake: f, Spec: v})
	h.Rec.Strict = true
	return h, f
}

func TestChatCompletionIsDeterministic(t *testing.T) {
	h, _ := start(t)
	in := map[string]any{"model_KM1ZNJ": "gpt-4-0613", "max_tokens_S4LD3U": 256, "temperature_YBDIR6": 0.7,
		"messages_68IHAZ": []any{map[string]any{"role": "system", "content": "You write onboarding emails."},
			map[string]any{"role": "user", "content": "Welcome Alice to the Engineering team."}}}
	a := h.MustRun(NS+":createChatCompletion_sE1HArGSjj", in)
	b := h.MustRun(NS+":createChatCompletion_sE1HArGSjj", in)
	choices, _ := a["choices_ELGBSF"].([]any)
	if len(choices) != 1 {
		t.Fatalf("choices: %v", a)
	}
	msg := choices[0].(map[string]any)["Message"].(map[string]any)
	if msg["Role"] != "assistant" || msg["Content"] != fake.Reply("gpt-4-0613", "Welcome Alice to the Engineering team.") {
		t.Fatalf("answer: %v", msg)
	}
	if a["id_7HKCFG"] != b["id_7HKCFG"] || a["model_GCNVWN"] != "gpt-4-0613" || a["object_ZCCHB9"] != "chat.completion" {
		t.Fatalf("the same request must give the same answer: %v / %v", a["id_7HKCFG"], b["id_7HKCFG"])
	}
	if u := a["usage_GPCF3K"].(map[string]any); u["Total Tokens"] == "" || u["Prompt Tokens"] == "" {
		t.Fatalf("usage: %v", u)
	}
	// Okta's card also takes Role/Content capitalised
	c := h.MustRun(NS+":createChatCompletion_sE1HArGSjj", map[string]any{"model_KM1ZNJ": "gpt-4o",
		"messages_68IHAZ": []any{map[string]any{"Role": "user", "Content": "hi"}}, "max_tokens_S4LD3U": 3})
	cm := c["choices_ELGBSF"].([]any)[0].(map[string]any)
	if cm["Finish Reason"] != "length" || len(strings.Fields(cm["Message"].(map[string]any)["Content"].(string))) != 3 {
		t.Fatalf("max tokens: %v", cm)
	}
}

func TestChatCompletionErrors(t *testing.T) {
	h, _ := start(t)
	_, _, err := h.Run(NS+":createChatCompletion_sE1HArGSjj", map[string]any{"model_KM1ZNJ": "gpt-99",
		"messages_68IHAZ": []any{map[string]any{"role": "user", "content": "hi"}}})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || he.Code != "model_not_found" {
		t.Fatalf("unknown model: %v", err)
	}
	_, _, err = h.Run(NS+":createChatCompletion_sE1HArGSjj", map[string]any{"model_KM1ZNJ": "gpt-4o",
		"messages_68IHAZ": []any{map[string]any{"content": "no role"}}})
	if err == nil || !strings.Contains(err.Error(), "messages_68IHAZ") {
		t.Fatalf("a message without role must name the field: %v", err)
	}
}

func TestCustomAPIAction(t *testing.T) {
	h, _ := start(t)
	out := h.MustRun(NS+":customApiAction_c4AK0cyoON", map[string]any{"request_type_FVLGPX": "POST", "relative_url_71DP9C": "/images/generations",
		"body_CEPOPL": map[string]any{"prompt": "a lighthouse at dawn", "n": 1, "size": "1024x1024"}})
	body, _ := out["body_5VLRWY"].(map[string]any)
	data, _ := body["data"].([]any)
	if out["status_code_X1W4SZ"] != float64(200) || len(data) != 1 {
		t.Fatalf("images: %v", out)
	}
	out = h.MustRun(NS+":customApiAction_c4AK0cyoON", map[string]any{"request_type_FVLGPX": "GET", "relative_url_71DP9C": "/models/gpt-5-pro"})
	if out["status_code_X1W4SZ"] != float64(404) {
		t.Fatalf("a 404 is a result, not an error: %v", out)
	}
	_, _, err := h.Run(NS+":customApiAction_c4AK0cyoON", map[string]any{"relative_url_71DP9C": "https://evil.example/steal"})
	if err == nil || !strings.Contains(err.Error(), "relative_url_71DP9C") {
		t.Fatalf("an absolute URL must be refused: %v", err)
	}
	for _, ex := range h.Rec.Exchanges() {
		if strings.Contains(string(ex.RespBody), fake.DefaultAPIKey) {
			t.Fatal("the key leaked into a response")
		}
	}
}

func TestLadderRevokedKey(t *testing.T) {
	h, f := start(t)
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || rep.Info["organization"] != "org-flowbench-sandbox" {
		t.Fatalf("ladder: %+v", rep)
	}
	f.Revoke()
	rep = Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Code != "invalid_api_key" || !strings.Contains(last.Hint, "new secret key") || strings.Contains(last.Message, fake.DefaultAPIKey) {
		t.Fatalf("revoked key: %+v", rep)
	}
}
