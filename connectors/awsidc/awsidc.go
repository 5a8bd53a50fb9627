// Package awsidc is the AWS IAM Identity Center connector, built on
// connectors/kit: the "awsidc" connection kind (an IAM access key, every
// request signed with AWS Signature Version 4 by aws-sdk-go-v2's signer),
// cards for users, groups, group membership and account assignments
// (permission sets), a Custom API Action, and the local fake
// (connectors/awsidc/fake) that checks each signature.
//
// The Identity Store API (identitystore.{region}.amazonaws.com, X-Amz-Target
// AWSIdentityStore.*) holds users and groups; the SSO Admin API
// (sso.{region}.amazonaws.com, SWBExternalService.*) holds permission sets
// and account assignments. Both speak AWS JSON 1.1. AWS IAM Identity
// Center is not in the template corpus: the card kinds
// (awsiamidentitycenter:…) and field keys follow Okta's connector style.
package awsidc

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/awsidc/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// NS is the namespace of the cards.
const NS = "awsiamidentitycenter"

// Connection settings.
const (
	CfgRegion          = "region"
	CfgAccessKeyID     = "accessKeyId"
	CfgIdentityStoreID = "identityStoreId"
	CfgInstanceArn     = "instanceArn"
	SecSecretKey       = "secretAccessKey"
	SecSessionToken    = "sessionToken"
	AuthAccessKey      = "awsAccessKey"
)

func accessKey() *kit.AuthMethod {
	return &kit.AuthMethod{ID: AuthAccessKey, Label: "IAM access key (Signature Version 4)",
		Fields: []engine.FieldSpec{{Key: CfgAccessKeyID, Label: "Access key ID", Type: engine.T("string"), Required: true}},
		Secrets: []engine.FieldSpec{{Key: SecSecretKey, Label: "Secret access key", Type: engine.T("string"), Required: true},
			{Key: SecSessionToken, Label: "Session token", Type: engine.T("string"), Description: "only for temporary credentials"}},
		Sign: func(c *engine.Connection, req *http.Request, body []byte) error {
			region := strings.TrimSpace(engine.ToText(c.Config[CfgRegion]))
			creds := Credentials{AccessKeyID: strings.TrimSpace(engine.ToText(c.Config[CfgAccessKeyID])),
				SecretAccessKey: strings.TrimSpace(c.Secrets[SecSecretKey]), SessionToken: strings.TrimSpace(c.Secrets[SecSessionToken])}
			return Sign(req.Context(), req, body, creds, ServiceFor(req), region, time.Now().UTC())
		}}
}

// Connector is AWS IAM Identity Center's declaration.
var Connector = &kit.Connector{
	ID:      "awsidc",
	Title:   "AWS IAM Identity Center",
	DocBase: "https://docs.aws.amazon.com/singlesignon/latest/",
	Fields: []engine.FieldSpec{
		{Key: CfgRegion, Label: "Region", Type: engine.T("string"), Required: true, Default: "us-east-1", Description: "the Identity Center instance's region"},
		{Key: CfgIdentityStoreID, Label: "Identity store ID", Type: engine.T("string"), Required: true, Description: "d-… (IAM Identity Center → Settings)"},
		{Key: CfgInstanceArn, Label: "Instance ARN", Type: engine.T("string"), Required: true, Description: "arn:aws:sso:::instance/ssoins-…"},
	},
	Auth:    []*kit.AuthMethod{accessKey()},
	BaseURL: "https://identitystore.{region}.amazonaws.com",
	Origins: map[string]string{"sso": "https://sso.{region}.amazonaws.com"},
	Errors:  AWSErrors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Method: http.MethodPost, Path: "/", Origin: "sso", JSON: map[string]any{},
			Header: http.Header{"X-Amz-Target": {"SWBExternalService.ListInstances"}, "Content-Type": {"application/x-amz-json-1.1"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			list, _ := r.Object()["Instances"].([]any)
			if len(list) == 0 {
				return "signed in; no Identity Center instance in this region", nil
			}
			i, _ := list[0].(map[string]any)
			return fmt.Sprintf("signed in; instance %v (identity store %v)", i["InstanceArn"], i["IdentityStoreId"]),
				map[string]any{"instanceArn": i["InstanceArn"], "identityStoreId": i["IdentityStoreId"], "account": i["OwnerAccountId"]}
		},
		Fixes: map[string]string{
			"UnrecognizedClientException": "AWS does not know this access key ID (deleted or deactivated): create a new access key for the IAM user.",
			"InvalidSignatureException":   "The signature was refused: check the secret access key and the region (and the computer's clock).",
			"AccessDeniedException":       "The IAM user lacks permissions: attach identitystore:* and sso:* actions (e.g. AWSSSOMasterAccountAdministrator).",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake: func() (kit.Fake, error) {
		return fake.New(fake.Config{Sign: func(ctx context.Context, req *http.Request, body []byte, key, secret, service, region string, t time.Time) error {
			return Sign(ctx, req, body, Credentials{AccessKeyID: key, SecretAccessKey: secret}, service, region, t)
		}}), nil
	},
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
}

// AWSErrors maps AWS JSON errors ({"__type","Message"|"message"}).
func AWSErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	m := r.Object()
	typ := r.Header.Get("x-amzn-ErrorType")
	if t, ok := m["__type"].(string); ok && t != "" {
		typ = t
	}
	if _, after, ok := strings.Cut(typ, "#"); ok {
		typ = after
	}
	typ, _, _ = strings.Cut(typ, ":")
	msg := engine.ToText(m["Message"])
	if msg == "" {
		msg = engine.ToText(m["message"])
	}
	if typ == "" && msg == "" {
		return kit.StatusErrors(r)
	}
	return &engine.HTTPError{Status: r.Status, Code: typ, Summary: msg}
}

// call is one JSON 1.1 operation.
func call(ctx context.Context, in *kit.In, target string, body map[string]any) (map[string]any, error) {
	origin := ""
	if strings.HasPrefix(target, "SWBExternalService.") {
		origin = "sso"
		body["InstanceArn"] = engine.ToText(in.Client.Connection().Config[CfgInstanceArn])
	} else {
		body["IdentityStoreId"] = engine.ToText(in.Client.Connection().Config[CfgIdentityStoreID])
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/", Origin: origin, JSON: body,
		Header: http.Header{"X-Amz-Target": {target}, "Content-Type": {"application/x-amz-json-1.1"}}})
	if err != nil {
		return nil, err
	}
	return r.Object(), nil
}

var uuidish = regexp.MustCompile(`^([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// userID resolves a user given by ID or user name.
func userID(ctx context.Context, in *kit.In, key string) (string, error) {
	return resolveID(ctx, in, key, "AWSIdentityStore.GetUserId", "userName", "UserId")
}

// groupID resolves a group given by ID or display name.
func groupID(ctx context.Context, in *kit.In, key string) (string, error) {
	return resolveID(ctx, in, key, "AWSIdentityStore.GetGroupId", "displayName", "GroupId")
}

// resolveID returns input key as an Identity Store id: as given when it is
// one, else looked up by its unique attribute with op.
func resolveID(ctx context.Context, in *kit.In, key, op, attribute, idKey string) (string, error) {
	v, err := in.Required(key)
	if err != nil {
		return "", err
	}
	if uuidish.MatchString(v) {
		return v, nil
	}
	out, err := call(ctx, in, op, map[string]any{"AlternateIdentifier": map[string]any{
		"UniqueAttribute": map[string]any{"AttributePath": attribute, "AttributeValue": v}}})
	if err != nil {
		return "", err
	}
	return engine.ToText(out[idKey]), nil
}

// permissionSet resolves a permission set given by ARN or name.
func permissionSet(ctx context.Context, in *kit.In, key string) (string, error) {
	v, err := in.Required(key)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(v, "arn:") {
		return v, nil
	}
	out, err := call(ctx, in, "SWBExternalService.ListPermissionSets", map[string]any{})
	if err != nil {
		return "", err
	}
	arns, _ := out["PermissionSets"].([]any)
	for _, a := range arns {
		d, err := call(ctx, in, "SWBExternalService.DescribePermissionSet", map[string]any{"PermissionSetArn": a})
		if err != nil {
			return "", err
		}
		if ps, _ := d["PermissionSet"].(map[string]any); strings.EqualFold(engine.ToText(ps["Name"]), v) {
			return engine.ToText(a), nil
		}
	}
	return "", kit.Errorf(key, "no permission set is named %q", v)
}

func in(group, key, typ string, req bool, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Required: req, Label: label}
}

func out(group, key, typ string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: key}
}

func cards() []*kit.Card {
	principal := engine.FieldSpec{Key: "principalType", Group: "parameters", Label: "Assign To", Type: engine.T("string"), Default: "User",
		Choices: []engine.Choice{{Value: "User", Label: "User"}, {Value: "Group", Label: "Group"}}}
	assignIns := []engine.FieldSpec{principal, in("Assignment", "User or Group", "string", true, "User (ID or user name) or Group (ID or name)"),
		in("Assignment", "AWS Account ID", "string", true, "AWS Account ID"),
		in("Assignment", "Permission Set", "string", true, "Permission Set (ARN or name)")}
	assignOuts := []engine.FieldSpec{out("Result", "Status", "string"), out("Result", "Request ID", "string")}
	return []*kit.Card{
		{Okta: NS + ":createUser", Title: "Create User", Doc: "IdentityStoreAPIReference/API_CreateUser.html",
			Description: "Creates a user in the Identity Center identity store.",
			Inputs: []engine.FieldSpec{in("User", "User Name", "string", true, "User Name"), in("User", "First Name", "string", true, "First Name"),
				in("User", "Last Name", "string", true, "Last Name"), in("User", "Display Name", "string", false, "Display Name"),
				in("User", "Email", "string", false, "Email")},
			Outputs: []engine.FieldSpec{out("User", "User ID", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				body := map[string]any{}
				for _, k := range []string{"User Name", "First Name", "Last Name"} {
					v, err := in.Required(k)
					if err != nil {
						return nil, err
					}
					body[k] = v
				}
				display := in.Text("Display Name")
				if display == "" {
					display = engine.ToText(body["First Name"]) + " " + engine.ToText(body["Last Name"])
				}
				req := map[string]any{"UserName": body["User Name"], "DisplayName": display,
					"Name": map[string]any{"GivenName": body["First Name"], "FamilyName": body["Last Name"]}}
				if e := in.Text("Email"); e != "" {
					req["Emails"] = []any{map[string]any{"Value": e, "Type": "work", "Primary": true}}
				}
				o, err := call(ctx, in, "AWSIdentityStore.CreateUser", req)
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"User ID": o["UserId"]}, nil
			}},
		{Okta: NS + ":readUser", Title: "Read User", Doc: "IdentityStoreAPIReference/API_DescribeUser.html",
			Description: "Reads a user by ID or user name.",
			Inputs:      []engine.FieldSpec{in("User", "User", "string", true, "User ID or User Name")},
			Outputs: []engine.FieldSpec{out("User", "User ID", "string"), out("User", "User Name", "string"), out("User", "Display Name", "string"),
				out("User", "First Name", "string"), out("User", "Last Name", "string"), out("User", "Email", "string"), out("User", "Raw Output", "object")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := userID(ctx, in, "User")
				if err != nil {
					return nil, err
				}
				u, err := call(ctx, in, "AWSIdentityStore.DescribeUser", map[string]any{"UserId": id})
				if err != nil {
					return nil, err
				}
				name, _ := u["Name"].(map[string]any)
				email := ""
				if es, ok := u["Emails"].([]any); ok && len(es) > 0 {
					email = engine.ToText(es[0].(map[string]any)["Value"])
				}
				return engine.Outputs{"User ID": u["UserId"], "User Name": u["UserName"], "Display Name": u["DisplayName"],
					"First Name": name["GivenName"], "Last Name": name["FamilyName"], "Email": email, "Raw Output": u}, nil
			}},
		{Okta: NS + ":deleteUser", Title: "Delete User", Doc: "IdentityStoreAPIReference/API_DeleteUser.html",
			Description: "Deletes a user (and their group memberships) from the identity store.",
			Inputs:      []engine.FieldSpec{in("User", "User", "string", true, "User ID or User Name")},
			Outputs:     []engine.FieldSpec{out("Result", "Deleted", "boolean")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := userID(ctx, in, "User")
				if err != nil {
					return nil, err
				}
				if _, err := call(ctx, in, "AWSIdentityStore.DeleteUser", map[string]any{"UserId": id}); err != nil {
					return nil, err
				}
				return engine.Outputs{"Deleted": true}, nil
			}},
		{Okta: NS + ":createGroup", Title: "Create Group", Doc: "IdentityStoreAPIReference/API_CreateGroup.html",
			Description: "Creates a group in the identity store.",
			Inputs:      []engine.FieldSpec{in("Group", "Name", "string", true, "Name"), in("Group", "Description", "string", false, "Description")},
			Outputs:     []engine.FieldSpec{out("Group", "Group ID", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				name, err := in.Required("Name")
				if err != nil {
					return nil, err
				}
				body := map[string]any{"DisplayName": name}
				if d := in.Text("Description"); d != "" {
					body["Description"] = d
				}
				o, err := call(ctx, in, "AWSIdentityStore.CreateGroup", body)
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Group ID": o["GroupId"]}, nil
			}},
		{Okta: NS + ":addUserToGroup", Title: "Add User to Group", Doc: "IdentityStoreAPIReference/API_CreateGroupMembership.html",
			Description: "Adds a user to a group (both by ID or name).",
			Inputs:      []engine.FieldSpec{in("Membership", "User", "string", true, "User ID or User Name"), in("Membership", "Group", "string", true, "Group ID or Name")},
			Outputs:     []engine.FieldSpec{out("Membership", "Membership ID", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				uid, err := userID(ctx, in, "User")
				if err != nil {
					return nil, err
				}
				gid, err := groupID(ctx, in, "Group")
				if err != nil {
					return nil, err
				}
				o, err := call(ctx, in, "AWSIdentityStore.CreateGroupMembership", map[string]any{"GroupId": gid, "MemberId": map[string]any{"UserId": uid}})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Membership ID": o["MembershipId"]}, nil
			}},
		{Okta: NS + ":removeUserFromGroup", Title: "Remove User from Group", Doc: "IdentityStoreAPIReference/API_DeleteGroupMembership.html",
			Description: "Removes a user from a group.",
			Inputs:      []engine.FieldSpec{in("Membership", "User", "string", true, "User ID or User Name"), in("Membership", "Group", "string", true, "Group ID or Name")},
			Outputs:     []engine.FieldSpec{out("Result", "Removed", "boolean")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				uid, err := userID(ctx, in, "User")
				if err != nil {
					return nil, err
				}
				gid, err := groupID(ctx, in, "Group")
				if err != nil {
					return nil, err
				}
				m, err := call(ctx, in, "AWSIdentityStore.GetGroupMembershipId", map[string]any{"GroupId": gid, "MemberId": map[string]any{"UserId": uid}})
				if err != nil {
					return nil, err
				}
				if _, err := call(ctx, in, "AWSIdentityStore.DeleteGroupMembership", map[string]any{"MembershipId": m["MembershipId"]}); err != nil {
					return nil, err
				}
				return engine.Outputs{"Removed": true}, nil
			}},
		{Okta: NS + ":assignAccountAccess", Title: "Assign Account Access", Doc: "APIReference/API_CreateAccountAssignment.html",
			Description: "Gives a user or group a permission set in an AWS account (an account assignment; AWS provisions it in the background).",
			Inputs:      assignIns, Outputs: assignOuts, Run: assignment("SWBExternalService.CreateAccountAssignment", "AccountAssignmentCreationStatus")},
		{Okta: NS + ":removeAccountAccess", Title: "Remove Account Access", Doc: "APIReference/API_DeleteAccountAssignment.html",
			Description: "Removes a user's or group's permission set from an AWS account.",
			Inputs:      assignIns, Outputs: assignOuts, Run: assignment("SWBExternalService.DeleteAccountAssignment", "AccountAssignmentDeletionStatus")},
	}
}

var accountRe = regexp.MustCompile(`^\d{12}$`)

func assignment(target, statusKey string) func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	return func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
		acct, err := in.Required("AWS Account ID")
		if err != nil {
			return nil, err
		}
		if !accountRe.MatchString(acct) {
			return nil, kit.Errorf("AWS Account ID", "must be a 12-digit account id, not %q", acct)
		}
		ps, err := permissionSet(ctx, in, "Permission Set")
		if err != nil {
			return nil, err
		}
		typ := strings.ToUpper(in.Text("principalType"))
		if typ == "" {
			typ = "USER"
		}
		var pid string
		switch typ {
		case "USER":
			pid, err = userID(ctx, in, "User or Group")
		case "GROUP":
			pid, err = groupID(ctx, in, "User or Group")
		default:
			return nil, kit.Errorf("principalType", "%q is not User or Group", in.Text("principalType"))
		}
		if err != nil {
			return nil, err
		}
		o, err := call(ctx, in, target, map[string]any{"TargetId": acct, "TargetType": "AWS_ACCOUNT", "PermissionSetArn": ps,
			"PrincipalType": typ, "PrincipalId": pid})
		if err != nil {
			return nil, err
		}
		st, _ := o[statusKey].(map[string]any)
		return engine.Outputs{"Status": st["Status"], "Request ID": st["RequestId"]}, nil
	}
}
