package functions

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/flowbench/flowbench/engine"
)

// JSON, URL, Encryption (crypto) and JWT cards.

func advSpec(id, okta, title, category, url, desc string, in, out []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	return &engine.Spec{ID: id, Okta: []string{okta}, Title: title, Category: category, Kind: engine.KindFunction,
		Description: desc, Inputs: in, Outputs: out, Run: run, DocURL: url}
}

var digestChoices = []engine.Choice{{Value: "base64", Label: "base64"}, {Value: "hex", Label: "hex"}, {Value: "binary", Label: "binary"}}

// hashAlgorithms are the digests HMAC and Hash support, by Okta's (Node.js) names.
var hashAlgorithms = map[string]func() hash.Hash{
	"md5": md5.New, "sha1": sha1.New, "sha224": sha256.New224, "sha256": sha256.New,
	"sha384": sha512.New384, "sha512": sha512.New,
	"RSA-MD5": md5.New, "RSA-SHA1": sha1.New, "RSA-SHA224": sha256.New224, "RSA-SHA256": sha256.New,
	"RSA-SHA384": sha512.New384, "RSA-SHA512": sha512.New,
}

var hashChoices = func() []engine.Choice {
	var out []engine.Choice
	for _, k := range []string{"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "RSA-MD5", "RSA-SHA1", "RSA-SHA224", "RSA-SHA256", "RSA-SHA384", "RSA-SHA512"} {
		out = append(out, engine.Choice{Value: k, Label: k})
	}
	return out
}()

var jwtAlgs = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}

func jwtChoices() []engine.Choice {
	out := make([]engine.Choice, len(jwtAlgs))
	for i, a := range jwtAlgs {
		out[i] = engine.Choice{Value: a, Label: a}
	}
	return out
}

func init() {
	outText := []engine.FieldSpec{fs("output", "output", tString)}
	for _, s := range []*engine.Spec{
		advSpec("json.parse", "json:parse", "Parse", "JSON", help+"JSON/json_parse.htm",
			"Parses JSON text into a value (object, list, text, number, true/false or null). When the card declares the type of `output` (object, list of text…), the value is converted to it loosely where it can be; JSON of another shape (a list where an object is declared) comes out as it is, as in Okta. Invalid JSON, and empty text, are errors naming `string`.",
			[]engine.FieldSpec{req("string", "string", tString)}, []engine.FieldSpec{fs("output", "output", tAny)}, parseJSON),
		advSpec("json.stringify", "json:stringify", "Stringify", "JSON", help+"JSON/json_stringify.htm",
			"Writes any value as compact JSON text (JSON.stringify): objects and lists as JSON, text quoted (\"abc\" → \"\\\"abc\\\"\"), null as null. Decision: object keys come out in alphabetical order (the engine does not keep insertion order) and <, >, & are not escaped.",
			[]engine.FieldSpec{fs("object", "object", tAny)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				s, err := jsonText(in.Values["object"])
				if err != nil {
					return nil, engine.InputErrorf("object", "cannot write as JSON: %v", err)
				}
				return one("output", s), nil
			}),
		advSpec("url.encodeComponent", "url:encodeComponent", "Encode Component", "URL", help+"URL/url_encodecomponent.htm",
			"Percent-encodes text for use inside a URL component (JavaScript encodeURIComponent): everything except letters, digits and - _ . ! ~ * ' ( ) is written as UTF-8 %XX (a space becomes %20). Okta kind chosen (url:encodeComponent): not in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				return one("output", encodeURIComponent(str(in, "string"))), nil
			}),
		advSpec("url.decodeComponent", "url:decodeComponent", "Decode Component", "URL", help+"URL/url_decodecomponent.htm",
			"Decodes %XX sequences (JavaScript decodeURIComponent); + stays +. A malformed sequence is an error naming `string`. Okta kind chosen (url:decodeComponent): not in the template corpus.",
			[]engine.FieldSpec{fs("string", "text", tString)}, outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				s, err := decodeURIComponent(str(in, "string"))
				if err != nil {
					return nil, engine.InputErrorf("string", "%v", err)
				}
				return one("output", s), nil
			}),
		advSpec("crypto.hmac", "crypto:hmac", "HMAC", "Encryption", help+"Encryption/encryption_hmac.htm",
			"HMAC of `data` (UTF-8 text) with the secret `key`, using the hash `algorithm` (md5, sha1, sha224, sha256, sha384, sha512 and their RSA-* aliases; Okta also lists DSA and legacy digests, which are refused as an error naming `algorithm`). `digest` chooses the output: base64 (default), hex, or binary (one character per byte).",
			[]engine.FieldSpec{{Key: "algorithm", Label: "algorithm", Type: tString, Required: true, Default: "sha256", Choices: hashChoices},
				req("key", "key", tString), req("data", "data", tString),
				{Key: "digest", Label: "digest", Type: tString, Default: "base64", Choices: digestChoices}},
			outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				h, ok := hashAlgorithms[str(in, "algorithm")]
				if !ok {
					return nil, engine.InputErrorf("algorithm", "unsupported algorithm %q", str(in, "algorithm"))
				}
				m := hmac.New(h, []byte(str(in, "key")))
				m.Write([]byte(str(in, "data")))
				return digestOut(m.Sum(nil), str(in, "digest"))
			}),
		advSpec("crypto.hash", "crypto:hash", "Hash", "Encryption", help+"Encryption/encryption_hash.htm",
			"Hash of `data` (UTF-8 text) with `algorithm` (md5, sha1, sha224, sha256 default, sha384, sha512), written as `digest` (hex default, base64, or binary). Okta kind and keys chosen: not in the template corpus.",
			[]engine.FieldSpec{{Key: "algorithm", Label: "algorithm", Type: tString, Default: "sha256", Choices: hashChoices},
				fs("data", "data", tString),
				{Key: "digest", Label: "digest", Type: tString, Default: "hex", Choices: digestChoices}},
			outText,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				h, ok := hashAlgorithms[str(in, "algorithm")]
				if !ok {
					return nil, engine.InputErrorf("algorithm", "unsupported algorithm %q", str(in, "algorithm"))
				}
				d := h()
				d.Write([]byte(str(in, "data")))
				return digestOut(d.Sum(nil), str(in, "digest"))
			}),
		withExt(advSpec("jwt.sign", "jwt:sign", "Sign", "JWT", help+"JWT/jwt_sign.htm",
			"Signs a JSON Web Token. Claims are the inputs in group `payload` (by key) plus the options: `issuer` (iss), `subject` (sub), `audience` (aud), `jwtid` (jti), `iat` = now unless `noTimestamp`, `expiresIn` seconds (exp = iat + expiresIn; empty or 0 = no expiry), `notBefore` seconds (nbf = iat + notBefore). `header` may hold extra header fields as a JSON object. `key` is the shared secret for HS* algorithms and a PEM private key (PKCS#1, PKCS#8 or EC) for RS*, PS* and ES*. A bad key is an error naming `key`.",
			[]engine.FieldSpec{fs("key", "key", tString),
				{Key: "audience", Group: "options", Label: "audience", Type: tString},
				{Key: "issuer", Group: "options", Label: "issuer", Type: tString},
				{Key: "expiresIn", Group: "options", Label: "expires in (seconds)", Type: tNumber},
				{Key: "jwtid", Group: "options", Label: "JWT id", Type: tString},
				{Key: "noTimestamp", Group: "options", Label: "no timestamp", Type: tBool},
				{Key: "header", Group: "options", Label: "header", Type: tString},
				{Key: "notBefore", Group: "options", Label: "not before (seconds)", Type: tNumber},
				{Key: "subject", Group: "options", Label: "subject", Type: tString},
				{Key: "algorithm", Group: "options", Label: "algorithm", Type: tString, Required: true, Default: "HS256", Choices: jwtChoices()}},
			[]engine.FieldSpec{fs("token", "token", tString)}, jwtSign), true),
		advSpec("jwt.decode", "jwt:decode", "Decode", "JWT", help+"JWT/jwt_decode.htm",
			"Reads a JSON Web Token's header and payload WITHOUT checking its signature (use Verify for that). A token that is not three Base64URL parts with JSON header and payload is an error naming `token`. Okta kind and keys chosen: not in the template corpus.",
			[]engine.FieldSpec{req("token", "token", tString)},
			[]engine.FieldSpec{fs("header", "header", tObject), fs("payload", "payload", tObject), fs("signature", "signature", tString)},
			jwtDecode),
		advSpec("jwt.verify", "jwt:verify", "Verify", "JWT", help+"JWT/jwt_verify.htm",
			"Checks a JSON Web Token's signature with `key` (the shared secret for HS*, a PEM public key or certificate for RS*, PS*, ES*) and its exp/nbf times, and gives its payload. `algorithm` (default: the token's own, among those the key type allows) pins the accepted algorithm. Any failure — bad signature, expired, wrong algorithm, malformed — is an error naming `token` (or `key` for an unreadable key), so If Error can catch it. Okta kind and keys chosen: not in the template corpus.",
			[]engine.FieldSpec{req("token", "token", tString), req("key", "key", tString),
				{Key: "algorithm", Label: "algorithm", Type: tString, Choices: jwtChoices()}},
			[]engine.FieldSpec{fs("payload", "payload", tObject), fs("header", "header", tObject)},
			jwtVerify),
	} {
		engine.Register(s)
	}
}

func parseJSON(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := str(in, "string")
	if strings.TrimSpace(s) == "" {
		return nil, engine.InputErrorf("string", "empty text is not JSON")
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, engine.InputErrorf("string", "text is not JSON: %v", err)
	}
	if in.Card != nil {
		for i := range in.Card.Outputs {
			f := &in.Card.Outputs[i]
			if f.Key == "output" && f.Type != nil && v != nil {
				// the declared type is advisory, as in Okta: it converts loosely,
				// and JSON of another shape (a list for an object) comes out as is
				if c, err := engine.Coerce(v, f.Type); err == nil {
					v = c
				}
			}
		}
	}
	return one("output", v), nil
}

func digestOut(sum []byte, digest string) (engine.Outputs, error) {
	switch digest {
	case "", "base64":
		return one("output", base64.StdEncoding.EncodeToString(sum)), nil
	case "hex":
		return one("output", hex.EncodeToString(sum)), nil
	case "binary", "latin1":
		r := make([]rune, len(sum))
		for i, b := range sum {
			r[i] = rune(b)
		}
		return one("output", string(r)), nil
	}
	return nil, engine.InputErrorf("digest", "unknown digest %q (base64, hex, binary)", digest)
}

const uriUnreserved = "-_.!~*'()"

func encodeURIComponent(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(uriUnreserved, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func decodeURIComponent(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("malformed escape at position %d", i)
		}
		h, ok1 := unhex(s[i+1])
		l, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("malformed escape %q at position %d", s[i:i+3], i)
		}
		b = append(b, h<<4|l)
		i += 2
	}
	if !utf8Valid(b) {
		return "", errors.New("the escapes do not form UTF-8 text")
	}
	return string(b), nil
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

func jwtSign(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	alg := str(in, "algorithm")
	if alg == "" {
		alg = "HS256"
	}
	method := jwt.GetSigningMethod(alg)
	if method == nil {
		return nil, engine.InputErrorf("algorithm", "unsupported algorithm %q", alg)
	}
	claims := jwt.MapClaims{}
	if in.Card != nil {
		for i := range in.Card.Inputs {
			if f := &in.Card.Inputs[i]; f.Group == "payload" {
				claims[f.Key] = in.Values[f.Key]
			}
		}
	}
	for key, claim := range map[string]string{"issuer": "iss", "subject": "sub", "audience": "aud", "jwtid": "jti"} {
		if v := str(in, key); v != "" {
			claims[claim] = v
		}
	}
	iat := now().Unix()
	if !flag(in, "noTimestamp", false) {
		claims["iat"] = iat
	}
	if n, ok := num(in, "expiresIn"); ok && n != 0 {
		claims["exp"] = iat + int64(n)
	}
	if n, ok := num(in, "notBefore"); ok {
		claims["nbf"] = iat + int64(n)
	}
	tok := jwt.NewWithClaims(method, claims)
	if h := strings.TrimSpace(str(in, "header")); h != "" {
		var extra map[string]any
		if err := json.Unmarshal([]byte(h), &extra); err != nil {
			return nil, engine.InputErrorf("header", "header must be a JSON object: %v", err)
		}
		for k, v := range extra {
			if k != "alg" {
				tok.Header[k] = v
			}
		}
	}
	key, err := signingKey(alg, str(in, "key"))
	if err != nil {
		return nil, engine.InputErrorf("key", "%v", err)
	}
	s, err := tok.SignedString(key)
	if err != nil {
		return nil, engine.InputErrorf("key", "cannot sign: %v", err)
	}
	return one("token", s), nil
}

func signingKey(alg, key string) (any, error) {
	switch alg[:2] {
	case "HS":
		if key == "" {
			return nil, errors.New("a secret is required")
		}
		return []byte(key), nil
	case "RS", "PS":
		return jwt.ParseRSAPrivateKeyFromPEM([]byte(pemText(key)))
	case "ES":
		return jwt.ParseECPrivateKeyFromPEM([]byte(pemText(key)))
	}
	return nil, fmt.Errorf("unsupported algorithm %q", alg)
}

func verifyKey(alg, key string) (any, error) {
	switch alg[:2] {
	case "HS":
		if key == "" {
			return nil, errors.New("a secret is required")
		}
		return []byte(key), nil
	case "RS", "PS":
		return jwt.ParseRSAPublicKeyFromPEM([]byte(pemText(key)))
	case "ES":
		return jwt.ParseECPublicKeyFromPEM([]byte(pemText(key)))
	}
	return nil, fmt.Errorf("unsupported algorithm %q", alg)
}

// pemText restores line breaks in a PEM key pasted with "\n" escapes.
func pemText(k string) string {
	if !strings.Contains(k, "\n") && strings.Contains(k, `\n`) {
		k = strings.ReplaceAll(k, `\n`, "\n")
	}
	return strings.TrimSpace(k)
}

func jwtDecode(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	parts := strings.Split(strings.TrimSpace(str(in, "token")), ".")
	if len(parts) != 3 {
		return nil, engine.InputErrorf("token", "a JWT has 3 parts separated by dots, this has %d", len(parts))
	}
	var out [2]map[string]any
	for i := 0; i < 2; i++ {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil {
			return nil, engine.InputErrorf("token", "part %d is not Base64URL: %v", i+1, err)
		}
		if err := json.Unmarshal(b, &out[i]); err != nil || out[i] == nil {
			return nil, engine.InputErrorf("token", "part %d is not a JSON object", i+1)
		}
	}
	return engine.Outputs{"header": out[0], "payload": out[1], "signature": parts[2]}, nil
}

func jwtVerify(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	raw := strings.TrimSpace(str(in, "token"))
	want := str(in, "algorithm")
	var keyErr error
	opts := []jwt.ParserOption{jwt.WithTimeFunc(now), jwt.WithLeeway(0)}
	if want != "" {
		opts = append(opts, jwt.WithValidMethods([]string{want}))
	} else {
		opts = append(opts, jwt.WithValidMethods(jwtAlgs))
	}
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		k, err := verifyKey(t.Method.Alg(), str(in, "key"))
		if err != nil {
			keyErr = err
		}
		return k, err
	}, opts...)
	if keyErr != nil {
		return nil, engine.InputErrorf("key", "%v", keyErr)
	}
	if err != nil {
		return nil, engine.InputErrorf("token", "%v", err)
	}
	claims, _ := tok.Claims.(jwt.MapClaims)
	payload := map[string]any(claims)
	return engine.Outputs{"payload": normalizeJSON(payload), "header": normalizeJSON(tok.Header)}, nil
}

// normalizeJSON round-trips a value through JSON so it holds only plain JSON types.
func normalizeJSON(v map[string]any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}
