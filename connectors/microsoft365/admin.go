package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// userProps are the user properties the user cards output (group "User"),
// as Okta's Office 365 Admin cards list them; Graph returns most of them
// only when $select names them.
var userProps = []struct{ key, typ string }{
	{"id", "string"}, {"displayName", "string"}, {"givenName", "string"}, {"surname", "string"},
	{"userPrincipalName", "string"}, {"mail", "string"}, {"mailNickname", "string"}, {"jobTitle", "string"},
	{"department", "string"}, {"officeLocation", "string"}, {"mobilePhone", "string"}, {"businessPhones", "string[]"},
	{"accountEnabled", "boolean"}, {"userType", "string"}, {"usageLocation", "string"}, {"preferredLanguage", "string"},
	{"employeeId", "string"}, {"companyName", "string"}, {"city", "string"}, {"country", "string"}, {"state", "string"},
	{"streetAddress", "string"}, {"postalCode", "string"}, {"createdDateTime", "string"}, {"aboutMe", "string"},
	{"ageGroup", "string"}, {"otherMails", "string[]"}, {"proxyAddresses", "string[]"}, {"externalUserState", "string"},
	{"onPremisesSyncEnabled", "boolean"}, {"assignedLicenses", "object[]"}, {"assignedPlans", "object[]"},
	{"licenseAssignmentStates", "object[]"},
}

// userRelations are outputs that are relationships, fetched with a call
// of their own: licenseDetails (GET /users/{id}/licenseDetails) and drives
// (OneDrive; not read by this card: empty).
var userRelations = []string{"licenseDetails", "drives"}

func userOutputs() []engine.FieldSpec {
	var out []engine.FieldSpec
	for _, p := range userProps {
		out = append(out, output("User", p.key, p.typ))
	}
	for _, r := range userRelations {
		out = append(out, output("User", r, "object[]"))
	}
	return out
}

// output is an output field labelled as Okta labels Graph's properties
// ("displayName" → "Display Name", "id" → "Id").
func output(group, key, typ string) engine.FieldSpec {
	f := kit.Output(group, key, typ)
	f.Label = humanize(key)
	return f
}

func humanize(key string) string {
	if strings.ContainsAny(key, " ?") {
		return key
	}
	var b strings.Builder
	for i, r := range key {
		if i == 0 {
			b.WriteString(strings.ToUpper(string(r)))
			continue
		}
		if r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func userSelect() string {
	keys := make([]string, 0, len(userProps))
	for _, p := range userProps {
		keys = append(keys, p.key)
	}
	return strings.Join(keys, ",")
}

// userOut maps a Graph user to the card's outputs.
func userOut(u map[string]any) engine.Outputs {
	out := engine.Outputs{}
	for _, p := range userProps {
		v := u[p.key]
		if v == nil && strings.HasSuffix(p.typ, "[]") {
			v = []any{}
		}
		out[p.key] = v
	}
	for _, r := range userRelations {
		out[r] = []any{}
	}
	return out
}

// userPath is /users/{id or userPrincipalName}, escaped.
func userPath(key string) string { return "/users/" + url.PathEscape(key) }

func statusOut(r *kit.Result) engine.Outputs { return engine.Outputs{"Status Code": float64(r.Status)} }

func setAccountEnabled(on bool) func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	return func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
		id, err := in.Required("id")
		if err != nil {
			return nil, err
		}
		r, err := in.Do(ctx, &kit.Call{Method: http.MethodPatch, Path: userPath(id), JSON: map[string]any{"accountEnabled": on}})
		if err != nil {
			return nil, err
		}
		return statusOut(r), nil
	}
}

// readUserAndLicenses reads a user with the card's properties and its
// license details.
func readUserAndLicenses(ctx context.Context, in *kit.In, key string) (engine.Outputs, error) {
	r, err := in.Do(ctx, &kit.Call{Path: userPath(key), Query: url.Values{"$select": {userSelect()}}})
	if err != nil {
		return nil, err
	}
	out := userOut(r.Object())
	id, _ := r.Object()["id"].(string)
	if id != "" {
		lr, err := in.Do(ctx, &kit.Call{Path: userPath(id) + "/licenseDetails"})
		if err != nil {
			return nil, err
		}
		if l, ok := kit.Dig(lr.Body, "value").([]any); ok {
			out["licenseDetails"] = l
		}
	}
	return out, nil
}

// assignLicense posts /users/{id}/assignLicense (both lists are required
// by Graph, empty when unused) and outputs the updated user.
func assignLicense(ctx context.Context, in *kit.In, add []any, remove []any) (engine.Outputs, error) {
	id, err := in.Required("id")
	if err != nil {
		return nil, err
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: userPath(id) + "/assignLicense",
		JSON: map[string]any{"addLicenses": add, "removeLicenses": remove}})
	if err != nil {
		return nil, err
	}
	return userOut(r.Object()), nil
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// skuInput is a SKU id input, which Graph wants as a GUID (Get Licenses
// gives it as "SKU Id"; a part number such as ENTERPRISEPACK is not one).
func skuInput(in *kit.In, key string) (string, error) {
	v, err := in.Required(key)
	if err != nil {
		return "", err
	}
	if !guidRE.MatchString(v) {
		return "", kit.Errorf(key, "%q is not a SKU id (a GUID such as 6fd2c87f-b296-42f0-b197-1e91e994b900; Get Licenses lists them as SKU Id)", v)
	}
	return v, nil
}

func textList(v any) []any {
	out := []any{}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s := strings.TrimSpace(engine.ToText(e)); s != "" {
				out = append(out, s)
			}
		}
	case string:
		for _, s := range strings.Split(x, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// skuNames are the product names of common SKU part numbers (Microsoft's
// "Product names and service plan identifiers for licensing" list).
var skuNames = map[string]string{
	"ENTERPRISEPACK": "Office 365 E3", "ENTERPRISEPREMIUM": "Office 365 E5", "STANDARDPACK": "Office 365 E1",
	"SPE_E3": "Microsoft 365 E3", "SPE_E5": "Microsoft 365 E5", "EMS": "Enterprise Mobility + Security E3",
	"EMSPREMIUM": "Enterprise Mobility + Security E5", "O365_BUSINESS_PREMIUM": "Microsoft 365 Business Standard",
	"SPB": "Microsoft 365 Business Premium", "O365_BUSINESS_ESSENTIALS": "Microsoft 365 Business Basic",
	"AAD_PREMIUM": "Microsoft Entra ID P1", "AAD_PREMIUM_P2": "Microsoft Entra ID P2", "FLOW_FREE": "Microsoft Power Automate Free",
	"POWER_BI_STANDARD": "Microsoft Fabric (Free)", "POWER_BI_PRO": "Power BI Pro", "TEAMS_EXPLORATORY": "Microsoft Teams Exploratory",
}

var licenseType = engine.Obj(map[string]*engine.Type{
	"Applies To": engine.T("string"), "Capability Status": engine.T("string"), "Consumed Units": engine.T("number"),
	"Id": engine.T("string"), "Name": engine.T("string"), "Prepaid Units": engine.T("object"),
	"Service Plans": engine.T("object[]"), "SKU Id": engine.T("string"), "SKU Part Number": engine.T("string"),
})

var groupType = engine.Obj(map[string]*engine.Type{
	"id": engine.T("string"), "displayName": engine.T("string"), "mail": engine.T("string"), "proxyAddresses": engine.T("string[]"),
})

// Search Groups parameters (Okta's).
const (
	firstMatch = "First Matching Record"
	allMatches = "All Matching Records"
)

func odataQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func searchGroups(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	op := strings.ToLower(in.Text("filter_type"))
	if op == "" {
		op = "eq"
	}
	if op != "eq" && op != "startswith" {
		return nil, kit.Errorf("filter_type", "%q is not a search operator (eq, startswith)", in.Text("filter_type"))
	}
	var clauses []string
	for _, k := range []string{"displayName", "mail", "mailNickname"} {
		v := in.Text(k)
		if v == "" {
			continue
		}
		if op == "startswith" {
			clauses = append(clauses, fmt.Sprintf("startswith(%s,%s)", k, odataQuote(v)))
		} else {
			clauses = append(clauses, k+" eq "+odataQuote(v))
		}
	}
	if len(clauses) == 0 {
		return nil, kit.Errorf("mail", "give at least one of Display Name, Mail or Mail Nickname to search by")
	}
	mode := in.Text("resultSet")
	if mode == "" {
		mode = firstMatch
	}
	if mode != firstMatch && mode != allMatches {
		return nil, kit.Errorf("resultSet", "%q is not a result set (%s, %s)", mode, firstMatch, allMatches)
	}
	q := url.Values{"$filter": {strings.Join(clauses, " and ")}, "$select": {"id,displayName,mail,proxyAddresses"}}
	if mode == firstMatch {
		q.Set("$top", "1")
	}
	groups := []any{}
	err := in.Client.Pages(ctx, &kit.Call{Path: "/groups", Query: q, OnAttempt: attemptsOf(in)}, nil, 0, []string{"value"}, func(items []any) bool {
		for _, it := range items {
			g, _ := it.(map[string]any)
			groups = append(groups, map[string]any{"id": g["id"], "displayName": g["displayName"], "mail": g["mail"],
				"proxyAddresses": nonNilList(g["proxyAddresses"])})
			if mode == firstMatch {
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Groups": groups}, nil
}

func attemptsOf(in *kit.In) func(engine.Attempt) {
	if in.Run == nil {
		return nil
	}
	return in.Run.Attempt
}

func nonNilList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{}
}

func membership(method string) func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	return func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
		uid, err := in.Required("User/id")
		if err != nil {
			return nil, err
		}
		gid, err := in.Required("Group/id")
		if err != nil {
			return nil, err
		}
		call := &kit.Call{Method: method, Path: "/groups/" + url.PathEscape(gid) + "/members/$ref",
			JSON: map[string]any{"@odata.id": strings.TrimSuffix(in.Client.BaseURL(), "/") + "/directoryObjects/" + url.PathEscape(uid)}}
		if method == http.MethodDelete {
			call.Path, call.JSON = "/groups/"+url.PathEscape(gid)+"/members/"+url.PathEscape(uid)+"/$ref", nil
		}
		r, err := in.Do(ctx, call)
		if err != nil {
			return nil, err
		}
		return statusOut(r), nil
	}
}

func createGuestUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	email, err := in.Required("invitedUserEmailAddress")
	if err != nil {
		return nil, err
	}
	redirect, err := in.Required("inviteRedirectUrl")
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(redirect); err != nil || u.Scheme == "" || u.Host == "" {
		return nil, kit.Errorf("inviteRedirectUrl", "must be an absolute URL where the guest lands after redeeming (e.g. https://myapps.microsoft.com), not %q", redirect)
	}
	body := map[string]any{"invitedUserEmailAddress": email, "inviteRedirectUrl": redirect, "sendInvitationMessage": in.Bool("sendInvitationMessage", false)}
	if v := in.Text("invitedUserDisplayName"); v != "" {
		body["invitedUserDisplayName"] = v
	}
	if v := in.Text("invitedUserType"); v != "" {
		if v != "Guest" && v != "Member" {
			return nil, kit.Errorf("invitedUserType", "%q is not a user type (Guest or Member)", v)
		}
		body["invitedUserType"] = v
	}
	info := map[string]any{}
	if v := in.Text("customizedMessageBody"); v != "" {
		info["customizedMessageBody"] = v
	}
	if v := in.Text("messageLanguage"); v != "" {
		info["messageLanguage"] = v
	}
	if a := in.Text("address"); a != "" {
		info["ccRecipients"] = []any{map[string]any{"emailAddress": map[string]any{"address": a, "name": in.Text("name")}}}
	}
	if len(info) > 0 {
		body["invitedUserMessageInfo"] = info
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/invitations", JSON: body})
	if err != nil {
		return nil, err
	}
	o := r.Object()
	mi, _ := o["invitedUserMessageInfo"].(map[string]any)
	out := engine.Outputs{"invitedUser": kit.Dig(o, "invitedUser.id"), "invitedUserMessageInfo": mi}
	for _, k := range []string{"id", "inviteRedeemUrl", "invitedUserDisplayName", "invitedUserType", "invitedUserEmailAddress",
		"sendInvitationMessage", "inviteRedirectUrl", "status"} {
		out[k] = o[k]
	}
	out["ccRecipients"] = nonNilList(kit.Dig(mi, "ccRecipients"))
	out["customizedMessageBody"] = kit.Dig(mi, "customizedMessageBody")
	out["messageLanguage"] = kit.Dig(mi, "messageLanguage")
	return out, nil
}

func createUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	upn, err := in.Required("userPrincipalName")
	if err != nil {
		return nil, err
	}
	if !strings.Contains(upn, "@") {
		return nil, kit.Errorf("userPrincipalName", "must be alias@domain with a verified domain of the tenant, not %q", upn)
	}
	name, err := in.Required("displayName")
	if err != nil {
		return nil, err
	}
	pw, err := in.Required("password")
	if err != nil {
		return nil, err
	}
	nick := in.Text("mailNickname")
	if nick == "" {
		nick = upn[:strings.Index(upn, "@")]
	}
	body := map[string]any{"accountEnabled": in.Bool("accountEnabled", true), "displayName": name, "mailNickname": nick,
		"userPrincipalName": upn, "passwordProfile": map[string]any{"password": pw,
			"forceChangePasswordNextSignIn": in.Bool("forceChangePasswordNextSignIn", true)}}
	for _, k := range []string{"givenName", "surname", "jobTitle", "department", "usageLocation", "mobilePhone", "officeLocation", "employeeId"} {
		if v := in.Text(k); v != "" {
			body[k] = v
		}
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/users", JSON: body})
	if err != nil {
		return nil, err
	}
	return userOut(r.Object()), nil
}

func adminCards() []*kit.Card {
	in := kit.Input
	return []*kit.Card{
		{Okta: "office365admin:readUser", Title: "Read User", Doc: "office365admin/actioncards/readuser.htm",
			Description: "Reads a Microsoft 365 user by object ID or user principal name (email), with its licenses.",
			Inputs:      []engine.FieldSpec{in("User", "ID or Email", "string", true, "Id or Username")},
			Outputs:     userOutputs(),
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				key, err := in.Required("ID or Email")
				if err != nil {
					return nil, err
				}
				return readUserAndLicenses(ctx, in, key)
			}},
		{Okta: "office365admin:createUser", Title: "Create User", Doc: "office365admin/actioncards/createuser.htm",
			Description: "Creates a Microsoft 365 user (a member of the tenant) with a first password.",
			Inputs: []engine.FieldSpec{in("User", "displayName", "string", true, "Display Name"),
				in("User", "userPrincipalName", "string", true, "User Principal Name"),
				in("User", "mailNickname", "string", false, "Mail Nickname"), in("User", "givenName", "string", false, "First Name"),
				in("User", "surname", "string", false, "Last Name"), in("User", "jobTitle", "string", false, "Job Title"),
				in("User", "department", "string", false, "Department"), in("User", "usageLocation", "string", false, "Usage Location"),
				in("User", "mobilePhone", "string", false, "Mobile Phone"), in("User", "officeLocation", "string", false, "Office Location"),
				in("User", "employeeId", "string", false, "Employee ID"), in("User", "accountEnabled", "boolean", false, "Account Enabled"),
				in("Password", "password", "string", true, "Password"),
				in("Password", "forceChangePasswordNextSignIn", "boolean", false, "Change Password at Next Sign-in")},
			Outputs: userOutputs(), Run: createUser},
		{Okta: "office365admin:createGuestUser", Title: "Create Guest User", Doc: "office365admin/actioncards/createguestuser.htm",
			Description: "Invites an external person as a guest user (B2B invitation) and returns the invitation and its redeem URL.",
			Inputs: []engine.FieldSpec{in("User", "invitedUserDisplayName", "string", false, "Invited User Display Name"),
				in("User", "invitedUserEmailAddress", "string", true, "Invited User Email Address"),
				in("User", "sendInvitationMessage", "boolean", false, "Send Invitation Message"),
				in("User", "inviteRedirectUrl", "string", true, "Invite Redirect Url"),
				in("User", "invitedUserType", "string", false, "Invited User Type"),
				in("Invited User Message Info", "address", "string", false, "Cc Recipient Address"),
				in("Invited User Message Info", "name", "string", false, "Cc Recipient Name"),
				in("Invited User Message Info", "customizedMessageBody", "string", false, "Customized Message Body"),
				in("Invited User Message Info", "messageLanguage", "string", false, "Message Language")},
			Outputs: []engine.FieldSpec{{Key: "id", Group: "User", Label: "Invitation Id", Type: engine.T("string")}, {Key: "invitedUser", Group: "User", Label: "Invited User Id", Type: engine.T("string")},
				output("User", "inviteRedeemUrl", "string"), output("User", "invitedUserDisplayName", "string"),
				output("User", "invitedUserType", "string"), output("User", "invitedUserEmailAddress", "string"),
				output("User", "sendInvitationMessage", "boolean"), output("User", "inviteRedirectUrl", "string"),
				output("User", "status", "string"), output("User", "invitedUserMessageInfo", "object"),
				output("Invited User Message Info", "ccRecipients", "object[]"),
				output("Invited User Message Info", "customizedMessageBody", "string"),
				output("Invited User Message Info", "messageLanguage", "string")},
			Run: createGuestUser},
		{Okta: "office365admin:enableUserAccount", Title: "Enable User Account", Doc: "office365admin/actioncards/enableuseraccount.htm",
			Description: "Lets a user sign in again (accountEnabled true).",
			Inputs:      []engine.FieldSpec{in("User", "id", "string", true, "Id or Username")},
			Outputs:     []engine.FieldSpec{kit.Output("Output", "Status Code", "number")}, Run: setAccountEnabled(true)},
		{Okta: "office365admin:disableUserAccount", Title: "Disable User Account", Doc: "office365admin/actioncards/disableuseraccount.htm",
			Description: "Blocks a user's sign-in (accountEnabled false).",
			Inputs:      []engine.FieldSpec{in("User", "id", "string", true, "Id or Username")},
			Outputs:     []engine.FieldSpec{kit.Output("Output", "Status Code", "number")}, Run: setAccountEnabled(false)},
		{Okta: "office365admin:getLicenses", Title: "Get Licenses", Doc: "office365admin/actioncards/getlicenses.htm",
			Description: "Lists the tenant's subscribed license SKUs with their consumed and prepaid units.",
			Outputs:     []engine.FieldSpec{{Key: "Licenses", Group: "Output", Label: "Licenses", Type: engine.ListOf(licenseType)}},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				list := []any{}
				err := in.Client.Pages(ctx, &kit.Call{Path: "/subscribedSkus", OnAttempt: attemptsOf(in)}, nil, 0, []string{"value"}, func(items []any) bool {
					for _, it := range items {
						k, _ := it.(map[string]any)
						part, _ := k["skuPartNumber"].(string)
						name := skuNames[part]
						if name == "" {
							name = part
						}
						list = append(list, map[string]any{"Applies To": k["appliesTo"], "Capability Status": k["capabilityStatus"],
							"Consumed Units": k["consumedUnits"], "Id": k["id"], "Name": name, "Prepaid Units": k["prepaidUnits"],
							"Service Plans": nonNilList(k["servicePlans"]), "SKU Id": k["skuId"], "SKU Part Number": part})
					}
					return true
				})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Licenses": list}, nil
			}},
		{Okta: "office365admin:assignLicenseToUser", Title: "Assign License to User", Doc: "office365admin/actioncards/assignlicensetouser.htm",
			Description: "Assigns a license SKU to a user, optionally with some of its service plans disabled. The user needs a usage location.",
			Inputs: []engine.FieldSpec{in("User", "id", "string", true, "Id or Username"), in("License", "skuId", "string", true, "SKU Id"),
				in("License", "disabledPlans", "string[]", false, "Disabled Plans")},
			Outputs: userOutputs(),
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				sku, err := skuInput(in, "skuId")
				if err != nil {
					return nil, err
				}
				plans := textList(in.Values["disabledPlans"])
				for _, p := range plans {
					if !guidRE.MatchString(p.(string)) {
						return nil, kit.Errorf("disabledPlans", "%q is not a service plan id (a GUID; Get Licenses lists each SKU's Service Plans)", p)
					}
				}
				return assignLicense(ctx, in, []any{map[string]any{"skuId": sku, "disabledPlans": plans}}, []any{})
			}},
		{Okta: "office365admin:removeLicenseFromUser", Title: "Remove License from User", Doc: "office365admin/actioncards/removelicensefromuser.htm",
			Description: "Removes a license SKU from a user.",
			Inputs:      []engine.FieldSpec{in("User", "id", "string", true, "Id or Username"), in("License", "skuId", "string", true, "SKU Id")},
			Outputs:     userOutputs(),
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				sku, err := skuInput(in, "skuId")
				if err != nil {
					return nil, err
				}
				return assignLicense(ctx, in, []any{}, []any{sku})
			}},
		{Okta: "office365admin:addUserToGroup", Title: "Add User to Group", Doc: "office365admin/actioncards/addusertogroup.htm",
			Description: "Adds a user to a group's members.",
			Inputs:      []engine.FieldSpec{in("User", "User/id", "string", true, "Id or Username"), in("Group", "Group/id", "string", true, "Id")},
			Outputs:     []engine.FieldSpec{kit.Output("Output", "Status Code", "number")}, Run: membership(http.MethodPost)},
		{Okta: "office365admin:removeUserFromGroup", Title: "Remove User from Group", Doc: "office365admin/actioncards/removeuserfromgroup.htm",
			Description: "Removes a user from a group's members.",
			Inputs:      []engine.FieldSpec{in("User", "User/id", "string", true, "Id or Username"), in("Group", "Group/id", "string", true, "Id")},
			Outputs:     []engine.FieldSpec{kit.Output("Output", "Status Code", "number")}, Run: membership(http.MethodDelete)},
		{Okta: "office365admin:searchGroups", Title: "Search Groups", Doc: "office365admin/actioncards/searchgroups.htm",
			Description: "Finds groups whose display name, mail or mail nickname equals (eq) or starts with (startswith) the given text.",
			Inputs: []engine.FieldSpec{kit.Param("resultSet", "Result Set", firstMatch, firstMatch, allMatches),
				kit.Param("filter_type", "Search By", "eq", "eq", "startswith"),
				in("Search", "displayName", "string", false, "Display Name"), in("Search", "mail", "string", false, "Mail"),
				in("Search", "mailNickname", "string", false, "Mail Nickname")},
			Outputs: []engine.FieldSpec{{Key: "Groups", Group: "Result", Label: "Groups", Type: engine.ListOf(groupType)}},
			Run:     searchGroups},
		{Okta: "office365admin:deleteGroup", Title: "Delete Group", Doc: "office365admin/actioncards/deletegroup.htm",
			Description: "Deletes a group (Microsoft 365 groups go to the recycle bin for 30 days).",
			Inputs:      []engine.FieldSpec{in("Group", "id", "string", true, "Id")},
			Outputs:     []engine.FieldSpec{kit.Output("Output", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("id")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: "/groups/" + url.PathEscape(id)})
				if err != nil {
					return nil, err
				}
				return statusOut(r), nil
			}},
		{Okta: "office365admin:revokeUserSignInSessions", Title: "Revoke User Sign In Sessions", Doc: "office365admin/actioncards/revokeusersigninsessions.htm",
			Description: "Invalidates a user's refresh tokens and session cookies, so every app asks them to sign in again.",
			Inputs:      []engine.FieldSpec{in("User", "userId", "string", true, "Id or Username")},
			Outputs:     []engine.FieldSpec{kit.Output("Response", "Are All Sessions Revoked?", "boolean"), kit.Output("Response", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("userId")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: userPath(id) + "/revokeSignInSessions"})
				if err != nil {
					return nil, err
				}
				ok, _ := kit.Dig(r.Body, "value").(bool)
				return engine.Outputs{"Are All Sessions Revoked?": ok, "Status Code": float64(r.Status)}, nil
			}},
	}
}
