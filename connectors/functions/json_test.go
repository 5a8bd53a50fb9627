package functions

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/flowbench/flowbench/engine"
)

func TestJSONURLCards(t *testing.T) {
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/JSON/json_parse.htm
		{name: "parse object", card: "json:parse", in: ins("string", `{"a":[1,"x",{"b":null}]}`),
			want: map[string]any{"output": map[string]any{"a": []any{1.0, "x", map[string]any{"b": nil}}}}},
		{name: "parse list into typed output", card: "json.parse", in: ins("string", `["a","b"]`), outs: []engine.Field{{Key: "output", Type: engine.T("string[]")}},
			want: map[string]any{"output": []any{"a", "b"}}},
		// the declared output type is advisory (Okta templates parse "[]" into an output typed object)
		{name: "parse list into object output", card: "json.parse", in: ins("string", `["a"]`), outs: []engine.Field{{Key: "output", Type: engine.T("object")}},
			want: map[string]any{"output": []any{"a"}}},
		{name: "parse scalar", card: "json.parse", in: ins("string", `12`), want: map[string]any{"output": 12.0}},
		{name: "parse invalid", card: "json.parse", in: ins("string", `{a:1}`), errIn: "string"},
		{name: "parse empty", card: "json.parse", in: ins("string", ""), errIn: "string"},
		// .../JSON/json_stringify.htm
		{name: "stringify object", card: "json:stringify", in: ins("object", map[string]any{"b": "<x>", "a": []any{1.0, true, nil}}),
			want: map[string]any{"output": `{"a":[1,true,null],"b":"<x>"}`}},
		{name: "stringify text", card: "json.stringify", in: ins("object", "abc"), want: map[string]any{"output": `"abc"`}},
		{name: "stringify null", card: "json.stringify", in: ins("object", nil), want: map[string]any{"output": `null`}},
		// .../URL/url_encodecomponent.htm, url_decodecomponent.htm
		{name: "encode component", card: "url.encodeComponent", in: ins("string", "a b&c=d/é!*'()~"), want: map[string]any{"output": "a%20b%26c%3Dd%2F%C3%A9!*'()~"}},
		{name: "decode component", card: "url:decodeComponent", in: ins("string", "a%20b%26c+d%C3%A9"), want: map[string]any{"output": "a b&c+dé"}},
		{name: "decode malformed", card: "url.decodeComponent", in: ins("string", "100%"), errIn: "string"},
		{name: "decode bad utf8", card: "url.decodeComponent", in: ins("string", "%C3"), errIn: "string"},
	})
}

func TestCryptoCards(t *testing.T) {
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/Encryption/encryption_hmac.htm
		// RFC 4231 test case 2.
		{name: "hmac sha256 hex", card: "crypto:hmac", in: ins("algorithm", "sha256", "key", "Jefe", "data", "what do ya want for nothing?", "digest", "hex"),
			want: map[string]any{"output": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"}},
		{name: "hmac sha512 base64 default", card: "crypto.hmac", in: ins("algorithm", "sha512", "key", "Jefe", "data", "what do ya want for nothing?"),
			want: map[string]any{"output": "Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9yuqxo01Ka0tjbgcKOLznNw=="}},
		{name: "hmac RSA alias", card: "crypto.hmac", in: ins("algorithm", "RSA-SHA256", "key", "Jefe", "data", "what do ya want for nothing?", "digest", "hex"),
			want: map[string]any{"output": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"}},
		{name: "hmac unsupported", card: "crypto.hmac", in: ins("algorithm", "whirlpool", "key", "k", "data", "d"), errIn: "algorithm"},
		{name: "hmac missing key", card: "crypto.hmac", in: ins("algorithm", "sha256", "data", "d"), errIn: "key"},
		// .../Encryption/encryption_hash.htm
		{name: "hash sha256", card: "crypto:hash", in: ins("data", "abc"), want: map[string]any{"output": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}},
		{name: "hash md5 base64", card: "crypto.hash", in: ins("algorithm", "md5", "data", "", "digest", "base64"), want: map[string]any{"output": "1B2M2Y8AsgTpgAmY7PhCfg=="}},
		{name: "hash binary", card: "crypto.hash", in: ins("algorithm", "sha1", "data", "abc", "digest", "binary"), check: func(o map[string]any) string {
			if s, _ := o["output"].(string); len([]rune(s)) != 20 {
				return "want 20 characters"
			}
			return ""
		}},
	})
}

func pemOf(t *testing.T, typ string, der []byte, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestJWTCards(t *testing.T) {
	fixClock(t, "2024-01-01T00:00:00Z")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaPriv := pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), nil)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	rsaPriv8 := pemOf(t, "PRIVATE KEY", pkcs8, err)
	pub, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	rsaPub := pemOf(t, "PUBLIC KEY", pub, err)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDer, err := x509.MarshalECPrivateKey(ecKey)
	ecPriv := pemOf(t, "EC PRIVATE KEY", ecDer, err)
	ecPubDer, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	ecPub := pemOf(t, "PUBLIC KEY", ecPubDer, err)

	sign := func(alg, key string, extra ...engine.Field) (string, error) {
		in := append([]engine.Field{v("key", key), v("algorithm", alg), v("issuer", "flowbench"), v("audience", "https://oauth2.googleapis.com/token"),
			v("expiresIn", 600.0), vg("payload", "scope", "string", "read"), vg("payload", "n", "number", 2.0)}, extra...)
		out, err := runCard(t, "jwt:sign", in)
		if err != nil {
			return "", err
		}
		return out["token"].(string), nil
	}
	// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/JWT/jwt_sign.htm
	for _, c := range []struct{ alg, priv, pub string }{
		{"HS256", "s3cret", "s3cret"}, {"HS512", "s3cret", "s3cret"}, {"RS256", rsaPriv, rsaPub}, {"RS256", rsaPriv8, rsaPub},
		{"PS384", strings.ReplaceAll(rsaPriv, "\n", `\n`), rsaPub}, {"ES256", ecPriv, ecPub},
	} {
		tok, err := sign(c.alg, c.priv)
		if err != nil {
			t.Fatalf("%s sign: %v", c.alg, err)
		}
		// independent check with the library
		parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
			switch c.alg[:2] {
			case "HS":
				return []byte(c.pub), nil
			case "ES":
				return &ecKey.PublicKey, nil
			}
			return &rsaKey.PublicKey, nil
		}, jwt.WithTimeFunc(now))
		if err != nil {
			t.Fatalf("%s: library rejects token: %v", c.alg, err)
		}
		cl := parsed.Claims.(jwt.MapClaims)
		if cl["iss"] != "flowbench" || cl["scope"] != "read" || cl["n"] != 2.0 || cl["exp"] != 1704067800.0 || cl["iat"] != 1704067200.0 {
			t.Fatalf("%s claims %v", c.alg, cl)
		}
		// the card verifies it too
		out, err := runCard(t, "jwt.verify", ins("token", tok, "key", c.pub, "algorithm", c.alg))
		if err != nil {
			t.Fatalf("%s verify: %v", c.alg, err)
		}
		if p := out["payload"].(map[string]any); p["scope"] != "read" {
			t.Fatalf("%s verify payload %v", c.alg, p)
		}
	}
	tok, _ := sign("HS256", "s3cret", v("header", `{"kid":"k1"}`), v("noTimestamp", true))
	runCases(t, []cardCase{
		// .../JWT/jwt_decode.htm
		{name: "decode", card: "jwt.decode", in: ins("token", tok), check: func(o map[string]any) string {
			h, p := o["header"].(map[string]any), o["payload"].(map[string]any)
			if h["kid"] != "k1" || h["alg"] != "HS256" || p["scope"] != "read" || p["iat"] != nil {
				return "bad decode"
			}
			return ""
		}},
		{name: "decode malformed", card: "jwt.decode", in: ins("token", "abc.def"), errIn: "token"},
		{name: "decode not json", card: "jwt.decode", in: ins("token", "YWJj.YWJj.x"), errIn: "token"},
		// .../JWT/jwt_verify.htm
		{name: "verify wrong secret", card: "jwt.verify", in: ins("token", tok, "key", "other"), errIn: "token"},
		{name: "verify wrong algorithm", card: "jwt.verify", in: ins("token", tok, "key", "s3cret", "algorithm", "HS512"), errIn: "token"},
		{name: "verify bad pem", card: "jwt.verify", in: ins("token", mustSign(t, jwt.SigningMethodRS256, rsaKey), "key", "not a key"), errIn: "key"},
		{name: "sign bad pem", card: "jwt.sign", in: ins("key", "nope", "algorithm", "RS256"), errIn: "key"},
		{name: "sign bad header", card: "jwt.sign", in: ins("key", "k", "algorithm", "HS256", "header", "[1]"), errIn: "header"},
		{name: "sign no secret", card: "jwt.sign", in: ins("algorithm", "HS256"), errIn: "key"},
	})
	// expired token
	expired, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"exp": 1000}).SignedString([]byte("k"))
	if _, err := runCard(t, "jwt.verify", ins("token", expired, "key", "k")); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired token: %v", err)
	}
}

func mustSign(t *testing.T, m jwt.SigningMethod, key any) string {
	s, err := jwt.NewWithClaims(m, jwt.MapClaims{"a": 1}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
