package box

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/box/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
)

// testdata/jwt-test-key.enc.pem was made for these tests with
// openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -passout pass:flowbench-test
// (the Developer Console's format); jwt-test-key.pem is the same key unencrypted.
const testPass = "flowbench-test"

func readKey(t *testing.T, name string) string {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPrivateKeyFormats(t *testing.T) {
	plain, err := PrivateKey(readKey(t, "jwt-test-key.pem"), "")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := PrivateKey(readKey(t, "jwt-test-key.enc.pem"), testPass)
	if err != nil {
		t.Fatal(err)
	}
	if !plain.Equal(enc) {
		t.Fatal("the encrypted key decrypts to another key")
	}
	if _, err := PrivateKey(readKey(t, "jwt-test-key.enc.pem"), "wrong"); err == nil || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("a wrong passphrase must be named: %v", err)
	}
	if _, err := PrivateKey(readKey(t, "jwt-test-key.enc.pem"), ""); err == nil || !strings.Contains(err.Error(), "passphrase is empty") {
		t.Fatalf("a missing passphrase must be named: %v", err)
	}
}

func TestJWTConnection(t *testing.T) {
	key, err := PrivateKey(readKey(t, "jwt-test-key.enc.pem"), testPass)
	if err != nil {
		t.Fatal(err)
	}
	f := fake.New(fake.Config{JWTKey: &key.PublicKey, JWTKeyID: "fbkey01"})
	appCfg := map[string]any{"boxAppSettings": map[string]any{"clientID": fake.DefaultClientID, "clientSecret": fake.DefaultClientSecret,
		"appAuth": map[string]any{"publicKeyID": "fbkey01", "privateKey": readKey(t, "jwt-test-key.enc.pem"), "passphrase": testPass}},
		"enterpriseID": fake.DefaultEnterpriseID}
	raw, _ := json.Marshal(appCfg)
	h := kittest.Start(t, Connector, kittest.Options{Fake: f, Connection: func(c *engine.Connection) {
		c.Config[kit.CfgAuthMethod] = AuthJWT
		c.Secrets = map[string]string{SecAppConfig: string(raw)}
	}})
	out := h.MustRun(NS+":searchForUser", map[string]any{"Search By": "Email", "User Details": "carol.okafor@example.com"})
	if out["User ID"] != "10003" {
		t.Fatalf("search with a JWT connection: %v", out)
	}
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || rep.Steps[1].Name != kit.StepToken {
		t.Fatalf("ladder: %+v", rep)
	}
	// another key id: Box refuses the assertion
	appCfg["boxAppSettings"].(map[string]any)["appAuth"].(map[string]any)["publicKeyID"] = "other"
	raw, _ = json.Marshal(appCfg)
	bad := *h.Conn
	bad.Secrets = map[string]string{SecAppConfig: string(raw)}
	rep = Connector.TestWith(context.Background(), &bad, kit.ClientOptions{})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Name != kit.StepToken || !strings.Contains(last.Message, "invalid_grant") {
		t.Fatalf("unknown key id: %+v", rep)
	}
	for _, ex := range h.Rec.Exchanges() {
		if strings.Contains(string(ex.ReqBody), "BEGIN") {
			t.Fatal("the private key was sent")
		}
	}
}
