// Package fake is a local OpenAI API that answers deterministically: chat
// completions (/v1/chat/completions), models (/v1/models, /v1/models/{id})
// and image generations (/v1/images/generations). Requests and responses
// follow OpenAI's published OpenAPI description (openai/openai-openapi);
// the tests validate them against the trimmed copy in ../testdata.
//
// A chat completion's answer is a function of the request only: the model,
// then a fixed sentence quoting the last user message, so a flow run
// against the fake shows the same values every time. Token counts are word
// counts. Errors are {"error":{"message","type","param","code"}}; 429s
// carry Retry-After and the x-ratelimit-* headers.
package fake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"strings"
	"sync"
)

// DefaultAPIKey is the seeded organization's key.
const DefaultAPIKey = "sk-flowbench-sandbox-0000000000000000000000000000"

// Created is the fixed creation time (Unix seconds) of every answer.
const Created = 1764547200

// Config configures the fake; the zero value is usable.
type Config struct {
	APIKey string
}

// Models the fake knows.
var Models = []string{"gpt-4o", "gpt-4o-mini", "gpt-4-0613", "gpt-4.1", "gpt-3.5-turbo", "dall-e-3"}

// Server is a fake OpenAI API. Safe for concurrent use.
type Server struct {
	faults  *fakeapi.Faults
	once    sync.Once
	handler http.Handler
	cfg     Config
	mu      sync.Mutex
	revoked bool
	calls   int
}

// New returns a fake.
func New(cfg Config) *Server {
	if cfg.APIKey == "" {
		cfg.APIKey = DefaultAPIKey
	}
	return &Server{cfg: cfg}
}

// Revoke disables the key (as deleting it in the dashboard does).
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

// Calls is how many API calls were answered.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/images/") && r.Method == http.MethodGet {
		// a generated image's URL: public, as OpenAI's pre-signed blob URLs are (no API key)
		imageFile(w, r)
		return
	}
	s.mu.Lock()
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	revoked := s.revoked
	s.calls++
	s.mu.Unlock()
	if !ok || key != s.cfg.APIKey || revoked {
		shown := key
		if len(shown) > 8 {
			shown = shown[:3] + "*****" + shown[len(shown)-4:]
		}
		apiError(w, 401, "Incorrect API key provided: "+shown+". You can find your API key at https://platform.openai.com/account/api-keys.",
			"invalid_request_error", "", "invalid_api_key")
		return
	}
	w.Header().Set("openai-organization", "org-flowbench-sandbox")
	w.Header().Set("x-ratelimit-limit-requests", "500")
	w.Header().Set("x-ratelimit-remaining-requests", "499")
	switch {
	case r.URL.Path == "/v1/models" && r.Method == http.MethodGet:
		var data []any
		for _, m := range Models {
			data = append(data, model(m))
		}
		writeJSON(w, 200, map[string]any{"object": "list", "data": data})
	case strings.HasPrefix(r.URL.Path, "/v1/models/") && r.Method == http.MethodGet:
		id := strings.TrimPrefix(r.URL.Path, "/v1/models/")
		for _, m := range Models {
			if m == id {
				writeJSON(w, 200, model(m))
				return
			}
		}
		apiError(w, 404, "The model '"+id+"' does not exist", "invalid_request_error", "model", "model_not_found")
	case r.URL.Path == "/v1/chat/completions" && r.Method == http.MethodPost:
		s.chat(w, r)
	case r.URL.Path == "/v1/images/generations" && r.Method == http.MethodPost:
		s.image(w, r)
	default:
		apiError(w, 404, "Invalid URL ("+r.Method+" "+r.URL.Path+")", "invalid_request_error", "", "")
	}
}

func model(id string) map[string]any {
	owner := "openai"
	if strings.HasPrefix(id, "gpt-3.5") || strings.HasPrefix(id, "gpt-4-") {
		owner = "openai-internal"
	}
	return map[string]any{"id": id, "object": "model", "created": Created - 86400*365, "owned_by": owner}
}

// Reply is the fake's answer to a conversation whose last user message is
// last, for model.
func Reply(model, last string) string {
	if len(last) > 200 {
		last = last[:200] + "…"
	}
	return fmt.Sprintf("[%s] Flowbench's OpenAI fake answers deterministically. You asked: %q", model, last)
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, 400, "We could not parse the JSON body of your request.", "invalid_request_error", "", "")
		return
	}
	m, _ := body["model"].(string)
	if m == "" {
		apiError(w, 400, "you must provide a model parameter", "invalid_request_error", "model", "")
		return
	}
	known := false
	for _, x := range Models {
		known = known || x == m
	}
	if !known {
		apiError(w, 404, "The model `"+m+"` does not exist or you do not have access to it.", "invalid_request_error", "model", "model_not_found")
		return
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) == 0 {
		apiError(w, 400, "[] is too short - 'messages'", "invalid_request_error", "messages", "")
		return
	}
	last, prompt := "", 0
	for i, x := range msgs {
		mm, _ := x.(map[string]any)
		role, _ := mm["role"].(string)
		switch role {
		case "system", "user", "assistant", "developer", "tool", "function":
		default:
			apiError(w, 400, fmt.Sprintf("Invalid value: '%s'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", role),
				"invalid_request_error", fmt.Sprintf("messages.[%d].role", i), "invalid_value")
			return
		}
		text := content(mm["content"])
		prompt += len(strings.Fields(text)) + 3
		if role == "user" {
			last = text
		}
	}
	for _, k := range []string{"temperature", "top_p"} {
		if v, ok := body[k].(float64); ok && (v < 0 || v > 2 || k == "top_p" && v > 1) {
			apiError(w, 400, fmt.Sprintf("%v is greater than the maximum of %s - '%s'", v, map[string]string{"temperature": "2", "top_p": "1"}[k], k),
				"invalid_request_error", k, "")
			return
		}
	}
	n := 1
	if v, ok := body["n"].(float64); ok && v >= 1 {
		n = int(v)
	}
	answer := Reply(m, last)
	finish := "stop"
	if v, ok := body["max_tokens"].(float64); ok && v > 0 {
		if words := strings.Fields(answer); len(words) > int(v) {
			answer, finish = strings.Join(words[:int(v)], " "), "length"
		}
	}
	var choices []any
	for i := 0; i < n; i++ {
		choices = append(choices, map[string]any{"index": i, "finish_reason": finish, "logprobs": nil,
			"message": map[string]any{"role": "assistant", "content": answer, "refusal": nil, "annotations": []any{}}})
	}
	h := sha256.Sum256([]byte(fmt.Sprint(body)))
	completion := len(strings.Fields(answer)) * n
	writeJSON(w, 200, map[string]any{"id": "chatcmpl-" + hex.EncodeToString(h[:])[:29], "object": "chat.completion", "created": Created,
		"model": m, "choices": choices, "system_fingerprint": "fp_flowbench", "service_tier": "default",
		"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}})
}

func content(v any) string {
	switch c := v.(type) {
	case string:
		return c
	case []any:
		var parts []string
		for _, p := range c {
			if m, ok := p.(map[string]any); ok {
				if t, ok := m["text"].(string); ok {
					parts = append(parts, t)
				}
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func (s *Server) image(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, 400, "We could not parse the JSON body of your request.", "invalid_request_error", "", "")
		return
	}
	p, _ := body["prompt"].(string)
	if p == "" {
		apiError(w, 400, "Missing required parameter: 'prompt'.", "invalid_request_error", "prompt", "missing_required_parameter")
		return
	}
	h := sha256.Sum256([]byte(p))
	writeJSON(w, 200, map[string]any{"created": Created, "data": []any{map[string]any{
		"url": "http://" + r.Host + "/images/" + hex.EncodeToString(h[:8]) + ".png", "revised_prompt": p}}})
}

// imageFile serves the PNG behind an image generation's URL: 64×64 pixels
// of one colour taken from the name (the prompt's hash).
func imageFile(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/images/")
	h, err := hex.DecodeString(strings.TrimSuffix(name, ".png"))
	if err != nil || len(h) != 8 || !strings.HasSuffix(name, ".png") {
		http.NotFound(w, r)
		return
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	draw.Draw(img, img.Bounds(), &image.Uniform{C: color.RGBA{R: h[0], G: h[1], B: h[2], A: 255}}, image.Point{}, draw.Src)
	w.Header().Set("Content-Type", "image/png")
	_ = png.Encode(w, img)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, msg, typ, param, code string) {
	e := map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}
	if param != "" {
		e["param"] = param
	}
	if code != "" {
		e["code"] = code
	}
	writeJSON(w, status, map[string]any{"error": e})
}
