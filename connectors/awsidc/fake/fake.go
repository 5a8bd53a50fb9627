// Package fake is a local AWS IAM Identity Center: the Identity Store API
// (users, groups, group memberships; JSON 1.1, X-Amz-Target
// AWSIdentityStore.*) and the SSO Admin API (instances, permission sets,
// account assignments; X-Amz-Target SWBExternalService.*) on one address,
// with every request's Signature Version 4 checked against the seeded
// access key (a wrong key, secret, scope or a request older than 15
// minutes is refused as AWS does).
//
// AWS publishes these APIs as Smithy models (the SDKs' sources), not as an
// OpenAPI description, so the fake follows the request and response shapes
// documented in the Identity Store and IAM Identity Center API references:
// errors are {"__type","Message"} with the x-amzn-ErrorType header.
package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// Defaults of the seeded organization.
const (
	DefaultAccessKeyID     = "AKIAFLOWBENCHSANDBOX"
	DefaultSecretAccessKey = "fbSandboxSecretAccessKey/0000000000000000"
	DefaultRegion          = "us-east-1"
	IdentityStoreID        = "d-9067fbsand"
	InstanceArn            = "arn:aws:sso:::instance/ssoins-7223fbsandbox0001"
	AccountID              = "111122223333"
)

// Signer is how the fake recomputes a signature (the connector's SigV4
// signer; passed in so the fake does not import the connector).
type Signer func(ctx context.Context, req *http.Request, body []byte, accessKey, secret, service, region string, t time.Time) error

// Config configures the fake; the zero value needs Sign.
type Config struct {
	AccessKeyID, SecretAccessKey, Region string
	Sign                                 Signer
	Now                                  func() time.Time
}

// Assignment is an account assignment.
type Assignment struct {
	Account, PermissionSet, PrincipalType, PrincipalID string
}

// Server is a fake IAM Identity Center. Safe for concurrent use.
type Server struct {
	faults   *fakeapi.Faults
	once     sync.Once
	handler  http.Handler
	cfg      Config
	mu       sync.Mutex
	revoked  bool
	users    map[string]map[string]any
	groups   map[string]map[string]any
	members  map[string]map[string]any // membership id → {GroupId, MemberId:{UserId}}
	permSets map[string]string         // arn → name
	assigned []Assignment
	n        int
}

// New returns a seeded Identity Center.
func New(cfg Config) *Server {
	if cfg.AccessKeyID == "" {
		cfg.AccessKeyID, cfg.SecretAccessKey = DefaultAccessKeyID, DefaultSecretAccessKey
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, users: map[string]map[string]any{}, groups: map[string]map[string]any{}, members: map[string]map[string]any{},
		permSets: map[string]string{}}
	for _, p := range [][2]string{{"Alice", "Nguyen"}, {"Bob", "Martinez"}, {"Carol", "Okafor"}, {"David", "Kim"}} {
		login := strings.ToLower(p[0]+"."+p[1]) + "@example.com"
		s.addUser(login, p[0], p[1], login)
	}
	for _, g := range []string{"Engineering", "AWS Admins"} {
		s.addGroup(g, g+" (synced from Okta)")
	}
	for i, ps := range []string{"AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess"} {
		s.permSets[fmt.Sprintf("arn:aws:sso:::permissionSet/ssoins-7223fbsandbox0001/ps-%016x", i+1)] = ps
	}
	return s
}

func (s *Server) id(prefix string) string {
	s.n++
	return fmt.Sprintf("%s%08x-70a1-4c3e-9b5d-%012x", prefix, 0x90687000+s.n, s.n)
}

func (s *Server) addUser(userName, given, family, email string) map[string]any {
	u := map[string]any{"UserId": s.id(""), "IdentityStoreId": IdentityStoreID, "UserName": userName,
		"DisplayName": strings.TrimSpace(given + " " + family), "Name": map[string]any{"GivenName": given, "FamilyName": family},
		"Emails": []any{map[string]any{"Value": email, "Type": "work", "Primary": true}}}
	s.users[u["UserId"].(string)] = u
	return u
}

func (s *Server) addGroup(name, desc string) map[string]any {
	g := map[string]any{"GroupId": s.id(""), "IdentityStoreId": IdentityStoreID, "DisplayName": name, "Description": desc}
	s.groups[g["GroupId"].(string)] = g
	return g
}

// PermissionSetArn returns a seeded permission set's ARN by name.
func (s *Server) PermissionSetArn(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for arn, n := range s.permSets {
		if n == name {
			return arn
		}
	}
	return ""
}

// Assignments returns the account assignments.
func (s *Server) Assignments() []Assignment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Assignment(nil), s.assigned...)
}

// GroupsOf returns the names of a user's groups.
func (s *Server) GroupsOf(userName string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.members {
		if u := s.users[m["MemberId"].(map[string]any)["UserId"].(string)]; u != nil && u["UserName"] == userName {
			out = append(out, s.groups[m["GroupId"].(string)]["DisplayName"].(string))
		}
	}
	sort.Strings(out)
	return out
}

// Revoke disables the access key (as deactivating it in IAM does).
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

func (s *Server) setup() {
	s.once.Do(func() {
		s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, _ *http.Request, status int) {
			if status == http.StatusTooManyRequests {
				awsError(w, 400, "ThrottlingException", "Rate exceeded")
				return
			}
			awsError(w, status, "InternalServerException", http.StatusText(status))
		})
		s.handler = s.faults.Wrap(http.HandlerFunc(s.serve))
	})
}

// ServeHTTP implements kit.Fake (fault injection first).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.setup()
	s.handler.ServeHTTP(w, r)
}

// SetFaults implements kit.Fake.
func (s *Server) SetFaults(f []kit.Fault) { s.setup(); s.faults.Set(f) }

// Connection implements kit.Fake: the seeded access key.
func (s *Server) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("awsidc"), Name: "Sandbox AWS IAM Identity Center", Kind: "awsidc",
		Config: map[string]any{kit.CfgAuthMethod: "awsAccessKey", kit.CfgBaseURL: base, "region": s.cfg.Region,
			"accessKeyId": s.cfg.AccessKeyID, "identityStoreId": IdentityStoreID, "instanceArn": InstanceArn},
		Secrets: map[string]string{"secretAccessKey": s.cfg.SecretAccessKey}}
}

var authRe = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$`)

// verify checks the request's SigV4 signature; it returns the AWS error
// type and message when it fails.
func (s *Server) verify(r *http.Request, body []byte) (int, string, string) {
	m := authRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return 400, "MissingAuthenticationTokenException", "Missing Authentication Token"
	}
	key, day, region, service, signed := m[1], m[2], m[3], m[4], m[5]
	if key != s.cfg.AccessKeyID || s.revoked {
		return 400, "UnrecognizedClientException", "The security token included in the request is invalid."
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil || at.Format("20060102") != day {
		return 400, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format' and match the credential scope"
	}
	if d := s.cfg.Now().Sub(at); d > 15*time.Minute || d < -15*time.Minute {
		return 400, "InvalidSignatureException", "Signature expired: " + r.Header.Get("X-Amz-Date") + " is now earlier than the allowed time."
	}
	if region != s.cfg.Region {
		return 400, "InvalidSignatureException", "Credential should be scoped to a valid region, not '" + region + "'."
	}
	if s.cfg.Sign == nil {
		return 500, "InternalServerException", "the fake has no signer"
	}
	// re-sign a copy holding only the signed headers, at the request's time
	cp, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	cp.Host = r.Host
	cp.ContentLength = r.ContentLength
	for _, h := range strings.Split(signed, ";") {
		if h != "host" {
			cp.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	if err := s.cfg.Sign(r.Context(), cp, body, key, s.cfg.SecretAccessKey, service, region, at); err != nil {
		return 500, "InternalServerException", err.Error()
	}
	if cp.Header.Get("Authorization") != r.Header.Get("Authorization") {
		return 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
	}
	return 0, "", ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || r.Method != http.MethodPost || r.URL.Path != "/" {
		awsError(w, 404, "UnknownOperationException", "Unknown operation")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, typ, msg := s.verify(r, body); st != 0 {
		awsError(w, st, typ, msg)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		awsError(w, 400, "SerializationException", "Content-Type must be application/x-amz-json-1.1, not "+ct)
		return
	}
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil {
		awsError(w, 400, "SerializationException", "Start of structure or map found where not expected.")
		return
	}
	target := r.Header.Get("X-Amz-Target")
	svc, op, _ := strings.Cut(target, ".")
	switch svc {
	case "AWSIdentityStore":
		if in["IdentityStoreId"] != IdentityStoreID {
			awsError(w, 400, "ResourceNotFoundException", fmt.Sprintf("IdentityStore %v not found", in["IdentityStoreId"]))
			return
		}
		s.identityStore(w, op, in)
	case "SWBExternalService":
		if op != "ListInstances" && in["InstanceArn"] != InstanceArn {
			awsError(w, 400, "ResourceNotFoundException", fmt.Sprintf("Instance %v not found", in["InstanceArn"]))
			return
		}
		s.ssoAdmin(w, op, in)
	default:
		awsError(w, 400, "UnknownOperationException", "Unknown operation "+target)
	}
}

func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, k := range path {
		mm, _ := cur.(map[string]any)
		cur = mm[k]
	}
	s, _ := cur.(string)
	return s
}

func (s *Server) identityStore(w http.ResponseWriter, op string, in map[string]any) {
	switch op {
	case "CreateUser":
		name := str(in, "UserName")
		if name == "" || str(in, "DisplayName") == "" || str(in, "Name", "GivenName") == "" || str(in, "Name", "FamilyName") == "" {
			awsError(w, 400, "ValidationException", "UserName, DisplayName, Name.GivenName and Name.FamilyName are required")
			return
		}
		for _, u := range s.users {
			if strings.EqualFold(u["UserName"].(string), name) {
				awsError(w, 400, "ConflictException", "Duplicate UserName")
				return
			}
		}
		email := ""
		if es, ok := in["Emails"].([]any); ok && len(es) > 0 {
			email = str(es[0].(map[string]any), "Value")
		}
		u := s.addUser(name, str(in, "Name", "GivenName"), str(in, "Name", "FamilyName"), email)
		u["DisplayName"] = str(in, "DisplayName")
		if email == "" {
			delete(u, "Emails")
		}
		writeJSON(w, map[string]any{"UserId": u["UserId"], "IdentityStoreId": IdentityStoreID})
	case "DescribeUser":
		if u := s.users[str(in, "UserId")]; u != nil {
			writeJSON(w, u)
			return
		}
		awsError(w, 400, "ResourceNotFoundException", "USER not found")
	case "GetUserId":
		if str(in, "AlternateIdentifier", "UniqueAttribute", "AttributePath") != "userName" {
			awsError(w, 400, "ValidationException", "AttributePath must be userName")
			return
		}
		v, _ := in["AlternateIdentifier"].(map[string]any)["UniqueAttribute"].(map[string]any)["AttributeValue"].(string)
		for _, u := range s.users {
			if strings.EqualFold(u["UserName"].(string), v) {
				writeJSON(w, map[string]any{"UserId": u["UserId"], "IdentityStoreId": IdentityStoreID})
				return
			}
		}
		awsError(w, 400, "ResourceNotFoundException", "USER not found")
	case "DeleteUser":
		id := str(in, "UserId")
		if s.users[id] == nil {
			awsError(w, 400, "ResourceNotFoundException", "USER not found")
			return
		}
		delete(s.users, id)
		for mid, m := range s.members {
			if m["MemberId"].(map[string]any)["UserId"] == id {
				delete(s.members, mid)
			}
		}
		writeJSON(w, map[string]any{})
	case "CreateGroup":
		name := str(in, "DisplayName")
		if name == "" {
			awsError(w, 400, "ValidationException", "DisplayName is required")
			return
		}
		for _, g := range s.groups {
			if g["DisplayName"] == name {
				awsError(w, 400, "ConflictException", "Duplicate GroupDisplayName")
				return
			}
		}
		g := s.addGroup(name, str(in, "Description"))
		writeJSON(w, map[string]any{"GroupId": g["GroupId"], "IdentityStoreId": IdentityStoreID})
	case "GetGroupId":
		v := str(in, "AlternateIdentifier", "UniqueAttribute", "AttributeValue")
		for _, g := range s.groups {
			if g["DisplayName"] == v {
				writeJSON(w, map[string]any{"GroupId": g["GroupId"], "IdentityStoreId": IdentityStoreID})
				return
			}
		}
		awsError(w, 400, "ResourceNotFoundException", "GROUP not found")
	case "CreateGroupMembership", "GetGroupMembershipId":
		gid, uid := str(in, "GroupId"), str(in, "MemberId", "UserId")
		if s.groups[gid] == nil {
			awsError(w, 400, "ResourceNotFoundException", "GROUP not found")
			return
		}
		if s.users[uid] == nil {
			awsError(w, 400, "ResourceNotFoundException", "USER not found")
			return
		}
		for mid, m := range s.members {
			if m["GroupId"] == gid && m["MemberId"].(map[string]any)["UserId"] == uid {
				if op == "CreateGroupMembership" {
					awsError(w, 400, "ConflictException", "Member is already in the group")
					return
				}
				writeJSON(w, map[string]any{"MembershipId": mid, "IdentityStoreId": IdentityStoreID})
				return
			}
		}
		if op == "GetGroupMembershipId" {
			awsError(w, 400, "ResourceNotFoundException", "GROUP_MEMBERSHIP not found")
			return
		}
		mid := s.id("")
		s.members[mid] = map[string]any{"MembershipId": mid, "GroupId": gid, "MemberId": map[string]any{"UserId": uid}, "IdentityStoreId": IdentityStoreID}
		writeJSON(w, map[string]any{"MembershipId": mid, "IdentityStoreId": IdentityStoreID})
	case "DeleteGroupMembership":
		mid := str(in, "MembershipId")
		if s.members[mid] == nil {
			awsError(w, 400, "ResourceNotFoundException", "GROUP_MEMBERSHIP not found")
			return
		}
		delete(s.members, mid)
		writeJSON(w, map[string]any{})
	case "ListGroupMembershipsForMember":
		uid := str(in, "MemberId", "UserId")
		list := []any{}
		for _, m := range s.members {
			if m["MemberId"].(map[string]any)["UserId"] == uid {
				list = append(list, m)
			}
		}
		sort.Slice(list, func(a, b int) bool {
			return list[a].(map[string]any)["MembershipId"].(string) < list[b].(map[string]any)["MembershipId"].(string)
		})
		writeJSON(w, map[string]any{"GroupMemberships": list})
	default:
		awsError(w, 400, "UnknownOperationException", "Unknown operation AWSIdentityStore."+op)
	}
}

func (s *Server) ssoAdmin(w http.ResponseWriter, op string, in map[string]any) {
	switch op {
	case "ListInstances":
		writeJSON(w, map[string]any{"Instances": []any{map[string]any{"InstanceArn": InstanceArn, "IdentityStoreId": IdentityStoreID,
			"Name": "flowbench-sandbox", "Status": "ACTIVE", "OwnerAccountId": AccountID}}})
	case "ListPermissionSets":
		var arns []string
		for a := range s.permSets {
			arns = append(arns, a)
		}
		sort.Strings(arns)
		writeJSON(w, map[string]any{"PermissionSets": arns})
	case "DescribePermissionSet":
		arn := str(in, "PermissionSetArn")
		name, ok := s.permSets[arn]
		if !ok {
			awsError(w, 400, "ResourceNotFoundException", "PermissionSet not found")
			return
		}
		writeJSON(w, map[string]any{"PermissionSet": map[string]any{"Name": name, "PermissionSetArn": arn, "SessionDuration": "PT1H",
			"CreatedDate": 1.7e9}})
	case "CreateAccountAssignment", "DeleteAccountAssignment":
		a := Assignment{Account: str(in, "TargetId"), PermissionSet: str(in, "PermissionSetArn"), PrincipalType: str(in, "PrincipalType"),
			PrincipalID: str(in, "PrincipalId")}
		if str(in, "TargetType") != "AWS_ACCOUNT" || len(a.Account) != 12 {
			awsError(w, 400, "ValidationException", "TargetId must be a 12-digit AWS account id and TargetType AWS_ACCOUNT")
			return
		}
		if _, ok := s.permSets[a.PermissionSet]; !ok {
			awsError(w, 400, "ResourceNotFoundException", "PermissionSet not found")
			return
		}
		switch a.PrincipalType {
		case "USER":
			if s.users[a.PrincipalID] == nil {
				awsError(w, 400, "ResourceNotFoundException", "USER not found")
				return
			}
		case "GROUP":
			if s.groups[a.PrincipalID] == nil {
				awsError(w, 400, "ResourceNotFoundException", "GROUP not found")
				return
			}
		default:
			awsError(w, 400, "ValidationException", "PrincipalType must be USER or GROUP")
			return
		}
		idx := -1
		for i, x := range s.assigned {
			if x == a {
				idx = i
			}
		}
		key := "AccountAssignmentCreationStatus"
		if op == "DeleteAccountAssignment" {
			key = "AccountAssignmentDeletionStatus"
			if idx < 0 {
				awsError(w, 400, "ResourceNotFoundException", "AccountAssignment not found")
				return
			}
			s.assigned = append(s.assigned[:idx], s.assigned[idx+1:]...)
		} else if idx < 0 {
			s.assigned = append(s.assigned, a)
		}
		writeJSON(w, map[string]any{key: map[string]any{"Status": "IN_PROGRESS", "RequestId": s.id("req-"), "TargetId": a.Account,
			"TargetType": "AWS_ACCOUNT", "PermissionSetArn": a.PermissionSet, "PrincipalType": a.PrincipalType, "PrincipalId": a.PrincipalID,
			"CreatedDate": float64(s.cfg.Now().Unix())}})
	default:
		awsError(w, 400, "UnknownOperationException", "Unknown operation SWBExternalService."+op)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", "fb000000-0000-4000-8000-000000000000")
	_ = json.NewEncoder(w).Encode(v)
}

func awsError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-ErrorType", typ)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"__type": typ, "Message": msg})
}
