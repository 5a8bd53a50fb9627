package fake

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	scUser     = "https://www.googleapis.com/auth/admin.directory.user"
	scUserRO   = "https://www.googleapis.com/auth/admin.directory.user.readonly"
	scSecurity = "https://www.googleapis.com/auth/admin.directory.user.security"
	scDevice   = "https://www.googleapis.com/auth/admin.directory.device.mobile"
	scGroup    = "https://www.googleapis.com/auth/admin.directory.group"
	scLicense  = "https://www.googleapis.com/auth/apps.licensing"
	scTransfer = "https://www.googleapis.com/auth/admin.datatransfer"
)

func etag(parts ...any) string { return fmt.Sprintf("%q", fmt.Sprint(parts...)) }

func (s *Server) userJSON(u *User) map[string]any {
	full := u.GivenName + " " + u.FamilyName
	m := map[string]any{
		"kind": "admin#directory#user", "id": u.ID, "etag": etag("u", u.ID, u.Suspended), "primaryEmail": u.Email,
		"name":    map[string]any{"givenName": u.GivenName, "familyName": u.FamilyName, "fullName": full},
		"isAdmin": u.Admin, "isDelegatedAdmin": false, "lastLoginTime": rfc3339(u.Created.Add(72 * time.Hour)),
		"creationTime": rfc3339(u.Created), "agreedToTerms": true, "suspended": u.Suspended, "archived": false,
		"changePasswordAtNextLogin": false, "ipWhitelisted": false,
		"emails":        []any{map[string]any{"address": u.Email, "primary": true}},
		"phones":        []any{map[string]any{"value": u.Phone, "type": "work"}},
		"organizations": []any{map[string]any{"title": u.Title, "department": u.Department, "primary": true, "customType": ""}},
		"externalIds":   []any{map[string]any{"value": "okta-" + strings.Split(u.Email, "@")[0], "type": "organization"}},
		"customerId":    "C03az79cb", "orgUnitPath": u.OrgUnit, "isMailboxSetup": true, "isEnrolledIn2Sv": u.Admin,
		"isEnforcedIn2Sv": false, "includeInGlobalAddressList": true,
	}
	if u.Suspended {
		m["suspensionReason"] = u.SuspensionReason
	}
	if len(u.Aliases) > 0 {
		m["aliases"] = u.Aliases
	}
	return m
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /token", s.token)
	m.HandleFunc("GET /o/oauth2/v2/auth", s.authPage)
	m.HandleFunc("POST /revoke", s.revoke)
	// Directory
	m.HandleFunc("GET /admin/directory/v1/users", s.listUsers)
	m.HandleFunc("GET /admin/directory/v1/users/{userKey}", s.getUser)
	m.HandleFunc("PUT /admin/directory/v1/users/{userKey}", s.updateUser)
	m.HandleFunc("PATCH /admin/directory/v1/users/{userKey}", s.updateUser)
	m.HandleFunc("POST /admin/directory/v1/users/{userKey}/signOut", s.signOut)
	m.HandleFunc("GET /admin/directory/v1/users/{userKey}/asps", s.listASPs)
	m.HandleFunc("DELETE /admin/directory/v1/users/{userKey}/asps/{codeId}", s.deleteASP)
	m.HandleFunc("GET /admin/directory/v1/users/{userKey}/tokens", s.listTokens)
	m.HandleFunc("DELETE /admin/directory/v1/users/{userKey}/tokens/{clientId}", s.deleteToken)
	m.HandleFunc("GET /admin/directory/v1/customer/{customerId}/devices/mobile", s.listDevices)
	m.HandleFunc("DELETE /admin/directory/v1/customer/{customerId}/devices/mobile/{resourceId}", s.deleteDevice)
	m.HandleFunc("POST /admin/directory/v1/groups", s.insertGroup)
	// Licensing
	m.HandleFunc("GET /apps/licensing/v1/product/{productId}/sku/{skuId}/user/{userId}", s.getLicense)
	m.HandleFunc("POST /apps/licensing/v1/product/{productId}/sku/{skuId}/user", s.insertLicense)
	m.HandleFunc("DELETE /apps/licensing/v1/product/{productId}/sku/{skuId}/user/{userId}", s.deleteLicense)
	// Data Transfer
	m.HandleFunc("GET /admin/datatransfer/v1/applications", s.listApplications)
	m.HandleFunc("POST /admin/datatransfer/v1/transfers", s.insertTransfer)
	m.HandleFunc("GET /admin/datatransfer/v1/transfers/{dataTransferId}", s.getTransfer)
	s.gmailRoutes(m)
	s.driveRoutes(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		gerr(w, 404, "notFound", "NOT_FOUND", "The requested URL "+r.URL.Path+" was not found on this server.")
	})
	s.mux = m
}

// userFor finds the path's user; it answers 404 itself.
func (s *Server) userFor(w http.ResponseWriter, key string) *User {
	u := s.userLocked(key)
	if u == nil {
		gerr(w, 404, "notFound", "NOT_FOUND", "Resource Not Found: userKey")
	}
	return u
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scUser, scUserRO) == nil {
		return
	}
	q := r.URL.Query()
	if q.Get("customer") == "" && q.Get("domain") == "" {
		badRequest(w, "Bad Request: a customer or domain is required")
		return
	}
	max := 100
	if n, err := strconv.Atoi(q.Get("maxResults")); err == nil && n > 0 && n <= 500 {
		max = n
	}
	start, _ := strconv.Atoi(q.Get("pageToken"))
	filter := strings.ToLower(q.Get("query"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []any
	for _, u := range s.users {
		if filter != "" && !strings.Contains(strings.ToLower(u.Email+" "+u.GivenName+" "+u.FamilyName), strings.TrimPrefix(strings.TrimPrefix(filter, "email:"), "name:")) {
			continue
		}
		list = append(list, s.userJSON(u))
	}
	out := map[string]any{"kind": "admin#directory#users", "etag": etag("users", len(list))}
	end := min(len(list), start+max)
	if start < len(list) {
		out["users"] = list[start:end]
	}
	if end < len(list) {
		out["nextPageToken"] = strconv.Itoa(end)
	}
	writeJSON(w, 200, out)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scUser, scUserRO) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.userFor(w, r.PathValue("userKey")); u != nil {
		writeJSON(w, 200, s.userJSON(u))
	}
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scUser) == nil {
		return
	}
	var body map[string]any
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFor(w, r.PathValue("userKey"))
	if u == nil {
		return
	}
	if v, ok := body["suspended"].(bool); ok {
		if v && u.Admin && s.countAdminsLocked() == 1 {
			gerr(w, 412, "conditionNotMet", "FAILED_PRECONDITION", "Cannot suspend the last super admin")
			return
		}
		u.Suspended = v
		u.SuspensionReason = ""
		if v {
			u.SuspensionReason = "ADMIN"
		}
	}
	if n, ok := body["name"].(map[string]any); ok {
		if g, ok := n["givenName"].(string); ok {
			u.GivenName = g
		}
		if f, ok := n["familyName"].(string); ok {
			u.FamilyName = f
		}
	}
	if p, ok := body["orgUnitPath"].(string); ok {
		u.OrgUnit = p
	}
	writeJSON(w, 200, s.userJSON(u))
}

func (s *Server) countAdminsLocked() int {
	n := 0
	for _, u := range s.users {
		if u.Admin && !u.Suspended {
			n++
		}
	}
	return n
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scSecurity) == nil {
		return
	}
	s.mu.Lock()
	u := s.userFor(w, r.PathValue("userKey"))
	if u != nil {
		for _, ss := range s.sessions {
			if strings.EqualFold(ss.subject, u.Email) && ss.refresh != "" {
				ss.revoked = true // web and device sessions end; the fake's user sessions are its OAuth grants
			}
		}
	}
	s.mu.Unlock()
	if u != nil {
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) listASPs(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scSecurity) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFor(w, r.PathValue("userKey"))
	if u == nil {
		return
	}
	items := []any{}
	for _, a := range u.ASPs {
		items = append(items, map[string]any{"kind": "admin#directory#asp", "etag": etag("asp", a.CodeID), "codeId": a.CodeID, "name": a.Name,
			"creationTime": strconv.FormatInt(a.Created.UnixMilli(), 10), "lastTimeUsed": strconv.FormatInt(a.LastUsed.UnixMilli(), 10), "userKey": u.ID})
	}
	writeJSON(w, 200, map[string]any{"kind": "admin#directory#asps", "etag": etag("asps", len(items)), "items": items})
}

func (s *Server) deleteASP(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scSecurity) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFor(w, r.PathValue("userKey"))
	if u == nil {
		return
	}
	id, err := strconv.Atoi(r.PathValue("codeId"))
	if err != nil {
		badRequest(w, "Invalid value for codeId: "+r.PathValue("codeId"))
		return
	}
	for i, a := range u.ASPs {
		if a.CodeID == id {
			u.ASPs = append(u.ASPs[:i:i], u.ASPs[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	notFound(w, "ASP")
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scSecurity) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFor(w, r.PathValue("userKey"))
	if u == nil {
		return
	}
	items := []any{}
	for _, t := range u.Tokens {
		items = append(items, map[string]any{"kind": "admin#directory#token", "etag": etag("tok", t.ClientID), "clientId": t.ClientID,
			"displayText": t.DisplayText, "anonymous": t.Anonymous, "nativeApp": t.NativeApp, "scopes": t.Scopes, "userKey": u.ID})
	}
	writeJSON(w, 200, map[string]any{"kind": "admin#directory#tokenList", "etag": etag("toks", len(items)), "items": items})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scSecurity) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userFor(w, r.PathValue("userKey"))
	if u == nil {
		return
	}
	for i, t := range u.Tokens {
		if t.ClientID == r.PathValue("clientId") {
			u.Tokens = append(u.Tokens[:i:i], u.Tokens[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	notFound(w, "Token")
}

func deviceJSON(d *Device) map[string]any {
	return map[string]any{"kind": "admin#directory#mobiledevice", "etag": etag("dev", d.ResourceID), "resourceId": d.ResourceID,
		"deviceId": d.DeviceID, "email": []any{d.Email}, "name": []any{d.Name}, "model": d.Model, "os": d.OS, "status": d.Status,
		"type": d.Type, "firstSync": "2024-03-05T10:00:00.000Z", "lastSync": "2024-11-28T08:30:00.000Z"}
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scDevice) == nil {
		return
	}
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query")))
	email := ""
	if v, ok := strings.CutPrefix(q, "email:"); ok {
		email = strings.Trim(v, `"'`)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, d := range s.devices {
		if email != "" && strings.ToLower(d.Email) != email {
			continue
		}
		if q != "" && email == "" && !strings.Contains(strings.ToLower(d.Email+" "+d.Name+" "+d.Model), q) {
			continue
		}
		list = append(list, deviceJSON(d))
	}
	writeJSON(w, 200, map[string]any{"kind": "admin#directory#mobiledevices", "etag": etag("devs", len(list)), "mobiledevices": list})
}

func (s *Server) deleteDevice(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scDevice) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, d := range s.devices {
		if d.ResourceID == r.PathValue("resourceId") {
			s.devices = append(s.devices[:i:i], s.devices[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	gerr(w, 404, "notFound", "NOT_FOUND", "Resource Not Found: resourceId")
}

func (s *Server) insertGroup(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scGroup) == nil {
		return
	}
	var body struct{ Email, Name, Description string }
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	if !strings.Contains(body.Email, "@") {
		gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid Input: email")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.groups {
		if strings.EqualFold(g.Email, body.Email) {
			gerr(w, 409, "duplicate", "ALREADY_EXISTS", "Entity already exists.")
			return
		}
	}
	if body.Name == "" {
		body.Name = strings.Split(body.Email, "@")[0]
	}
	g := &Group{ID: fmt.Sprintf("0%014x", s.newID()), Email: body.Email, Name: body.Name, Description: body.Description}
	s.groups = append(s.groups, g)
	writeJSON(w, 200, map[string]any{"kind": "admin#directory#group", "id": g.ID, "etag": etag("g", g.ID), "email": g.Email,
		"name": g.Name, "description": g.Description, "directMembersCount": "0", "adminCreated": true})
}

// --- licensing ---

func skuName(product, sku string) (string, string, bool) {
	for _, k := range SKUs {
		if k.ProductID == product && k.SkuID == sku {
			return k.ProductName, k.SkuName, true
		}
	}
	return "", "", false
}

func licenseJSON(l License) map[string]any {
	pn, sn, _ := skuName(l.ProductID, l.SkuID)
	return map[string]any{"kind": "licensing#licenseAssignment", "etags": etag("lic", l.ProductID, l.SkuID, l.UserID),
		"selfLink": "https://licensing.googleapis.com/apps/licensing/v1/product/" + l.ProductID + "/sku/" + l.SkuID + "/user/" + l.UserID,
		"userId":   l.UserID, "productId": l.ProductID, "skuId": l.SkuID, "skuName": sn, "productName": pn}
}

func (s *Server) getLicense(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scLicense) == nil {
		return
	}
	p, k := r.PathValue("productId"), r.PathValue("skuId")
	if _, _, ok := skuName(p, k); !ok {
		gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid productId/skuId")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(r.PathValue("userId"))
	for _, l := range s.licenses {
		if u != nil && l.ProductID == p && l.SkuID == k && strings.EqualFold(l.UserID, u.Email) {
			writeJSON(w, 200, licenseJSON(l))
			return
		}
	}
	gerr(w, 404, "notFound", "NOT_FOUND", "User does not have a license for specified sku and product")
}

func (s *Server) insertLicense(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scLicense) == nil {
		return
	}
	var body struct {
		UserID string `json:"userId"`
	}
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	p, k := r.PathValue("productId"), r.PathValue("skuId")
	if _, _, ok := skuName(p, k); !ok {
		gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid productId/skuId")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(body.UserID)
	if u == nil {
		gerr(w, 404, "notFound", "NOT_FOUND", "User not found: "+body.UserID)
		return
	}
	for _, l := range s.licenses {
		if l.ProductID == p && l.SkuID == k && strings.EqualFold(l.UserID, u.Email) {
			gerr(w, 412, "conditionNotMet", "FAILED_PRECONDITION", "User already has a license for the specified product and SKU")
			return
		}
	}
	l := License{ProductID: p, SkuID: k, UserID: u.Email}
	s.licenses = append(s.licenses, l)
	writeJSON(w, 200, licenseJSON(l))
}

func (s *Server) deleteLicense(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scLicense) == nil {
		return
	}
	p, k := r.PathValue("productId"), r.PathValue("skuId")
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(r.PathValue("userId"))
	for i, l := range s.licenses {
		if u != nil && l.ProductID == p && l.SkuID == k && strings.EqualFold(l.UserID, u.Email) {
			s.licenses = append(s.licenses[:i:i], s.licenses[i+1:]...)
			writeJSON(w, 200, map[string]any{})
			return
		}
	}
	gerr(w, 404, "notFound", "NOT_FOUND", "User does not have a license for specified sku and product")
}

// Licenses lists a user's license assignments (tests).
func (s *Server) Licenses(email string) []License {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []License
	for _, l := range s.licenses {
		if strings.EqualFold(l.UserID, email) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SkuID < out[j].SkuID })
	return out
}

// User returns a copy of a user (tests), or nil.
func (s *Server) User(key string) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.userLocked(key); u != nil {
		c := *u
		return &c
	}
	return nil
}

// --- data transfer ---

const (
	AppDrive    = "55656082996"
	AppCalendar = "435070579839"
)

func (s *Server) listApplications(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scTransfer) == nil {
		return
	}
	writeJSON(w, 200, map[string]any{"kind": "admin#datatransfer#applicationsList", "etag": etag("apps"), "applications": []any{
		map[string]any{"kind": "admin#datatransfer#ApplicationResource", "etag": etag("app", AppDrive), "id": AppDrive, "name": "Drive and Docs",
			"transferParams": []any{map[string]any{"key": "PRIVACY_LEVEL", "value": []any{"PRIVATE", "SHARED"}}}},
		map[string]any{"kind": "admin#datatransfer#ApplicationResource", "etag": etag("app", AppCalendar), "id": AppCalendar, "name": "Calendar",
			"transferParams": []any{map[string]any{"key": "RELEASE_RESOURCES", "value": []any{"TRUE"}}}},
	}})
}

func transferJSON(t *Transfer, status string) map[string]any {
	apps := make([]any, len(t.Apps))
	for i, a := range t.Apps {
		c := map[string]any{}
		for k, v := range a {
			c[k] = v
		}
		c["applicationTransferStatus"] = status
		apps[i] = c
	}
	return map[string]any{"kind": "admin#datatransfer#DataTransfer", "etag": etag("tr", t.ID), "id": t.ID, "oldOwnerUserId": t.OldOwner,
		"newOwnerUserId": t.NewOwner, "applicationDataTransfers": apps, "overallTransferStatusCode": status, "requestTime": rfc3339(t.Time)}
}

func (s *Server) insertTransfer(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scTransfer) == nil {
		return
	}
	var body struct {
		OldOwnerUserID string           `json:"oldOwnerUserId"`
		NewOwnerUserID string           `json:"newOwnerUserId"`
		Apps           []map[string]any `json:"applicationDataTransfers"`
	}
	if err := decodeBody(r, &body); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.userLocked(body.OldOwnerUserID), s.userLocked(body.NewOwnerUserID)
	switch {
	case from == nil || to == nil:
		gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid Input: oldOwnerUserId and newOwnerUserId must be the ids of existing users")
		return
	case from == to:
		gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid Input: the old and new owner are the same user")
		return
	case len(body.Apps) == 0:
		gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid Input: applicationDataTransfers is required")
		return
	}
	for _, a := range body.Apps {
		if id := fmt.Sprint(a["applicationId"]); id != AppDrive && id != AppCalendar {
			gerr(w, 400, "invalid", "INVALID_ARGUMENT", "Invalid Input: unknown applicationId "+id)
			return
		}
	}
	t := &Transfer{ID: fmt.Sprintf("AKrEtIb%012d", s.newID()), OldOwner: from.ID, NewOwner: to.ID, Apps: body.Apps, Time: time.Now()}
	s.transfers = append(s.transfers, t)
	// the transfer runs: Drive files change owner
	for _, a := range body.Apps {
		if fmt.Sprint(a["applicationId"]) == AppDrive {
			for _, f := range s.files {
				if strings.EqualFold(f.Owner, from.Email) {
					f.Owner = to.Email
				}
			}
		}
	}
	writeJSON(w, 200, transferJSON(t, "inProgress"))
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	if s.admin(w, r, scTransfer) == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.transfers {
		if t.ID == r.PathValue("dataTransferId") {
			writeJSON(w, 200, transferJSON(t, "completed"))
			return
		}
	}
	notFound(w, "Transfer")
}

// Transfers lists the transfer requests made (tests).
func (s *Server) Transfers() []Transfer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Transfer, len(s.transfers))
	for i, t := range s.transfers {
		out[i] = *t
	}
	return out
}
