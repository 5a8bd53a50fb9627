package box

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// AuthJWT is Box's server authentication with a key pair: the app signs a
// JWT assertion with its private key and trades it for a token of the
// enterprise's service account.
const (
	AuthJWT      = "boxJWT"
	SecAppConfig = "appConfig"
	// TokenAudience is the aud of every assertion (Box checks it).
	TokenAudience = "https://api.box.com/oauth2/token"
)

func jwtAuth() *kit.AuthMethod {
	return &kit.AuthMethod{ID: AuthJWT, Label: "JWT (server authentication with a key pair)",
		Secrets: []engine.FieldSpec{{Key: SecAppConfig, Label: "App config JSON", Type: engine.T("string"), Required: true,
			Description: "the JSON file the Developer Console gives for the app (Configuration → Add and Manage Public Keys → Generate a Public/Private Keypair)"}},
		Source: func(c *engine.Connection, hc *http.Client) (oauth2.TokenSource, error) {
			cfg, err := ParseAppConfig(c.Secrets[SecAppConfig])
			if err != nil {
				return nil, err
			}
			if cfg.EnterpriseID == "" {
				cfg.EnterpriseID = strings.TrimSpace(engine.ToText(c.Config["enterpriseId"]))
			}
			if cfg.EnterpriseID == "" {
				return nil, errors.New("the enterprise ID is empty (neither in the app config nor in the connection)")
			}
			tokenURL := strings.TrimSpace(engine.ToText(c.Config[kit.CfgTokenURL]))
			if tokenURL == "" {
				tokenURL = TokenAudience
			}
			return &jwtSource{cfg: cfg, hc: hc, url: tokenURL}, nil
		}}
}

// AppConfig is the part of Box's app config JSON the JWT grant uses.
type AppConfig struct {
	ClientID, ClientSecret, PublicKeyID, EnterpriseID string
	Key                                               *rsa.PrivateKey
}

// ParseAppConfig reads Box's app config JSON and decrypts its private key
// with the passphrase it holds.
func ParseAppConfig(raw string) (*AppConfig, error) {
	var f struct {
		Box struct {
			ClientID     string `json:"clientID"`
			ClientSecret string `json:"clientSecret"`
			AppAuth      struct {
				PublicKeyID string `json:"publicKeyID"`
				PrivateKey  string `json:"privateKey"`
				Passphrase  string `json:"passphrase"`
			} `json:"appAuth"`
		} `json:"boxAppSettings"`
		EnterpriseID string `json:"enterpriseID"`
	}
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return nil, fmt.Errorf("the app config is not Box's JSON file: %v", err)
	}
	a := f.Box.AppAuth
	if f.Box.ClientID == "" || f.Box.ClientSecret == "" || a.PublicKeyID == "" || a.PrivateKey == "" {
		return nil, errors.New("the app config lacks boxAppSettings.clientID, clientSecret or appAuth.publicKeyID/privateKey")
	}
	key, err := PrivateKey(a.PrivateKey, a.Passphrase)
	if err != nil {
		return nil, err
	}
	return &AppConfig{ClientID: f.Box.ClientID, ClientSecret: f.Box.ClientSecret, PublicKeyID: a.PublicKeyID,
		EnterpriseID: f.EnterpriseID, Key: key}, nil
}

var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

type encryptedKeyInfo struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

type pbes2Params struct {
	KDF pkix.AlgorithmIdentifier
	Enc pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt      []byte
	Iter      int
	KeyLength int                      `asn1:"optional"`
	PRF       pkix.AlgorithmIdentifier `asn1:"optional"`
}

// PrivateKey reads an RSA private key in PEM: PKCS#8 (plain, or encrypted
// with PBES2 — PBKDF2 with HMAC-SHA-1/256 and AES-CBC, as Box's
// Developer Console and openssl pkcs8 -topk8 -v2 make) or PKCS#1.
func PrivateKey(pemText, passphrase string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(strings.ReplaceAll(pemText, `\n`, "\n")))
	if block == nil {
		return nil, errors.New("the private key is not PEM")
	}
	der := block.Bytes
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		if passphrase == "" {
			return nil, errors.New("the private key is encrypted and the passphrase is empty")
		}
		var err error
		if der, err = decryptPBES2(der, passphrase); err != nil {
			return nil, err
		}
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(der)
	case "PRIVATE KEY":
	default:
		return nil, fmt.Errorf("a %q PEM block is not a private key", block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("reading the private key: %v (a wrong passphrase?)", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("the private key is not an RSA key")
	}
	return rk, nil
}

func decryptPBES2(der []byte, pass string) ([]byte, error) {
	var info encryptedKeyInfo
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, fmt.Errorf("reading the encrypted key: %v", err)
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("the key is encrypted with %v, not PBES2", info.Algo.Algorithm)
	}
	var p pbes2Params
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &p); err != nil {
		return nil, fmt.Errorf("reading PBES2 parameters: %v", err)
	}
	if !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, errors.New("the key's PBES2 does not use PBKDF2")
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("reading PBKDF2 parameters: %v", err)
	}
	prf := func() hash.Hash { return sha1.New() }
	switch {
	case len(kdf.PRF.Algorithm) == 0, kdf.PRF.Algorithm.Equal(oidHMACSHA1):
	case kdf.PRF.Algorithm.Equal(oidHMACSHA256):
		prf = sha256.New
	default:
		return nil, fmt.Errorf("unsupported PBKDF2 PRF %v", kdf.PRF.Algorithm)
	}
	var keyLen int
	switch {
	case p.Enc.Algorithm.Equal(oidAES128CBC):
		keyLen = 16
	case p.Enc.Algorithm.Equal(oidAES192CBC):
		keyLen = 24
	case p.Enc.Algorithm.Equal(oidAES256CBC):
		keyLen = 32
	default:
		return nil, fmt.Errorf("unsupported key cipher %v (AES-CBC expected)", p.Enc.Algorithm)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(p.Enc.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
		return nil, errors.New("reading the cipher's IV")
	}
	key, err := pbkdf2.Key(prf, pass, kdf.Salt, kdf.Iter, keyLen)
	if err != nil {
		return nil, err
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(info.Data) == 0 || len(info.Data)%aes.BlockSize != 0 {
		return nil, errors.New("the encrypted key has a bad length")
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(blk, iv).CryptBlocks(out, info.Data)
	n := int(out[len(out)-1])
	if n == 0 || n > aes.BlockSize || n > len(out) {
		return nil, errors.New("the passphrase does not open the private key")
	}
	for _, b := range out[len(out)-n:] {
		if int(b) != n {
			return nil, errors.New("the passphrase does not open the private key")
		}
	}
	return out[:len(out)-n], nil
}

// jwtSource trades a fresh signed assertion for each token.
type jwtSource struct {
	cfg *AppConfig
	hc  *http.Client
	url string
}

// Assertion is the signed JWT of one token request.
func (c *AppConfig) Assertion(now time.Time) (string, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": c.ClientID, "sub": c.EnterpriseID,
		"box_sub_type": "enterprise", "aud": TokenAudience, "jti": hex.EncodeToString(b), "exp": now.Add(45 * time.Second).Unix()})
	t.Header["kid"] = c.PublicKeyID
	return t.SignedString(c.Key)
}

func (s *jwtSource) Token() (*oauth2.Token, error) {
	a, err := s.cfg.Assertion(time.Now())
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {a},
		"client_id": {s.cfg.ClientID}, "client_secret": {s.cfg.ClientSecret}}
	resp, err := s.hc.PostForm(s.url, form)
	if err != nil {
		return nil, fmt.Errorf("asking Box for a token: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &t)
	if resp.StatusCode != http.StatusOK || t.AccessToken == "" {
		if t.Error != "" {
			return nil, fmt.Errorf("Box refused the JWT assertion: %s: %s", t.Error, t.Description)
		}
		return nil, fmt.Errorf("Box's token endpoint answered HTTP %d", resp.StatusCode)
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: "Bearer", Expiry: time.Now().Add(time.Duration(t.ExpiresIn) * time.Second)}, nil
}
