package functions

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// XML Parse (xml:parse; issue 10 point 7). Okta's card turns XML text into
// an object the way xml2js does with explicitArray: every child element is a
// list (repeated elements collect in it), attributes sit under attrkey ("$"),
// an element's text is its value, or sits under charkey ("_") when the
// element also has attributes or explicitCharkey is set.

const maxXMLDepth = 256

func init() {
	b := func(key, label, desc string) engine.FieldSpec {
		return engine.FieldSpec{Key: key, Label: label, Group: "options", Type: engine.T("boolean"), Default: false, Description: desc}
	}
	engine.Register(&engine.Spec{ID: "xml.parse", Okta: []string{"xml:parse"}, Title: "Parse", Category: "XML", Kind: engine.KindFunction,
		Inputs: []engine.FieldSpec{
			{Key: "xml", Label: "xml", Type: engine.T("string"), Required: true},
			{Key: "attrkey", Label: "attrkey", Group: "options", Type: engine.T("string"), Default: "$", Description: "key of each element's attribute object"},
			{Key: "charkey", Label: "charkey", Group: "options", Type: engine.T("string"), Default: "_", Description: "key of an element's text when it is not the value itself"},
			b("explicitCharkey", "explicitCharkey", "always put text under charkey"),
			b("trim", "trim", "trim whitespace at the start and end of text"),
			b("normalizeTags", "normalizeTags", "lowercase tag names"),
			b("normalize", "normalize", "collapse whitespace inside text"),
			b("explicitRoot", "explicitRoot", "keep the root element as the output's only key"),
		},
		Outputs:     []engine.FieldSpec{{Key: "output", Label: "output", Type: engine.T("object")}},
		DocURL:      help + "XML/xml_parse.htm",
		Description: "Converts XML text to an object (xml2js style): child elements become lists under their tag name, attributes go under attrkey ($), text is the element's value or goes under charkey (_) when the element also has attributes. Without explicitRoot the output is the root element's content. XML that is not well formed is an error naming `xml`, with the line.",
		Run:         xmlParseCard})
}

type xmlOpts struct {
	attrkey, charkey                                      string
	explicitCharkey, trim, normalizeTags, normalize, root bool
}

func xmlParseCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	o := xmlOpts{attrkey: str(in, "attrkey"), charkey: str(in, "charkey")}
	if o.attrkey == "" {
		o.attrkey = "$"
	}
	if o.charkey == "" {
		o.charkey = "_"
	}
	flag := func(k string) bool { v, _ := in.Values[k].(bool); return v }
	o.explicitCharkey, o.trim, o.normalizeTags, o.normalize, o.root = flag("explicitCharkey"), flag("trim"), flag("normalizeTags"), flag("normalize"), flag("explicitRoot")
	name, v, err := parseXML(str(in, "xml"), o)
	if err != nil {
		return nil, engine.InputErrorf("xml", "%v", err)
	}
	if o.root {
		return one("output", map[string]any{name: v}), nil
	}
	if m, ok := v.(map[string]any); ok {
		return one("output", m), nil
	}
	// a root holding only text: Okta's output is an object, so keep the root's name
	return one("output", map[string]any{name: v}), nil
}

type xmlNode struct {
	name  string
	attrs map[string]any
	kids  map[string]any
	order []string
	text  strings.Builder
}

func parseXML(s string, o xmlOpts) (string, any, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var stack []*xmlNode
	var rootName string
	var root any
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return "", nil, errors.New("line " + engine.ToText(float64(line)) + ": " + strings.TrimPrefix(err.Error(), "XML syntax error on line "+engine.ToText(float64(line))+": "))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return "", nil, errors.New("elements are nested too deeply")
			}
			if len(stack) == 0 && root != nil {
				return "", nil, errors.New("more than one root element")
			}
			n := &xmlNode{name: xmlName(t.Name, o)}
			for _, a := range t.Attr {
				if n.attrs == nil {
					n.attrs = map[string]any{}
				}
				n.attrs[xmlAttrName(a.Name)] = a.Value
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			v := n.value(o)
			if len(stack) == 0 {
				rootName, root = n.name, v
				continue
			}
			p := stack[len(stack)-1]
			if p.kids == nil {
				p.kids = map[string]any{}
			}
			l, _ := p.kids[n.name].([]any)
			p.kids[n.name] = append(l, v)
		}
	}
	if rootName == "" {
		return "", nil, errors.New("no root element")
	}
	return rootName, root, nil
}

func (n *xmlNode) value(o xmlOpts) any {
	txt := n.text.String()
	if o.normalize {
		txt = strings.Join(strings.Fields(txt), " ")
	}
	if o.trim {
		txt = strings.TrimSpace(txt)
	}
	if len(n.kids) > 0 && strings.TrimSpace(txt) == "" {
		txt = "" // whitespace between child elements is layout
	}
	if n.attrs == nil && n.kids == nil && !o.explicitCharkey {
		return txt
	}
	m := map[string]any{}
	if n.attrs != nil {
		m[o.attrkey] = n.attrs
	}
	for k, v := range n.kids {
		m[k] = v
	}
	if txt != "" {
		m[o.charkey] = txt
	}
	return m
}

func xmlName(n xml.Name, o xmlOpts) string {
	s := n.Local
	if o.normalizeTags {
		s = strings.ToLower(s)
	}
	return s
}

func xmlAttrName(n xml.Name) string {
	if n.Space == "xmlns" {
		return "xmlns:" + n.Local
	}
	return n.Local
}
