package box

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/box/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
)

func spec(t *testing.T) *kit.SpecValidator {
	return kittest.SpecFile(t, "testdata/box-openapi.json", "")
}

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Connector, kittest.Options{Fake: f, Spec: spec(t)})
	h.Rec.Strict = false
	return h, f
}

// checked fails when a call went to a path the description does not cover.
func checked(t *testing.T, h *kittest.Harness) {
	t.Helper()
	// the token endpoint lives outside /2.0 (its own server in the description)
	root := kittest.SpecFile(t, "testdata/box-openapi.json", "/")
	for _, ex := range h.Rec.Exchanges() {
		switch {
		case strings.HasPrefix(ex.Path, "/2.0/"): // checked by the recorder
		case ex.Path == "/oauth2/token":
			req, _ := http.NewRequest(ex.Method, "http://box.test"+ex.Path, bytes.NewReader(ex.ReqBody))
			req.Header = ex.ReqHeader
			resp := &http.Response{StatusCode: ex.Status, Header: ex.RespHeader}
			if err := root.Check(req, ex.ReqBody, resp, ex.RespBody); err != nil {
				t.Errorf("token request: %v", err)
			}
		default:
			t.Errorf("%s %s is outside the Box API description", ex.Method, ex.Path)
		}
	}
}

func TestDeprovisioningWithBox(t *testing.T) {
	h, f := start(t)
	// the template: find the leaver and their manager, move the files, delete the leaver
	leaver := h.MustRun(NS+":searchForUser", map[string]any{"Search By": "Email", "Result Set": "First Matching User", "User Details": "bob.martinez@example.com"})
	manager := h.MustRun(NS+":searchForUser", map[string]any{"Search By": "Email", "User Details": "david.kim@example.com"})
	if leaver["User ID"] != "10002" || leaver["Name"] != "Bob Martinez" || leaver["Role"] != "user" || manager["User ID"] != "10004" {
		t.Fatalf("search: %v %v", leaver, manager)
	}
	h.MustRun(NS+":transferUserFolders", map[string]any{"Transfer From User ID": "10002", "Transfer To User ID": "10004"})
	if got := strings.Join(f.Folders("10004"), ","); got != "Bob Martinez's Files and Folders,Bob's Projects,David's Projects" {
		t.Fatalf("manager's folders after transfer: %s", got)
	}
	out := h.MustRun(NS+":deactivateUser", map[string]any{"User ID": "10002"})
	if out["User Status"] != "inactive" {
		t.Fatalf("deactivate: %v", out)
	}
	out = h.MustRun(NS+":deleteUser", map[string]any{"User ID": "10002", "fileTransferDestination": deleteFiles})
	if out["Deletion Status Code"] != float64(204) || f.User("10002") != nil {
		t.Fatalf("delete: %v", out)
	}
	checked(t, h)
}

func TestCreateUserAndPersonalFolder(t *testing.T) {
	h, f := start(t)
	u := h.MustRun(NS+":createNewUser", map[string]any{"Login": "nina.petrova@example.com", "Name": "Nina Petrova", "Role": "user",
		"Status": "active", "Allotted Space (GBs)": 10, "Is Exempt From Login Verification": true, "Job Title": "Growth Marketer"})
	id, _ := u["User ID"].(string)
	if id == "" || u["Space Allotted"] != float64(10*1024*1024*1024) || u["Is Exempt From Login Verification"] != true ||
		u["Job Title"] != "Growth Marketer" || u["Enterprise"].(map[string]any)["ID"] != fake.DefaultEnterpriseID {
		t.Fatalf("create: %v", u)
	}
	out := h.MustRun(NS+":createPersonalBoxFolder", map[string]any{"User ID": id, "Owner of Box Personal Folder": "User as Owner",
		"Personal Folder Name": "Nina Personal", "Sync Personal Folder to Desktop": "No"})
	if out["Personal Folder Owner"] != "nina.petrova@example.com" || out["Folder Name"] != "Nina Personal" || out["Personal Box Folder ID"] == nil {
		t.Fatalf("user-owned folder: %v", out)
	}
	out = h.MustRun(NS+":createPersonalBoxFolder", map[string]any{"User ID": id, "Owner of Box Personal Folder": "Admin as Owner",
		"Personal Folder Name": "Nina Shared", "Sync Personal Folder to Desktop": "Yes"})
	if out["Personal Folder Owner"] != "AutomationUser_1234567@boxdevedition.com" {
		t.Fatalf("admin-owned folder: %v", out)
	}
	if got := strings.Join(f.Folders(id), ","); got != "Nina Personal" {
		t.Fatalf("nina's folders: %s", got)
	}
	_, _, err := h.Run(NS+":createNewUser", map[string]any{"Login": "nina.petrova@example.com", "Name": "Nina again"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 409 || he.Code != "conflict" || !strings.Contains(he.Summary, "already exists") {
		t.Fatalf("duplicate login: %v", err)
	}
	checked(t, h)
}

func TestDeleteWithTransferNeedsTarget(t *testing.T) {
	h, _ := start(t)
	_, _, err := h.Run(NS+":deleteUser", map[string]any{"User ID": "10003", "fileTransferDestination": transferFiles})
	if err == nil || !strings.Contains(err.Error(), "Transfer To User ID") {
		t.Fatalf("a transfer without a target must name the field: %v", err)
	}
	out := h.MustRun(NS+":deleteUser", map[string]any{"User ID": "10003", "fileTransferDestination": transferFiles, "Transfer To User ID": "10005"})
	if out["Deletion Status Code"] != float64(204) {
		t.Fatalf("delete: %v", out)
	}
}

func TestUnknownUserIsNamed(t *testing.T) {
	h, _ := start(t)
	_, _, err := h.Run(NS+":deactivateUser", map[string]any{"User ID": "99999"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || !strings.Contains(he.Summary, `Box has no user with ID "99999"`) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestSearchAllByName(t *testing.T) {
	h, _ := start(t)
	out := h.MustRun(NS+":searchForUser", map[string]any{"Search By": "Name", "Result Set": "All Matching Users", "User Details": "E"})
	users, _ := out["Users"].([]any)
	if len(users) != 1 || out["Name"] != "Emma Schmidt" {
		t.Fatalf("names starting with E: %v", out)
	}
	out = h.MustRun(NS+":searchForUser", map[string]any{"Search By": "Email", "User Details": "nobody@example.com"})
	if out["User ID"] != nil {
		t.Fatalf("no match must leave the outputs empty: %v", out)
	}
}

func TestLadderAndBadToken(t *testing.T) {
	h, _ := start(t)
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || rep.Info["enterprise"] != "Flowbench Sandbox" {
		t.Fatalf("ladder: %+v", rep)
	}
	dev := *h.Conn
	dev.Config = map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: h.URL + "/2.0"}
	dev.Secrets = map[string]string{kit.SecToken: fake.DeveloperToken}
	if rep = Connector.TestWith(context.Background(), &dev, kit.ClientOptions{}); !rep.OK {
		t.Fatalf("developer token: %+v", rep)
	}
	wrongEnt := *h.Conn
	wrongEnt.Config = map[string]any{}
	for k, v := range h.Conn.Config {
		wrongEnt.Config[k] = v
	}
	wrongEnt.Config["enterpriseId"] = "999"
	rep = Connector.TestWith(context.Background(), &wrongEnt, kit.ClientOptions{})
	if rep.OK || rep.Steps[len(rep.Steps)-1].Name != kit.StepToken || !strings.Contains(rep.Steps[len(rep.Steps)-1].Hint, "grant was refused") {
		t.Fatalf("another enterprise's id: %+v", rep)
	}
	bad := dev
	bad.Secrets = map[string]string{kit.SecToken: "expired"}
	rep = Connector.TestWith(context.Background(), &bad, kit.ClientOptions{})
	if rep.OK || rep.Steps[len(rep.Steps)-1].Status != 401 {
		t.Fatalf("bad token: %+v", rep)
	}
	if !strings.Contains(rep.Steps[len(rep.Steps)-1].Message, "reconnect") {
		t.Fatalf("the 401 must say what to do: %+v", rep.Steps)
	}
}
