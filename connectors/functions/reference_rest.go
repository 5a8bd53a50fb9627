package functions

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Cards of Okta's function reference completed after the kinds test first
// covered it (issue 10 point 7): Sort Custom (list:sort, list/list_sort.htm),
// Add to Front (list:unshift, list/list_unshift.htm) and the Encryption cards
// Encrypt (crypto:cipher), Decrypt (crypto:decipher) and AES (crypto:aes).
// Kinds follow the help pages' file names, as every other kernel kind does.

func init() {
	for _, s := range restCards() {
		engine.Register(s)
	}
}

// cipherChoices are the algorithms Okta's Encrypt and Decrypt cards offer.
var cipherChoices = []engine.Choice{
	{Value: "aes-128-cbc", Label: "aes-128-cbc"}, {Value: "aes-128-ecb", Label: "aes-128-ecb"},
	{Value: "aes-256-cbc", Label: "aes-256-cbc"}, {Value: "aes-256-ecb", Label: "aes-256-ecb"},
	{Value: "des-cbc", Label: "des-cbc"}, {Value: "des-ecb", Label: "des-ecb"},
}

// aesChoices are the OpenSSL AES algorithms the AES card offers.
var aesChoices = []engine.Choice{
	{Value: "aes-128-cbc", Label: "aes-128-cbc"}, {Value: "aes-192-cbc", Label: "aes-192-cbc"}, {Value: "aes-256-cbc", Label: "aes-256-cbc"},
	{Value: "aes-128-ecb", Label: "aes-128-ecb"}, {Value: "aes-192-ecb", Label: "aes-192-ecb"}, {Value: "aes-256-ecb", Label: "aes-256-ecb"},
}

func restCards() []*engine.Spec {
	list := engine.T("any[]")
	outText := []engine.FieldSpec{fs("output", "output", tString)}
	cipherIn := func(required bool) []engine.FieldSpec {
		alg := engine.FieldSpec{Key: "algorithm", Label: "algorithm", Type: tString, Default: "aes-256-cbc", Choices: cipherChoices, Required: required}
		return []engine.FieldSpec{alg, req("key", "key", tString), req("data", "data", tString)}
	}
	return []*engine.Spec{
		{ID: "list.sortCustom", Okta: []string{"list:sort"}, Title: "Sort Custom", Category: "List", Kind: engine.KindFunction, Helper: engine.HelperWaits,
			Inputs: []engine.FieldSpec{{Key: "list", Label: "list", Type: list, Required: true},
				{Key: "concurrency", Label: "concurrency", Type: engine.T("number"), Description: "items processed in parallel (1–200); default: the flow's setting"}},
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "list", Label: "list", Type: list}},
			DocURL: help + "List/list_sort.htm",
			Description: "Calls the helper flow (card.flow) once per item (map a helper input to Item, or to a key of the item; other inputs pass unchanged, " +
				"`context.index` is the position) and sorts the items by the single value each call returns, smallest first: numbers numerically, " +
				"true/false as false < true, other values as text; equal values keep their order and items whose helper returned nothing go last. " +
				"Stops at the first failing call.",
			Run: sortCustom},
		{ID: "list.addToFront", Okta: []string{"list:unshift"}, Title: "Add to Front", Category: "List", Kind: engine.KindFunction,
			Inputs:      []engine.FieldSpec{{Key: "list", Label: "list", Type: list, Required: true}, {Key: "item", Label: "item", Type: engine.T("any")}},
			Outputs:     []engine.FieldSpec{{Key: "list", Label: "list", Type: list}},
			DocURL:      help + "List/list_unshift.htm",
			Description: "A new list: the item, then the list's items (a list item is added as one item, not spread). The input list is unchanged.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				l := olList(in.Values["list"])
				out := make([]any, 0, len(l)+1)
				out = append(out, in.Values["item"])
				return one("list", append(out, l...)), nil
			}},
		advSpec("crypto.encrypt", "crypto:cipher", "Encrypt", "Encryption", help+"Encryption/encryption_cipher.htm",
			"Encrypts `data` (UTF-8 text) with `algorithm` (aes-128-cbc, aes-128-ecb, aes-256-cbc default, aes-256-ecb, des-cbc, des-ecb) and gives Base64. "+
				"As in Okta (OpenSSL's EVP_BytesToKey with MD5, no salt), the cipher key and IV are derived from the `key` text, so the same key and algorithm decrypt it again "+
				"(aes-256-cbc, \"my secret key\", \"My secret message!\" → hrDDPCtB0Cijc8EFAHhABiYEKdYBgt+e63RGV288SOI=). An unknown algorithm is an error naming `algorithm`.",
			cipherIn(false), outText, func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return encryptCard(in, cipherChoices)
			}),
		advSpec("crypto.decrypt", "crypto:decipher", "Decrypt", "Encryption", help+"Encryption/encryption_decipher.htm",
			"Decrypts Base64 `data` made by Encrypt (or OpenSSL `enc -nosalt -md md5`) with the same `algorithm` and `key`, giving the text. "+
				"Data that is not Base64, or that the key and algorithm do not decrypt (bad padding), is an error naming `data`, which If Error can catch.",
			cipherIn(false), outText, func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				alg := cipherAlgorithm(in)
				if !hasChoice(cipherChoices, alg) {
					return nil, engine.InputErrorf("algorithm", "unsupported algorithm %q", alg)
				}
				raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(str(in, "data")))
				if err != nil {
					return nil, engine.InputErrorf("data", "not Base64: %v", err)
				}
				plain, err := opensslCrypt(alg, str(in, "key"), raw, false)
				if err != nil {
					return nil, engine.InputErrorf("data", "cannot decrypt with this key and algorithm: %v", err)
				}
				return one("output", string(plain)), nil
			}),
		advSpec("crypto.aes", "crypto:aes", "AES", "Encryption", help+"encryption/encryption_aes.htm",
			"Encrypts `data` (UTF-8 text) with the OpenSSL AES `algorithm` (aes-128/192/256 in cbc or ecb) and gives Base64; the cipher key and IV come from the `key` text "+
				"as in OpenSSL (EVP_BytesToKey, MD5, no salt): aes-128-cbc, \"my secret key\", \"My secret message!\" → RTOnd5dSDvH8TXF/fiHQ7JuLuxxCpk4nAAfzg/1rHTY=. "+
				"Decrypt reads it back for the algorithms it offers.",
			[]engine.FieldSpec{{Key: "algorithm", Label: "algorithm", Type: tString, Required: true, Default: "aes-256-cbc", Choices: aesChoices},
				req("key", "key", tString), req("data", "data", tString)},
			outText, func(_ context.Context, in engine.Inputs) (engine.Outputs, error) { return encryptCard(in, aesChoices) }),
		{ID: "convert.toNumber", Okta: []string{"control:toNumber"}, Title: "To Number", Category: "Connector Builder", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{{Key: "value", Label: "value", Type: engine.T("any"), Required: true}},
			Outputs: []engine.FieldSpec{{Key: "output", Label: "output", Type: engine.T("number")}},
			DocURL:  help + "control/control_tonumber.htm",
			Description: "Converts text (\"123\", \" 4.5 \", \"1e3\"), a number or true/false (1/0) to a number. Text that is not a number (\"abc123\"), " +
				"an object or a list is an error naming `value`. In Okta this card is offered in Connector Builder flows.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				switch x := in.Values["value"].(type) {
				case bool:
					if x {
						return one("output", 1.0), nil
					}
					return one("output", 0.0), nil
				case map[string]any, []any:
					return nil, engine.InputErrorf("value", "%s cannot be converted to a number", valueKind(x))
				}
				n, err := engine.ToNumber(in.Values["value"])
				if err != nil {
					return nil, engine.InputErrorf("value", "%v", err)
				}
				return one("output", n), nil
			}},
		{ID: "convert.toString", Okta: []string{"control:toString"}, Title: "To String", Category: "Connector Builder", Kind: engine.KindFunction,
			Inputs:  []engine.FieldSpec{{Key: "value", Label: "value", Type: engine.T("any"), Required: true}},
			Outputs: []engine.FieldSpec{{Key: "output", Label: "output", Type: tString}},
			DocURL:  help + "control/control_tostring.htm",
			Description: "Converts a value to text: a number as written (123 → \"123\"), true/false as \"true\"/\"false\", an object or list as compact JSON, " +
				"text unchanged. In Okta this card is offered in Connector Builder flows.",
			Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				switch x := in.Values["value"].(type) {
				case map[string]any, []any:
					s, err := jsonText(x)
					if err != nil {
						return nil, engine.InputErrorf("value", "cannot write as JSON: %v", err)
					}
					return one("output", s), nil
				}
				return one("output", engine.ToText(in.Values["value"])), nil
			}},
		{ID: "flow.exportFolder", Okta: []string{"utility:exportFolder"}, Title: "Export Folder", Category: "Folders", Kind: engine.KindFunction,
			Inputs: []engine.FieldSpec{{Key: "folder", Label: "Folder", Type: tString, Required: true, Description: "the folder's name (its subfolders come too)"},
				{Key: "pretty", Label: "JSON Pretty Print?", Type: engine.T("boolean"), Default: false},
				{Key: "indent", Label: "Number of Indented Spaces", Type: engine.T("number"), Default: float64(2), Description: "1–8, for pretty printing"}},
			Outputs: []engine.FieldSpec{{Key: "File Content", Label: "File Content", Type: engine.T("file")},
				{Key: "Filename", Label: "Filename", Type: tString}, {Key: "Size", Label: "Size", Type: engine.T("number")}},
			DocURL: help + "folders/folders_exportfolder.htm",
			Description: "Exports a folder's flows, and those of its subfolders (\"Folder/Sub\"), as one Flowbench folder bundle (format flowbench.folder/v1, " +
				"which Flowbench imports back); File Content is the JSON text, Filename the folder's name with .json, Size its bytes. " +
				"A folder with no flow is an error naming `folder`. Okta kind chosen (utility:exportFolder, as Export Flow's utility:exportFlo): not in the template corpus.",
			Run: exportFolder},
		{ID: "http.paginate", Okta: []string{"httpfunctions:paginate"}, Title: "Paginate", Category: "API Connector", Kind: engine.KindFunction, Helper: engine.HelperWaits,
			Inputs: []engine.FieldSpec{{Key: "object", Label: "object", Type: engine.T("object"), Required: true},
				{Key: "path", Label: "path", Type: tString, Required: true, Description: "the key whose absence ends the loop"}},
			ExtensibleInputs: true, Outputs: []engine.FieldSpec{{Key: "output", Label: "output", Type: engine.T("object")}},
			DocURL: help + "http/http_paginate.htm",
			Description: "A do-while loop over a state object: calls the helper flow (card.flow) with the object's keys as its inputs (plus the card's other inputs), " +
				"and the helper's Return becomes the new object (a single object value, or the Return's fields). The loop ends, giving the last object, " +
				"once the object no longer has the key named by `path`; after 5000 calls it is an error naming `path`. A helper that ends without a Return is an error.",
			Run: paginate},
	}
}

// paginateLimit is Okta's cap on Paginate iterations.
const paginateLimit = 5000

func paginate(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	obj, _ := in.Values["object"].(map[string]any)
	path := str(in, "path")
	if in.Card.Flow == "" {
		return nil, engine.InputErrorf("flo", "no helper flow chosen")
	}
	extra := map[string]any{}
	for k, v := range in.Values {
		if k != "object" && k != "path" {
			extra[k] = v
		}
	}
	for i := 0; ; i++ {
		if _, ok := obj[path]; !ok {
			return one("output", obj), nil
		}
		if i == paginateLimit {
			return nil, engine.InputErrorf("path", "the helper still returned %q after %d calls", path, paginateLimit)
		}
		args := make(map[string]any, len(obj)+len(extra)+1)
		for k, v := range extra {
			args[k] = v
		}
		for k, v := range obj {
			args[k] = v
		}
		args["context"] = map[string]any{"index": float64(i)}
		out, err := in.Run.CallFlow(ctx, in.Card.Flow, args)
		if err != nil {
			return nil, fmt.Errorf("call %d: %w", i, err)
		}
		if len(out) == 0 {
			return nil, engine.InputErrorf("object", "call %d: the helper ended without a Return", i)
		}
		if m, ok := olSingle(out).(map[string]any); ok && len(out) == 1 {
			obj = m
		} else {
			obj = out
		}
	}
}

func cipherAlgorithm(in engine.Inputs) string {
	alg := strings.ToLower(strings.TrimSpace(str(in, "algorithm")))
	if alg == "" {
		alg = "aes-256-cbc"
	}
	return alg
}

func hasChoice(cs []engine.Choice, v string) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

func encryptCard(in engine.Inputs, allowed []engine.Choice) (engine.Outputs, error) {
	alg := cipherAlgorithm(in)
	if !hasChoice(allowed, alg) {
		return nil, engine.InputErrorf("algorithm", "unsupported algorithm %q", alg)
	}
	out, err := opensslCrypt(alg, str(in, "key"), []byte(str(in, "data")), true)
	if err != nil {
		return nil, engine.InputErrorf("algorithm", "%v", err)
	}
	return one("output", base64.StdEncoding.EncodeToString(out)), nil
}

// opensslCrypt encrypts or decrypts with an OpenSSL cipher name
// ("aes-256-cbc", "des-ecb"…), deriving key and IV from the passphrase
// like OpenSSL's EVP_BytesToKey (MD5, one round, no salt), with PKCS#7
// padding.
func opensslCrypt(alg, pass string, data []byte, encrypt bool) ([]byte, error) {
	parts := strings.Split(alg, "-")
	var keyLen int
	var mode string
	var newBlock func([]byte) (cipher.Block, error)
	switch {
	case len(parts) == 3 && parts[0] == "aes":
		switch parts[1] {
		case "128":
			keyLen = 16
		case "192":
			keyLen = 24
		case "256":
			keyLen = 32
		default:
			return nil, fmt.Errorf("unsupported algorithm %q", alg)
		}
		mode, newBlock = parts[2], aes.NewCipher
	case len(parts) == 2 && parts[0] == "des":
		keyLen, mode, newBlock = 8, parts[1], des.NewCipher
	default:
		return nil, fmt.Errorf("unsupported algorithm %q", alg)
	}
	if mode != "cbc" && mode != "ecb" {
		return nil, fmt.Errorf("unsupported algorithm %q", alg)
	}
	probe, err := newBlock(make([]byte, keyLen))
	if err != nil {
		return nil, err
	}
	bs := probe.BlockSize()
	ivLen := bs
	if mode == "ecb" {
		ivLen = 0
	}
	key, iv := evpBytesToKey([]byte(pass), keyLen, ivLen)
	block, err := newBlock(key)
	if err != nil {
		return nil, err
	}
	if encrypt {
		pad := bs - len(data)%bs
		buf := append(append([]byte{}, data...), bytes.Repeat([]byte{byte(pad)}, pad)...)
		if mode == "cbc" {
			cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
		} else {
			for i := 0; i < len(buf); i += bs {
				block.Encrypt(buf[i:i+bs], buf[i:i+bs])
			}
		}
		return buf, nil
	}
	if len(data) == 0 || len(data)%bs != 0 {
		return nil, fmt.Errorf("%d bytes is not a whole number of %d-byte blocks", len(data), bs)
	}
	buf := append([]byte{}, data...)
	if mode == "cbc" {
		cipher.NewCBCDecrypter(block, iv).CryptBlocks(buf, buf)
	} else {
		for i := 0; i < len(buf); i += bs {
			block.Decrypt(buf[i:i+bs], buf[i:i+bs])
		}
	}
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > bs || !bytes.Equal(buf[len(buf)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, fmt.Errorf("bad padding")
	}
	return buf[:len(buf)-pad], nil
}

// evpBytesToKey is OpenSSL's EVP_BytesToKey with MD5, one iteration and no salt.
func evpBytesToKey(pass []byte, keyLen, ivLen int) (key, iv []byte) {
	var out, prev []byte
	for len(out) < keyLen+ivLen {
		h := md5.New()
		h.Write(prev)
		h.Write(pass)
		prev = h.Sum(nil)
		out = append(out, prev...)
	}
	return out[:keyLen], out[keyLen : keyLen+ivLen]
}

// sortCustom calls the helper per item and sorts the items by what it returned.
func sortCustom(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	l := olList(in.Values["list"])
	res, err := olCallEach(ctx, in, l, map[string]bool{"list": true, "concurrency": true, "flo": true})
	if err != nil {
		return nil, err
	}
	keys := make([]any, len(l))
	idx := make([]int, len(l))
	for i := range l {
		idx[i] = i
		if len(res[i]) > 0 {
			keys[i] = olSingle(res[i])
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return olLess(keys[idx[a]], keys[idx[b]]) })
	out := make([]any, len(l))
	for i, j := range idx {
		out[i] = l[j]
	}
	return one("list", out), nil
}

// flowLister is the part of the "flows" service (the store) Export Folder
// needs.
type flowLister interface{ Flows() []*engine.Flow }

func exportFolder(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	name := strings.Trim(strings.TrimSpace(str(in, "folder")), "/")
	if name == "" {
		return nil, engine.InputErrorf("folder", "no folder chosen")
	}
	src, ok := in.Run.Service("flows").(flowLister)
	if !ok {
		return nil, errors.New(`Export Folder needs the "flows" service (the flow store); none is configured`)
	}
	b := &engine.Folder{Format: engine.FolderFormat, Name: name}
	for _, f := range src.Flows() {
		if f.Folder == name || strings.HasPrefix(f.Folder, name+"/") {
			c := *f
			c.Revision = 0 // the store's counter, not part of the file
			if c.Format == "" {
				c.Format = engine.FlowFormat
			}
			b.Flows = append(b.Flows, &c)
		}
	}
	if len(b.Flows) == 0 {
		return nil, engine.InputErrorf("folder", "folder %q has no flows", name)
	}
	sort.Slice(b.Flows, func(i, j int) bool { return b.Flows[i].ID < b.Flows[j].ID })
	var out []byte
	var err error
	if pretty, _ := in.Values["pretty"].(bool); pretty {
		n, _ := in.Values["indent"].(float64)
		out, err = json.MarshalIndent(b, "", strings.Repeat(" ", max(1, min(int(n), 8))))
	} else {
		out, err = json.Marshal(b)
	}
	if err != nil {
		return nil, fmt.Errorf("export folder %q: %w", name, err)
	}
	return engine.Outputs{"File Content": string(out), "Filename": name + ".json", "Size": float64(len(out))}, nil
}
