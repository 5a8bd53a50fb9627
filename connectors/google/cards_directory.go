package google

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/flowbench/flowbench/engine"
)

const dirPath = "admin/directory/v1/"

// Catalog of Google Workspace products and SKUs (Get All Licenses), from
// Google's product and SKU list for the Enterprise License Manager API.
var Catalog = []struct{ ProductID, SkuID, Name string }{
	{"Google-Apps", "1010020020", "Google Workspace Enterprise Plus"},
	{"Google-Apps", "1010020025", "Google Workspace Business Plus"},
	{"Google-Apps", "1010020027", "Google Workspace Business Standard"},
	{"Google-Apps", "1010020028", "Google Workspace Business Starter"},
	{"Google-Apps", "Google-Apps-Unlimited", "G Suite Business"},
	{"101031", "1010310008", "Google Workspace for Education Plus"},
	{"Google-Vault", "Google-Vault", "Google Vault"},
	{"101001", "1010010001", "Cloud Identity"},
	{"101005", "1010050001", "Cloud Identity Premium"},
	{"Google-Drive-storage", "Google-Drive-storage-20GB", "Google Drive storage 20 GB"},
}

var (
	licenseT     = obj("name", "productid", "skuid")
	assignmentT  = obj("kind", "etags", "selfLink", "userId", "productId", "skuId", "skuName", "productName")
	licenseResT  = obj("License Name", "Status Code")
	aspT         = obj("Code ID", "Name", "Creation Time", "Last Time Used", "User Key", "Kind", "Etag")
	accessTokenT = obj("Application Name", "Client ID", "User Key", "Is Anonymous?:boolean", "Is Native App?:boolean", "Scopes:string[]", "Etag", "Kind")
	deviceT      = obj("Device ID", "Name:string[]", "Etag", "Kind", "Resource ID", "Model", "OS", "Status", "Email:string[]", "Hardware ID",
		"First Sync:date", "Last Sync:date", "User Agent", "Serial Number", "IMEI", "MEID", "WiFi MAC Address", "Network Operator",
		"Default Language", "Compromised Status", "OS Build Number", "Kernel Version", "Baseband Version", "Is Owner Profile?:boolean",
		"Is Unknown Sources Enabled?:boolean", "Is Adb Enabled?:boolean", "Is Developer Options Enabled?:boolean",
		"Is Work Profile Supported?:boolean", "Manufacturer", "Release Version", "Security Patch Level:number", "Brand",
		"Bootloader Version", "Hardware", "Encryption Status", "Password Status", "DM Agent Permission")
)

func statusOut(group string) []engine.FieldSpec {
	return []engine.FieldSpec{out(group, "Status Code", "number")}
}

func directorySpecs() []*engine.Spec {
	d := func(id, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		return card(catDirectory, "googledirectory."+id, "googledirectory:"+id, title, desc, ins, outs, run)
	}
	return []*engine.Spec{
		d("readUser", "Read User", "Reads a Google Workspace user by primary email, alias or unique id (Directory API users.get).",
			[]engine.FieldSpec{in("Read By", "User ID", "string", true)}, userOutputs(), runner(readUser)),
		d("deactivateUser", "Suspend User", "Suspends a user (users.update with suspended=true): the user can no longer sign in and mail to them bounces.",
			[]engine.FieldSpec{in("User", "ID", "string", true)}, statusOut("Result"), runner(suspend(true, "ID"))),
		d("activateUser", "Activate User", "Restores a suspended user (users.update with suspended=false).",
			[]engine.FieldSpec{in("User", "ID", "string", true)}, statusOut("Response"), runner(suspend(false, "ID"))),
		d("signOutUser", "Sign Out User", "Signs a user out of every web and device session and resets their sign-in cookies (users.signOut).",
			[]engine.FieldSpec{in("Sign Out By", "User Key", "string", true)}, statusOut("Result"), runner(signOut)),
		d("readAllUserASPs", "Read All User ASPs", "Lists a user's application-specific passwords (asps.list).",
			[]engine.FieldSpec{in("Read By", "User ID", "string", true)},
			[]engine.FieldSpec{outT("Results", "ASPs", engine.ListOf(aspT))}, runner(listASPs)),
		d("deleteUserASP", "Delete User ASP", "Deletes one application-specific password of a user (asps.delete).",
			[]engine.FieldSpec{in("User", "User ID", "string", true), in("ASP", "Code ID", "string", true)}, statusOut("Response"), runner(deleteASP)),
		d("readAllUserAccessTokens", "Read All User Access Tokens", "Lists the OAuth grants a user gave third-party apps (tokens.list).",
			[]engine.FieldSpec{in("Read By", "User ID", "string", true)},
			[]engine.FieldSpec{outT("Results", "Access Tokens", engine.ListOf(accessTokenT))}, runner(listTokens)),
		d("deleteUserAccessTokens", "Delete User Access Token", "Revokes the OAuth grant a user gave one app, by the app's client id (tokens.delete).",
			[]engine.FieldSpec{in("User", "User ID", "string", true), in("Access Token", "Client ID", "string", true)}, statusOut("Response"), runner(deleteToken)),
		d("readAllUserDevices", "Read All User Devices", "Lists the mobile devices synced with a user's account (mobiledevices.list with query email:EMAIL).",
			[]engine.FieldSpec{in("Read By", "Email", "string", true)},
			[]engine.FieldSpec{outT("Results", "Mobile Devices", engine.ListOf(deviceT))}, runner(listDevices)),
		d("deleteUserDevice", "Delete User Device", "Removes a mobile device from the account by its resource id (mobiledevices.delete); the device's work data is wiped on its next sync.",
			[]engine.FieldSpec{in("User Device", "Resource ID", "string", true)}, statusOut("Response"), runner(deleteDevice)),
		d("getAllLicenses", "Get All Licenses", "Lists the Google Workspace products and SKUs that can be assigned (Google's SKU catalog), for Assign/Unassign License.",
			nil, []engine.FieldSpec{outT("Licenses", "Licenses", engine.ListOf(licenseT))}, getAllLicenses),
		d("readAllUserLicenses", "Read User Licenses", "Lists the licenses assigned to a user: one Licensing API licenseAssignments.get per product SKU of the catalog.",
			[]engine.FieldSpec{in("User", "ID", "string", true)},
			[]engine.FieldSpec{outT("User", "Licenses", engine.ListOf(assignmentT))}, runner(readUserLicenses)),
		d("assignALicenseToUser", "Assign License to User", "Assigns each license of the list (objects with productid and skuid, as Get All Licenses gives) to the user (licenseAssignments.insert).",
			[]engine.FieldSpec{{Key: "licenses", Label: "licenses", Group: "Product", Type: engine.T("object[]"), Required: true}, in("User", "id", "string", true)},
			[]engine.FieldSpec{outT("Results", "Results", engine.ListOf(licenseResT))}, runner(changeLicenses(true))),
		d("unassignLicenseFromUser", "Unassign License from User", "Removes each license of the list (objects with productid and skuid) from the user (licenseAssignments.delete); a license the user does not have is reported with status 404.",
			[]engine.FieldSpec{{Key: "licenses", Label: "licenses", Group: "Product", Type: engine.T("object[]"), Required: true}, in("User", "id", "string", true)},
			[]engine.FieldSpec{outT("Results", "Results", engine.ListOf(licenseResT))}, runner(changeLicenses(false))),
		d("createGroup", "Create Group", "Creates a Google group (groups.insert).",
			[]engine.FieldSpec{in("Group", "Email", "string", true), in("Group", "Name", "string", false), in("Group", "Description", "string", false)},
			[]engine.FieldSpec{out("Results", "ID", "string"), out("Results", "Name", "string"), out("Results", "Email", "string"),
				out("Results", "Description", "string"), out("Results", "Admin Created", "boolean"), out("Results", "Kind", "string"), out("Results", "Etag", "string")},
			runner(createGroup)),
		customSpec(catDirectory, "googledirectory", Directory, dirPath, "Google Directory (Admin SDK)"),
	}
}

func userOutputs() []engine.FieldSpec {
	o := func(k, t string) engine.FieldSpec { return out("User", k, t) }
	return []engine.FieldSpec{o("Id", "string"), o("ETag", "string"), o("First Name", "string"), o("Last Name", "string"),
		o("Full Name", "string"), o("Notes", "string"), o("Is Admin?", "boolean"), o("Is Delegated Admin?", "boolean"),
		o("Change Password At Next Login?", "boolean"), o("Agreed to Terms?", "boolean"), o("IP Whitelisted?", "boolean"),
		o("Suspended?", "boolean"), o("Suspension Reason", "string"), o("Parent Organization Path", "string"), o("Customer ID", "string"),
		o("Is Enrolled in 2SV?", "boolean"), o("Is Enforced in 2SV?", "boolean"), o("Is Mailbox Setup?", "boolean"), o("Aliases", "string[]"),
		outT("User", "IMs", engine.ListOf(obj("IM Network ID", "Type", "Custom Type", "Protocol", "Custom Protocol", "Primary?:boolean"))),
		outT("User", "Emails", engine.ListOf(obj("Email Address", "Type", "Custom Type", "Primary?:boolean"))),
		outT("User", "External IDs", engine.ListOf(obj("External ID", "Type", "Custom Type"))),
		outT("User", "Relations", engine.ListOf(obj("Relation Name", "Type", "Custom Type"))),
		outT("User", "Addresses", engine.ListOf(obj("Street", "PO Box", "City", "Region", "Country", "Country Code", "Extended Address",
			"Formatted Address", "Type", "Custom Type", "Primary?:boolean"))),
		outT("User", "Organizations", engine.ListOf(obj("Organization Name", "Description", "Department", "Job Title", "Location", "Symbol",
			"Cost Center", "Domain", "Type", "Custom Type", "Primary?:boolean"))),
		outT("User", "Phones", engine.ListOf(obj("Phone Number", "Type", "Custom Type", "Primary?:boolean"))),
		outT("User", "Websites", engine.ListOf(obj("Website URL", "Type", "Custom Type", "Primary?:boolean"))),
		o("Custom Fields", "object")}
}

// pick maps a list of Google objects to Okta's keys: okta key -> google key.
func pick(v any, keys [][2]string) []any {
	list, _ := v.([]any)
	out := make([]any, 0, len(list))
	for _, it := range list {
		m, _ := it.(map[string]any)
		o := map[string]any{}
		for _, k := range keys {
			if x, ok := m[k[1]]; ok {
				o[k[0]] = x
			} else {
				o[k[0]] = nil
			}
		}
		out = append(out, o)
	}
	return out
}

func readUser(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "User ID")
	if err != nil {
		return nil, err
	}
	cl := call(in, Directory, http.MethodGet, dirPath+"users/"+seg(id))
	cl.Query = url.Values{"projection": {"full"}}
	u, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	return UserOutputs(u), nil
}

// UserOutputs maps a Directory user to Read User's outputs.
func UserOutputs(u map[string]any) engine.Outputs {
	name, _ := u["name"].(map[string]any)
	aliases := []any{}
	if a, ok := u["aliases"].([]any); ok {
		aliases = a
	}
	custom := map[string]any{}
	if cs, ok := u["customSchemas"].(map[string]any); ok {
		custom = cs
	}
	return engine.Outputs{
		"Id": u["id"], "ETag": u["etag"], "First Name": name["givenName"], "Last Name": name["familyName"], "Full Name": name["fullName"],
		"Notes": notes(u["notes"]), "Is Admin?": u["isAdmin"], "Is Delegated Admin?": u["isDelegatedAdmin"],
		"Change Password At Next Login?": u["changePasswordAtNextLogin"], "Agreed to Terms?": u["agreedToTerms"],
		"IP Whitelisted?": u["ipWhitelisted"], "Suspended?": u["suspended"], "Suspension Reason": u["suspensionReason"],
		"Parent Organization Path": u["orgUnitPath"], "Customer ID": u["customerId"], "Is Enrolled in 2SV?": u["isEnrolledIn2Sv"],
		"Is Enforced in 2SV?": u["isEnforcedIn2Sv"], "Is Mailbox Setup?": u["isMailboxSetup"], "Aliases": aliases,
		"IMs": pick(u["ims"], [][2]string{{"IM Network ID", "im"}, {"Type", "type"}, {"Custom Type", "customType"}, {"Protocol", "protocol"},
			{"Custom Protocol", "customProtocol"}, {"Primary?", "primary"}}),
		"Emails":       pick(u["emails"], [][2]string{{"Email Address", "address"}, {"Type", "type"}, {"Custom Type", "customType"}, {"Primary?", "primary"}}),
		"External IDs": pick(u["externalIds"], [][2]string{{"External ID", "value"}, {"Type", "type"}, {"Custom Type", "customType"}}),
		"Relations":    pick(u["relations"], [][2]string{{"Relation Name", "value"}, {"Type", "type"}, {"Custom Type", "customType"}}),
		"Addresses": pick(u["addresses"], [][2]string{{"Street", "streetAddress"}, {"PO Box", "poBox"}, {"City", "locality"}, {"Region", "region"},
			{"Country", "country"}, {"Country Code", "countryCode"}, {"Extended Address", "extendedAddress"}, {"Formatted Address", "formatted"},
			{"Type", "type"}, {"Custom Type", "customType"}, {"Primary?", "primary"}}),
		"Organizations": pick(u["organizations"], [][2]string{{"Organization Name", "name"}, {"Description", "description"}, {"Department", "department"},
			{"Job Title", "title"}, {"Location", "location"}, {"Symbol", "symbol"}, {"Cost Center", "costCenter"}, {"Domain", "domain"},
			{"Type", "type"}, {"Custom Type", "customType"}, {"Primary?", "primary"}}),
		"Phones":        pick(u["phones"], [][2]string{{"Phone Number", "value"}, {"Type", "type"}, {"Custom Type", "customType"}, {"Primary?", "primary"}}),
		"Websites":      pick(u["websites"], [][2]string{{"Website URL", "value"}, {"Type", "type"}, {"Custom Type", "customType"}, {"Primary?", "primary"}}),
		"Custom Fields": custom,
	}
}

func notes(v any) any {
	if m, ok := v.(map[string]any); ok {
		return m["value"]
	}
	return v
}

func suspend(on bool, key string) func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	return func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
		id, err := required(in, key)
		if err != nil {
			return nil, err
		}
		cl := call(in, Directory, http.MethodPut, dirPath+"users/"+seg(id))
		cl.JSON = map[string]any{"suspended": on}
		resp, err := c.Do(ctx, cl)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Status Code": float64(resp.Status)}, nil
	}
}

func signOut(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "User Key")
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, call(in, Directory, http.MethodPost, dirPath+"users/"+seg(id)+"/signOut"))
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(resp.Status)}, nil
}

func msText(v any) any {
	s := engine.ToText(v)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return s
	}
	return time.UnixMilli(n).UTC().Format(engine.DateLayout)
}

func listASPs(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "User ID")
	if err != nil {
		return nil, err
	}
	m, _, err := c.JSON(ctx, call(in, Directory, http.MethodGet, dirPath+"users/"+seg(id)+"/asps"))
	if err != nil {
		return nil, err
	}
	list := pick(m["items"], [][2]string{{"Code ID", "codeId"}, {"Name", "name"}, {"Creation Time", "creationTime"},
		{"Last Time Used", "lastTimeUsed"}, {"User Key", "userKey"}, {"Kind", "kind"}, {"Etag", "etag"}})
	for _, it := range list {
		o := it.(map[string]any)
		o["Code ID"] = engine.ToText(o["Code ID"])
		o["Creation Time"], o["Last Time Used"] = msText(o["Creation Time"]), msText(o["Last Time Used"])
	}
	return engine.Outputs{"ASPs": list}, nil
}

func deleteASP(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "User ID")
	if err != nil {
		return nil, err
	}
	code, err := required(in, "Code ID")
	if err != nil {
		return nil, err
	}
	if _, err := strconv.Atoi(code); err != nil {
		return nil, engine.InputErrorf("Code ID", "%q is not an ASP code id (a whole number, from Read All User ASPs)", code)
	}
	resp, err := c.Do(ctx, call(in, Directory, http.MethodDelete, dirPath+"users/"+seg(id)+"/asps/"+seg(code)))
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(resp.Status)}, nil
}

func listTokens(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "User ID")
	if err != nil {
		return nil, err
	}
	m, _, err := c.JSON(ctx, call(in, Directory, http.MethodGet, dirPath+"users/"+seg(id)+"/tokens"))
	if err != nil {
		return nil, err
	}
	list := pick(m["items"], [][2]string{{"Application Name", "displayText"}, {"Client ID", "clientId"}, {"User Key", "userKey"},
		{"Is Anonymous?", "anonymous"}, {"Is Native App?", "nativeApp"}, {"Scopes", "scopes"}, {"Etag", "etag"}, {"Kind", "kind"}})
	return engine.Outputs{"Access Tokens": list}, nil
}

func deleteToken(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "User ID")
	if err != nil {
		return nil, err
	}
	client, err := required(in, "Client ID")
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, call(in, Directory, http.MethodDelete, dirPath+"users/"+seg(id)+"/tokens/"+seg(client)))
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(resp.Status)}, nil
}

func listDevices(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	email, err := required(in, "Email")
	if err != nil {
		return nil, err
	}
	cl := call(in, Directory, http.MethodGet, dirPath+"customer/"+seg(customerID(c.conn))+"/devices/mobile")
	cl.Query = url.Values{"query": {"email:" + email}, "maxResults": {"100"}, "projection": {"FULL"}}
	items, err := c.List(ctx, cl, "mobiledevices", 0)
	if err != nil {
		return nil, err
	}
	list := pick(items, [][2]string{{"Device ID", "deviceId"}, {"Name", "name"}, {"Etag", "etag"}, {"Kind", "kind"}, {"Resource ID", "resourceId"},
		{"Model", "model"}, {"OS", "os"}, {"Status", "status"}, {"Email", "email"}, {"Hardware ID", "hardwareId"}, {"First Sync", "firstSync"},
		{"Last Sync", "lastSync"}, {"User Agent", "userAgent"}, {"Serial Number", "serialNumber"}, {"IMEI", "imei"}, {"MEID", "meid"},
		{"WiFi MAC Address", "wifiMacAddress"}, {"Network Operator", "networkOperator"}, {"Default Language", "defaultLanguage"},
		{"Compromised Status", "deviceCompromisedStatus"}, {"OS Build Number", "buildNumber"}, {"Kernel Version", "kernelVersion"},
		{"Baseband Version", "basebandVersion"}, {"Is Owner Profile?", "managedAccountIsOnOwnerProfile"},
		{"Is Unknown Sources Enabled?", "unknownSourcesStatus"}, {"Is Adb Enabled?", "adbStatus"},
		{"Is Developer Options Enabled?", "developerOptionsStatus"}, {"Is Work Profile Supported?", "supportsWorkProfile"},
		{"Manufacturer", "manufacturer"}, {"Release Version", "releaseVersion"}, {"Security Patch Level", "securityPatchLevel"},
		{"Brand", "brand"}, {"Bootloader Version", "bootloaderVersion"}, {"Hardware", "hardware"}, {"Encryption Status", "encryptionStatus"},
		{"Password Status", "devicePasswordStatus"}, {"DM Agent Permission", "privilege"}})
	for _, it := range list {
		o := it.(map[string]any)
		if o["Security Patch Level"] != nil {
			if n, err := engine.ToNumber(o["Security Patch Level"]); err == nil {
				o["Security Patch Level"] = n
			}
		}
	}
	return engine.Outputs{"Mobile Devices": list}, nil
}

func deleteDevice(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "Resource ID")
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, call(in, Directory, http.MethodDelete, dirPath+"customer/"+seg(customerID(c.conn))+"/devices/mobile/"+seg(id)))
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(resp.Status)}, nil
}

func getAllLicenses(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	list := make([]any, len(Catalog))
	for i, k := range Catalog {
		list[i] = map[string]any{"name": k.Name, "productid": k.ProductID, "skuid": k.SkuID}
	}
	return engine.Outputs{"Licenses": list}, nil
}

const licPath = "apps/licensing/v1/product/"

func readUserLicenses(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, k := range Catalog {
		m, _, err := c.JSON(ctx, call(in, Licensing, http.MethodGet, licPath+seg(k.ProductID)+"/sku/"+seg(k.SkuID)+"/user/"+seg(id)))
		if he, ok := err.(*engine.HTTPError); ok && (he.Status == http.StatusNotFound || he.Status == http.StatusBadRequest) {
			continue // not assigned (or a SKU the account cannot hold)
		}
		if err != nil {
			return nil, err
		}
		list = append(list, map[string]any{"kind": m["kind"], "etags": m["etags"], "selfLink": m["selfLink"], "userId": m["userId"],
			"productId": m["productId"], "skuId": m["skuId"], "skuName": m["skuName"], "productName": m["productName"]})
	}
	return engine.Outputs{"Licenses": list}, nil
}

func licenseRef(v any) (product, sku, name string) {
	m, _ := v.(map[string]any)
	get := func(keys ...string) string {
		for _, k := range keys {
			if s := engine.ToText(m[k]); s != "" {
				return s
			}
		}
		return ""
	}
	return get("productid", "productId", "ProductID"), get("skuid", "skuId", "SkuID"), get("name", "skuName", "Name")
}

func changeLicenses(assign bool) func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	return func(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
		id, err := required(in, "id")
		if err != nil {
			return nil, err
		}
		lics, _ := in.Values["licenses"].([]any)
		if len(lics) == 0 {
			return nil, engine.InputErrorf("licenses", "no license given: a list of objects with productid and skuid (from Get All Licenses)")
		}
		results := []any{}
		for i, l := range lics {
			p, s, name := licenseRef(l)
			if p == "" || s == "" {
				return nil, engine.InputErrorf("licenses", "item %d has no productid and skuid", i+1)
			}
			if name == "" {
				name = s
			}
			var cl *Call
			if assign {
				cl = call(in, Licensing, http.MethodPost, licPath+seg(p)+"/sku/"+seg(s)+"/user")
				cl.JSON = map[string]any{"userId": id}
			} else {
				cl = call(in, Licensing, http.MethodDelete, licPath+seg(p)+"/sku/"+seg(s)+"/user/"+seg(id))
			}
			resp, err := c.Do(ctx, cl)
			status := 0
			if resp != nil {
				status = resp.Status
			}
			if he, ok := err.(*engine.HTTPError); ok && len(lics) > 1 {
				status = he.Status // one failing license does not stop the others; its status says why
			} else if err != nil {
				return nil, err
			}
			results = append(results, map[string]any{"License Name": name, "Status Code": fmt.Sprint(status)})
		}
		return engine.Outputs{"Results": results}, nil
	}
}

func createGroup(ctx context.Context, c *Client, in engine.Inputs) (engine.Outputs, error) {
	email, err := required(in, "Email")
	if err != nil {
		return nil, err
	}
	body := map[string]any{"email": email}
	if v := text(in, "Name"); v != "" {
		body["name"] = v
	}
	if v := text(in, "Description"); v != "" {
		body["description"] = v
	}
	cl := call(in, Directory, http.MethodPost, dirPath+"groups")
	cl.JSON = body
	g, _, err := c.JSON(ctx, cl)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"ID": g["id"], "Name": g["name"], "Email": g["email"], "Description": g["description"],
		"Admin Created": g["adminCreated"], "Kind": g["kind"], "Etag": g["etag"]}, nil
}
