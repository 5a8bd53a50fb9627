package fakeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Google publishes its APIs as discovery documents (google.golang.org/api
// ships them beside each package: admin/directory/v1/admin-api.json, …),
// not OpenAPI. DiscoveryToOpenAPI turns one or more of them into one
// OpenAPI 3 description so the Validator can hold a fake to them: every
// method becomes an operation at "/" + servicePath + flatPath with its path
// and query parameters (required ones required, enums kept), its request
// schema and its response schema (application/json under 200; a method
// without a response answers 200 or 204 with no body; a method with media
// download may also answer any media type); methods with media upload get
// a second operation at their upload path. Errors ("default") must have
// Google's error shape {"error":{"code","message",…}}.

// NewDiscoveryValidator loads discovery document files into a Validator.
func NewDiscoveryValidator(files ...string) (*Validator, error) {
	var docs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		docs = append(docs, b)
	}
	doc, err := DiscoveryToOpenAPI(docs...)
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: "http://" + specHost}}
	loader := openapi3.NewLoader()
	if err := loader.ResolveRefsIn(doc, nil); err != nil {
		return nil, fmt.Errorf("discovery documents as OpenAPI: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("discovery documents as OpenAPI: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &Validator{doc: doc, router: router, Seen: map[string]int{}}, nil
}

type discoveryDoc struct {
	Name        string                     `json:"name"`
	Version     string                     `json:"version"`
	ServicePath string                     `json:"servicePath"`
	Parameters  map[string]discoveryParam  `json:"parameters"`
	Resources   map[string]discoveryRes    `json:"resources"`
	Schemas     map[string]json.RawMessage `json:"schemas"`
}

type discoveryRes struct {
	Methods   map[string]discoveryMethod `json:"methods"`
	Resources map[string]discoveryRes    `json:"resources"`
}

type discoveryParam struct {
	Type     string   `json:"type"`
	Location string   `json:"location"`
	Required bool     `json:"required"`
	Repeated bool     `json:"repeated"`
	Enum     []string `json:"enum"`
}

type discoveryMethod struct {
	ID         string                    `json:"id"`
	Path       string                    `json:"path"`
	FlatPath   string                    `json:"flatPath"`
	HTTPMethod string                    `json:"httpMethod"`
	Parameters map[string]discoveryParam `json:"parameters"`
	Request    *struct {
		Ref string `json:"$ref"`
	} `json:"request"`
	Response *struct {
		Ref string `json:"$ref"`
	} `json:"response"`
	SupportsMediaDownload bool `json:"supportsMediaDownload"`
	MediaUpload           *struct {
		Protocols map[string]struct {
			Path string `json:"path"`
		} `json:"protocols"`
	} `json:"mediaUpload"`
}

// DiscoveryToOpenAPI converts discovery documents into one OpenAPI 3
// description (schema names are prefixed with the API's name).
func DiscoveryToOpenAPI(docs ...[]byte) (*openapi3.T, error) {
	t := &openapi3.T{OpenAPI: "3.0.3", Info: &openapi3.Info{Title: "Google APIs (from discovery documents)", Version: "1"},
		Paths: openapi3.NewPaths(), Components: &openapi3.Components{Schemas: openapi3.Schemas{}}}
	t.Components.Schemas["GoogleError"] = openapi3.NewSchemaRef("", googleErrorSchema())
	for _, raw := range docs {
		var d discoveryDoc
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("discovery document: %w", err)
		}
		prefix := d.Name + "_"
		for name, s := range d.Schemas {
			var m map[string]any
			if err := json.Unmarshal(s, &m); err != nil {
				return nil, fmt.Errorf("%s schema %s: %w", d.Name, name, err)
			}
			t.Components.Schemas[prefix+name] = openapi3.NewSchemaRef("", discoverySchema(m, prefix))
		}
		var walk func(map[string]discoveryRes) error
		walk = func(res map[string]discoveryRes) error {
			for _, r := range res {
				for _, m := range r.Methods {
					p := m.FlatPath
					if p == "" {
						p = m.Path
					}
					if err := addOperation(t, d, m, "/"+d.ServicePath+p, prefix, false); err != nil {
						return err
					}
					if m.MediaUpload != nil {
						if up, ok := m.MediaUpload.Protocols["simple"]; ok {
							if err := addOperation(t, d, m, up.Path, prefix, true); err != nil {
								return err
							}
						}
					}
				}
				if err := walk(r.Resources); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(d.Resources); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func googleErrorSchema() *openapi3.Schema {
	item := openapi3.NewObjectSchema().WithProperty("reason", openapi3.NewStringSchema()).WithProperty("message", openapi3.NewStringSchema()).
		WithProperty("domain", openapi3.NewStringSchema())
	e := openapi3.NewObjectSchema().WithProperty("code", openapi3.NewIntegerSchema()).WithProperty("message", openapi3.NewStringSchema()).
		WithProperty("status", openapi3.NewStringSchema()).WithProperty("errors", openapi3.NewArraySchema().WithItems(item))
	e.Required = []string{"code", "message"}
	s := openapi3.NewObjectSchema().WithProperty("error", e)
	s.Required = []string{"error"}
	return s
}

// uploadParams are the path template's parameters of an upload path
// ("/upload/gmail/v1/users/{userId}/messages/send").
func addOperation(t *openapi3.T, d discoveryDoc, m discoveryMethod, path, prefix string, upload bool) error {
	path = strings.ReplaceAll(path, "{+", "{")
	op := openapi3.NewOperation()
	op.OperationID = m.ID
	if upload {
		op.OperationID += ".upload"
	}
	names := make([]string, 0, len(m.Parameters))
	for n := range m.Parameters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		op.AddParameter(discoveryParameter(n, m.Parameters[n]))
	}
	global := make([]string, 0, len(d.Parameters))
	for n := range d.Parameters {
		if _, dup := m.Parameters[n]; !dup {
			global = append(global, n)
		}
	}
	sort.Strings(global)
	for _, n := range global {
		op.AddParameter(discoveryParameter(n, d.Parameters[n]))
	}
	switch {
	case upload:
		body := openapi3.NewRequestBody().WithRequired(true)
		body.Content = openapi3.Content{"*/*": openapi3.NewMediaType()}
		op.RequestBody = &openapi3.RequestBodyRef{Value: body}
	case m.Request != nil:
		body := openapi3.NewRequestBody().WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/"+prefix+m.Request.Ref, nil))
		op.RequestBody = &openapi3.RequestBodyRef{Value: body}
	}
	op.Responses = openapi3.NewResponses()
	ok := openapi3.NewResponse().WithDescription("success")
	if m.Response != nil {
		ok.Content = openapi3.NewContentWithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/"+prefix+m.Response.Ref, nil))
		if m.SupportsMediaDownload {
			ok.Content["*/*"] = openapi3.NewMediaType() // alt=media: the file itself
		}
		op.Responses.Set("200", &openapi3.ResponseRef{Value: ok})
	} else {
		if m.SupportsMediaDownload {
			ok.Content = openapi3.Content{"*/*": openapi3.NewMediaType()}
		}
		op.Responses.Set("200", &openapi3.ResponseRef{Value: ok})
		op.Responses.Set("204", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("no content")})
	}
	op.Responses.Set("default", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("Google error").
		WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/GoogleError", nil))})
	item := t.Paths.Value(path)
	if item == nil {
		item = &openapi3.PathItem{}
		t.Paths.Set(path, item)
	}
	if item.GetOperation(m.HTTPMethod) != nil {
		return fmt.Errorf("%s: two methods at %s %s", m.ID, m.HTTPMethod, path)
	}
	item.SetOperation(m.HTTPMethod, op)
	return nil
}

func discoveryParameter(name string, p discoveryParam) *openapi3.Parameter {
	s := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}
	switch p.Type {
	case "integer":
		s.Type = &openapi3.Types{openapi3.TypeInteger}
	case "number":
		s.Type = &openapi3.Types{openapi3.TypeNumber}
	case "boolean":
		s.Type = &openapi3.Types{openapi3.TypeBoolean}
	}
	for _, e := range p.Enum {
		s.Enum = append(s.Enum, e)
	}
	if p.Repeated {
		s = openapi3.NewArraySchema().WithItems(s)
	}
	var prm *openapi3.Parameter
	if p.Location == "path" {
		prm = openapi3.NewPathParameter(name)
	} else {
		prm = openapi3.NewQueryParameter(name).WithRequired(p.Required)
	}
	return prm.WithSchema(s)
}

// discoverySchema converts a discovery (JSON Schema draft 3 style) schema.
func discoverySchema(m map[string]any, prefix string) *openapi3.Schema {
	s := &openapi3.Schema{}
	if d, ok := m["description"].(string); ok && len(d) < 200 {
		s.Description = d
	}
	switch t, _ := m["type"].(string); t {
	case "object":
		s.Type = &openapi3.Types{openapi3.TypeObject}
	case "array":
		s.Type = &openapi3.Types{openapi3.TypeArray}
	case "string":
		s.Type = &openapi3.Types{openapi3.TypeString}
	case "integer":
		s.Type = &openapi3.Types{openapi3.TypeInteger}
	case "number":
		s.Type = &openapi3.Types{openapi3.TypeNumber}
	case "boolean":
		s.Type = &openapi3.Types{openapi3.TypeBoolean}
	}
	if e, ok := m["enum"].([]any); ok {
		s.Enum = e
	}
	if props, ok := m["properties"].(map[string]any); ok {
		s.Properties = openapi3.Schemas{}
		for k, v := range props {
			if vm, ok := v.(map[string]any); ok {
				s.Properties[k] = refOr(vm, prefix)
			}
		}
	}
	if it, ok := m["items"].(map[string]any); ok {
		s.Items = refOr(it, prefix)
	}
	if ap, ok := m["additionalProperties"].(map[string]any); ok {
		s.AdditionalProperties = openapi3.AdditionalProperties{Schema: refOr(ap, prefix)}
	}
	return s
}

func refOr(m map[string]any, prefix string) *openapi3.SchemaRef {
	if r, ok := m["$ref"].(string); ok {
		return openapi3.NewSchemaRef("#/components/schemas/"+prefix+r, nil)
	}
	return openapi3.NewSchemaRef("", discoverySchema(m, prefix))
}

func init() {
	// Google's media uploads (multipart/related, message/rfc822, any file
	// type) are read as they are; the operation declares no schema for them.
	raw := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	}
	for _, ct := range []string{"multipart/related", "message/rfc822"} {
		if openapi3filter.RegisteredBodyDecoder(ct) == nil {
			openapi3filter.RegisterBodyDecoder(ct, raw)
		}
	}
}
