package awsidc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/awsidc/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	f, err := Connector.Fake()
	if err != nil {
		t.Fatal(err)
	}
	return kittest.Start(t, Connector, kittest.Options{Fake: f}), f.(*fake.Server)
}

func TestOnboardingToAnAccount(t *testing.T) {
	h, f := start(t)
	u := h.MustRun(NS+":createUser", map[string]any{"User Name": "nina.petrova@example.com", "First Name": "Nina", "Last Name": "Petrova",
		"Email": "nina.petrova@example.com"})
	id, _ := u["User ID"].(string)
	if id == "" {
		t.Fatalf("create: %v", u)
	}
	r := h.MustRun(NS+":readUser", map[string]any{"User": "nina.petrova@example.com"})
	if r["User ID"] != id || r["Display Name"] != "Nina Petrova" || r["Email"] != "nina.petrova@example.com" {
		t.Fatalf("read by user name: %v", r)
	}
	h.MustRun(NS+":addUserToGroup", map[string]any{"User": "nina.petrova@example.com", "Group": "Engineering"})
	if got := strings.Join(f.GroupsOf("nina.petrova@example.com"), ","); got != "Engineering" {
		t.Fatalf("groups: %s", got)
	}
	a := h.MustRun(NS+":assignAccountAccess", map[string]any{"principalType": "User", "User or Group": id,
		"AWS Account ID": fake.AccountID, "Permission Set": "ReadOnlyAccess"})
	if a["Status"] != "IN_PROGRESS" || a["Request ID"] == nil {
		t.Fatalf("assign: %v", a)
	}
	h.MustRun(NS+":assignAccountAccess", map[string]any{"principalType": "Group", "User or Group": "AWS Admins",
		"AWS Account ID": fake.AccountID, "Permission Set": f.PermissionSetArn("AdministratorAccess")})
	as := f.Assignments()
	if len(as) != 2 || as[0].PrincipalID != id || as[0].PermissionSet != f.PermissionSetArn("ReadOnlyAccess") || as[1].PrincipalType != "GROUP" {
		t.Fatalf("assignments: %+v", as)
	}
	h.MustRun(NS+":removeAccountAccess", map[string]any{"User or Group": "nina.petrova@example.com", "AWS Account ID": fake.AccountID,
		"Permission Set": "ReadOnlyAccess"})
	h.MustRun(NS+":removeUserFromGroup", map[string]any{"User": id, "Group": "Engineering"})
	if len(f.Assignments()) != 1 || len(f.GroupsOf("nina.petrova@example.com")) != 0 {
		t.Fatalf("after removal: %+v %v", f.Assignments(), f.GroupsOf("nina.petrova@example.com"))
	}
	h.MustRun(NS+":deleteUser", map[string]any{"User": id})
	_, _, err := h.Run(NS+":readUser", map[string]any{"User": id})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Code != "ResourceNotFoundException" {
		t.Fatalf("read after delete: %v", err)
	}
	// every request was signed for its own service
	for _, ex := range h.Rec.Exchanges() {
		auth := ex.ReqHeader.Get("Authorization")
		svc := "/identitystore/"
		if strings.HasPrefix(ex.ReqHeader.Get("X-Amz-Target"), "SWBExternalService.") {
			svc = "/sso/"
		}
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+fake.DefaultAccessKeyID+"/") || !strings.Contains(auth, svc) {
			t.Fatalf("%s signed as %s", ex.ReqHeader.Get("X-Amz-Target"), auth)
		}
	}
}

func TestBadInputsAndCredentials(t *testing.T) {
	h, f := start(t)
	_, _, err := h.Run(NS+":assignAccountAccess", map[string]any{"User or Group": "alice.nguyen@example.com", "AWS Account ID": "12345",
		"Permission Set": "ReadOnlyAccess"})
	if err == nil || !strings.Contains(err.Error(), "AWS Account ID") {
		t.Fatalf("a short account id must name the field: %v", err)
	}
	_, _, err = h.Run(NS+":assignAccountAccess", map[string]any{"User or Group": "alice.nguyen@example.com", "AWS Account ID": fake.AccountID,
		"Permission Set": "NoSuchSet"})
	if err == nil || !strings.Contains(err.Error(), "NoSuchSet") {
		t.Fatalf("an unknown permission set must be named: %v", err)
	}
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || rep.Info["identityStoreId"] != fake.IdentityStoreID {
		t.Fatalf("ladder: %+v", rep)
	}
	wrong := *h.Conn
	wrong.Secrets = map[string]string{SecSecretKey: "not-the-secret"}
	rep = Connector.TestWith(context.Background(), &wrong, kit.ClientOptions{})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Code != "InvalidSignatureException" || !strings.Contains(last.Hint, "secret access key") {
		t.Fatalf("wrong secret: %+v", rep)
	}
	f.Revoke()
	rep = Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	last = rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Code != "UnrecognizedClientException" || !strings.Contains(last.Hint, "new access key") {
		t.Fatalf("revoked key: %+v", rep)
	}
	for _, ex := range h.Rec.Exchanges() {
		if strings.Contains(string(ex.ReqBody)+string(ex.RespBody), fake.DefaultSecretAccessKey) {
			t.Fatal("the secret access key was sent")
		}
	}
}
