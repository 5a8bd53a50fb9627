package jamf

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/jamf/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	f := fake.New(fake.Config{})
	return kittest.Start(t, Connector, kittest.Options{Fake: f}), f
}

func TestReadComputerByEachLookup(t *testing.T) {
	h, _ := start(t)
	for _, tc := range []struct {
		by, key string
		val     any
	}{{"id", "ID", 2}, {"udid", "UDID", "55900BDC-347C-58B1-D249-F32244B10002"}, {"serialnumber", "Serial Number", "C02FB00002"}} {
		out := h.MustRun(NS+":readComputer", map[string]any{"read_by_QFVJTI": tc.by, tc.key: tc.val})
		if out["id_2DXUWK"] != float64(2) || out["name_CYCHY7"] != "Bob's MacBook Pro" || out["username_88LMCA"] != "bob.martinez@example.com" {
			t.Fatalf("%s: %v", tc.by, out)
		}
		if out["report_date_utc_N4BQHR"] != "2026-11-21T09:30:00.000Z" || out["os_name_IU3DPC"] != "macOS" || out["supervised_GA5VBJ"] != true {
			t.Fatalf("%s: dates/hardware %v %v %v", tc.by, out["report_date_utc_N4BQHR"], out["os_name_IU3DPC"], out["supervised_GA5VBJ"])
		}
		if raw, _ := out["raw_output_YOOZTK"].(map[string]any); raw["general"] == nil {
			t.Fatalf("raw output: %v", out["raw_output_YOOZTK"])
		}
	}
}

func TestReadComputerMissingIsNamedError(t *testing.T) {
	h, _ := start(t)
	_, _, err := h.Run(NS+":readComputer", map[string]any{"read_by_QFVJTI": "id", "ID": 999})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || !strings.Contains(he.Summary, `Jamf Pro has no computer with id "999" (Not Found`) || strings.Contains(he.Summary, "<") {
		t.Fatalf("want a 404 with the page's text, got %v", err)
	}
	_, _, err = h.Run(NS+":readComputer", map[string]any{"read_by_QFVJTI": "udid"})
	if err == nil || !strings.Contains(err.Error(), "UDID") {
		t.Fatalf("a missing UDID must name the field: %v", err)
	}
}

func TestReadUserAndGroup(t *testing.T) {
	h, _ := start(t)
	u := h.MustRun(NS+":readUser", map[string]any{"read_by_QQQPKG": "username", "Username": "alice.nguyen@example.com"})
	if u["full_name_ZMFRRK"] != "Alice Nguyen" || u["email_OVHUTD"] != "alice.nguyen@example.com" {
		t.Fatalf("user: %v", u)
	}
	comps, _ := u["computers_TLCBQD"].([]any)
	mobiles, _ := u["mobile_devices_ZU8K3F"].([]any)
	if len(comps) != 1 || len(mobiles) != 1 {
		t.Fatalf("links: %v %v", comps, mobiles)
	}
	g := h.MustRun(NS+":readMobileDeviceGroup", map[string]any{"read_by_DY4KPJ": "name", "Name": "Meeting Room iPads"})
	devs, _ := g["mobile_devices_C5UIBX"].([]any)
	if g["id_O3CIRM"] != float64(3) || len(devs) != 2 || g["smart_group_RC9FYP"] != false {
		t.Fatalf("group: %v", g)
	}
}

func TestMDMCommands(t *testing.T) {
	h, f := start(t)
	out := h.MustRun(NS+":sendComputerMDMCommand", map[string]any{"id_VCMXSM": 1, "command_name_V53YGG": "DeviceLock", "Passcode": "123456"})
	if out["status_code_QHIZ2E"] != float64(201) {
		t.Fatalf("computer command: %v", out)
	}
	out = h.MustRun(NS+":sendMobileDeviceMDMCommand", map[string]any{"id_W3EFAT": 1, "command_name_NTFBIB": "DeviceLock",
		"Lock Message": "This device has been locked by your administrator."})
	if out["status_code_PLUBKT"] != float64(201) {
		t.Fatalf("mobile command: %v", out)
	}
	h.MustRun(NS+":sendMobileDeviceMDMCommand", map[string]any{"id_W3EFAT": 6, "command_name_NTFBIB": "RestartDevice"})
	got := f.Commands()
	if len(got) != 3 || got[0].Command != "DeviceLock" || got[0].Param != "123456" || got[0].Target != "computer" ||
		got[1].Param != "This device has been locked by your administrator." || got[2].Command != "RestartDevice" || got[2].IDs[0] != 6 {
		t.Fatalf("commands: %+v", got)
	}
	_, _, err := h.Run(NS+":sendComputerMDMCommand", map[string]any{"id_VCMXSM": 1, "command_name_V53YGG": "RestartDevice"})
	if err == nil || !strings.Contains(err.Error(), "command_name_V53YGG") {
		t.Fatalf("an unknown command must name the field: %v", err)
	}
	_, _, err = h.Run(NS+":sendComputerMDMCommand", map[string]any{"id_VCMXSM": 1.5, "command_name_V53YGG": "DeviceLock"})
	if err == nil || !strings.Contains(err.Error(), "id_VCMXSM") {
		t.Fatalf("a fractional id must name the field: %v", err)
	}
}

func TestFaultIsRetried(t *testing.T) {
	h, f := start(t)
	f.SetFaults([]kit.Fault{{PathPrefix: "/JSSResource/users", Every: 2, Status: 503}})
	for i := 0; i < 3; i++ {
		h.MustRun(NS+":readUser", map[string]any{"read_by_QQQPKG": "id", "ID": 1})
	}
	if f.Injected() == 0 {
		t.Fatal("no fault was injected")
	}
}

func TestConnectionLadder(t *testing.T) {
	h, f := start(t)
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || len(rep.Steps) != 3 || rep.Info["account"] != fake.DefaultUsername {
		t.Fatalf("ladder: %+v", rep)
	}
	api := *h.Conn
	api.Config = map[string]any{}
	for k, v := range h.Conn.Config {
		api.Config[k] = v
	}
	api.Config[kit.CfgAuthMethod] = kit.AuthClientCredentials
	rep = Connector.TestWith(context.Background(), &api, kit.ClientOptions{})
	if !rep.OK {
		t.Fatalf("API client ladder: %+v", rep)
	}
	bad := api
	bad.Secrets = map[string]string{kit.SecClientSecret: "wrong"}
	rep = Connector.TestWith(context.Background(), &bad, kit.ClientOptions{})
	if rep.OK || rep.Steps[len(rep.Steps)-1].Name != kit.StepToken || !strings.Contains(rep.Steps[len(rep.Steps)-1].Hint, "client ID or secret") {
		t.Fatalf("wrong secret: %+v", rep)
	}
	_ = f
}

func TestRevokedTokenIsExplained(t *testing.T) {
	h, f := start(t)
	h.MustRun(NS+":readUser", map[string]any{"read_by_QQQPKG": "id", "ID": 1})
	f.RevokeAll()
	_, _, err := h.Run(NS+":readUser", map[string]any{"read_by_QQQPKG": "id", "ID": 1})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 401 || !strings.Contains(he.Summary, "reconnect") {
		t.Fatalf("revoked: %v", err)
	}
}

func TestBasicTokenConnection(t *testing.T) {
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Connector, kittest.Options{Fake: f})
	out := h.MustRun(NS+":readUser", map[string]any{"read_by_QQQPKG": "username", "Username": "emma.schmidt@example.com"})
	if out["id_Q5IXJN"] != float64(5) {
		t.Fatalf("read with a basic-token connection: %v", out)
	}
	var tokens int
	for _, ex := range h.Rec.Exchanges() {
		if ex.Path == "/api/v1/auth/token" {
			tokens++
			if u, _, ok := (&http.Request{Header: ex.ReqHeader}).BasicAuth(); !ok || u != fake.DefaultUsername {
				t.Fatalf("token request without Basic credentials: %v", ex.ReqHeader)
			}
		} else if !strings.HasPrefix(ex.ReqHeader.Get("Authorization"), "Bearer ") {
			t.Fatalf("%s sent without the bearer token", ex.Path)
		}
	}
	h.MustRun(NS+":readUser", map[string]any{"read_by_QQQPKG": "id", "ID": 1})
	if tokens != 1 {
		t.Fatalf("the token should be fetched once and reused, got %d fetches", tokens)
	}
	h.Conn.Secrets[kit.SecPassword] = "wrong"
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if rep.OK || rep.Steps[len(rep.Steps)-1].Name != kit.StepToken || !strings.Contains(rep.Steps[len(rep.Steps)-1].Message, "username or password") {
		t.Fatalf("wrong password: %+v", rep)
	}
}
