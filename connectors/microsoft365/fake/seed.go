package fake

import (
	"strings"
)

// seedPeople are the Okta sandbox's people (a subset), so flows that read
// a user in Okta find the same person in Microsoft 365.
var seedPeople = []struct{ first, last, dept, title, loc string }{
	{"Sandbox", "Admin", "IT", "Super Administrator", "US"},
	{"Alice", "Nguyen", "Engineering Staff", "Software Engineer", "US"},
	{"Bob", "Martinez", "Sales", "Account Executive", "US"},
	{"Carol", "Okafor", "Finance", "Controller", "GB"},
	{"David", "Kim", "Engineering", "Engineering Manager", ""},
	{"Emma", "Schmidt", "Marketing", "Product Marketing Manager", "DE"},
	{"Farah", "Haddad", "Human Resources", "HR Business Partner", "US"},
	{"George", "Papadopoulos", "IT", "Systems Administrator", "GR"},
	{"Hannah", "Johansson", "Support", "Support Engineer", "SE"},
	{"Ibrahim", "Diallo", "Engineering", "Site Reliability Engineer", "FR"},
	{"Julia", "Rossi", "Sales", "Sales Director", "IT"},
	{"Kenji", "Tanaka", "Engineering", "Software Engineer", "JP"},
	{"Priya", "Patel", "Engineering", "Principal Engineer", "US"},
	{"Zoe", "Williams", "Security", "CISO", "US"},
}

// Seeded SKUs (real Microsoft SKU ids and part numbers).
const (
	SkuE3   = "6fd2c87f-b296-42f0-b197-1e91e994b900" // ENTERPRISEPACK (Office 365 E3)
	SkuE5   = "06ebc4ee-1bb5-47dd-8120-11324bc54e06" // SPE_E5 (Microsoft 365 E5)
	SkuEMS  = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e" // EMS (Enterprise Mobility + Security E3)
	planEXO = "efb87545-963c-4e0d-99df-69c6916d9eb0" // EXCHANGE_S_ENTERPRISE
	planSPO = "5dbe027f-2339-4123-9542-606e4d348a72" // SHAREPOINTENTERPRISE
	planTMS = "57ff2da0-773e-42df-b2af-ffb7a2317929" // TEAMS1
)

// Seeded group and team ids (stable, so tests and examples can name them).
const (
	GroupEngineering = "0c2d9f11-5e4a-4b8c-9d01-e11000000001"
	GroupSales       = "0c2d9f11-5e4a-4b8c-9d01-e11000000002"
	GroupAllStaff    = "0c2d9f11-5e4a-4b8c-9d01-e11000000003"
	ChannelGeneral   = "19:general0engineering@thread.tacv2"
	ChannelAlerts    = "19:alerts0engineering@thread.tacv2"
	ChannelOncall    = "19:oncall0engineering@thread.tacv2"         // a private channel
	ChatAdminAlice   = "19:sandboxadmin_alicenguyen@unq.gbl.spaces" // a one-on-one chat
)

func plans(ids ...string) []any {
	names := map[string]string{planEXO: "EXCHANGE_S_ENTERPRISE", planSPO: "SHAREPOINTENTERPRISE", planTMS: "TEAMS1"}
	out := []any{}
	for _, id := range ids {
		out = append(out, map[string]any{"servicePlanId": id, "servicePlanName": names[id], "provisioningStatus": "Success", "appliesTo": "User"})
	}
	return out
}

func (s *Server) seed() {
	s.org = map[string]any{"id": TenantID, "displayName": "Flowbench Sandbox", "tenantType": "AAD", "countryLetterCode": "US",
		"createdDateTime": "2024-01-15T09:00:00Z", "verifiedDomains": []any{
			map[string]any{"name": Domain, "type": "Managed", "isDefault": false, "isInitial": true, "capabilities": "Email, OfficeCommunicationsOnline"},
			map[string]any{"name": "example.com", "type": "Managed", "isDefault": true, "isInitial": false, "capabilities": "Email, OfficeCommunicationsOnline"}},
		"assignedPlans": []any{}, "businessPhones": []any{}, "technicalNotificationMails": []any{"sandbox.admin@example.com"}}
	s.skus = []map[string]any{
		{"id": TenantID + "_" + SkuE3, "skuId": SkuE3, "skuPartNumber": "ENTERPRISEPACK", "appliesTo": "User", "capabilityStatus": "Enabled",
			"consumedUnits": 0.0, "prepaidUnits": map[string]any{"enabled": 25.0, "suspended": 0.0, "warning": 0.0, "lockedOut": 0.0},
			"servicePlans": plans(planEXO, planSPO, planTMS), "subscriptionIds": []any{newGUID()}, "accountId": TenantID, "accountName": "Flowbench Sandbox"},
		{"id": TenantID + "_" + SkuE5, "skuId": SkuE5, "skuPartNumber": "SPE_E5", "appliesTo": "User", "capabilityStatus": "Enabled",
			"consumedUnits": 0.0, "prepaidUnits": map[string]any{"enabled": 5.0, "suspended": 0.0, "warning": 0.0, "lockedOut": 0.0},
			"servicePlans": plans(planEXO, planSPO, planTMS), "subscriptionIds": []any{newGUID()}, "accountId": TenantID, "accountName": "Flowbench Sandbox"},
		{"id": TenantID + "_" + SkuEMS, "skuId": SkuEMS, "skuPartNumber": "EMS", "appliesTo": "User", "capabilityStatus": "Enabled",
			"consumedUnits": 0.0, "prepaidUnits": map[string]any{"enabled": 1.0, "suspended": 0.0, "warning": 0.0, "lockedOut": 0.0},
			"servicePlans": []any{}, "subscriptionIds": []any{newGUID()}, "accountId": TenantID, "accountName": "Flowbench Sandbox"},
	}
	for i, p := range seedPeople {
		upn := strings.ToLower(p.first + "." + p.last + "@example.com")
		id := "7d6f3a20-0000-4000-8000-" + pad12(i+1)
		u := map[string]any{"id": id, "displayName": p.first + " " + p.last, "givenName": p.first, "surname": p.last,
			"userPrincipalName": upn, "mail": upn, "mailNickname": strings.ToLower(p.first + "." + p.last), "jobTitle": p.title,
			"department": p.dept, "accountEnabled": true, "userType": "Member", "businessPhones": []any{}, "officeLocation": nil,
			"mobilePhone": nil, "preferredLanguage": "en-US", "createdDateTime": "2024-02-01T10:00:00Z", "otherMails": []any{},
			"proxyAddresses": []any{"SMTP:" + upn}, "aboutMe": nil, "ageGroup": nil, "companyName": "Flowbench Sandbox", "employeeId": nil}
		if p.loc != "" {
			u["usageLocation"] = p.loc
		} else {
			u["usageLocation"] = nil
		}
		s.users[id] = u
		s.order = append(s.order, id)
	}
	// Alice and Priya hold E3; the E3 SKU counts them
	for _, i := range []int{1, 12} {
		id := s.order[i]
		s.licenses[id] = []map[string]any{{"skuId": SkuE3, "disabledPlans": []any{}, "_assigned": "2024-02-01T10:00:00Z"}}
		s.skus[0]["consumedUnits"] = num(s.skus[0]["consumedUnits"]) + 1
	}
	group := func(id, name, nick, desc string, unified bool, members ...int) {
		g := map[string]any{"id": id, "displayName": name, "description": desc, "mailNickname": nick, "createdDateTime": "2024-02-01T10:00:00Z",
			"securityEnabled": !unified, "mailEnabled": unified, "groupTypes": []any{}, "mail": nil, "proxyAddresses": []any{}, "visibility": nil}
		if unified {
			g["groupTypes"] = []any{"Unified"}
			g["mail"] = nick + "@example.com"
			g["proxyAddresses"] = []any{"SMTP:" + nick + "@example.com"}
			g["visibility"] = "Private"
		}
		s.groups[id] = g
		s.gorder = append(s.gorder, id)
		for _, m := range members {
			s.members[id] = append(s.members[id], s.order[m])
		}
	}
	group(GroupEngineering, "Engineering", "engineering", "Engineering team (a Microsoft 365 group with a team)", true, 1, 4, 9, 11, 12)
	group(GroupSales, "Sales", "sales", "Sales team", true, 2, 10)
	group(GroupAllStaff, "All Staff Security", "allstaffsecurity", "Security group of every employee", false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
	t := &team{messages: map[string][]map[string]any{}, chMembers: map[string][]map[string]any{}}
	for _, uid := range s.members[GroupEngineering] {
		u := s.users[uid]
		roles := []any{}
		if uid == s.order[4] {
			roles = []any{"owner"}
		}
		t.members = append(t.members, map[string]any{"@odata.type": "#microsoft.graph.aadUserConversationMember", "id": membershipID(GroupEngineering, uid),
			"roles": roles, "displayName": u["displayName"], "userId": uid, "email": u["mail"], "tenantId": TenantID,
			"visibleHistoryStartDateTime": "0001-01-01T00:00:00Z"})
	}
	t.channels = []map[string]any{
		{"id": ChannelGeneral, "displayName": "General", "description": "Engineering", "membershipType": "standard", "email": "", "createdDateTime": "2024-02-01T10:00:00Z",
			"webUrl": "https://teams.microsoft.com/l/channel/" + ChannelGeneral + "/General"},
		{"id": ChannelAlerts, "displayName": "Alerts", "description": "Automated alerts", "membershipType": "standard", "email": "", "createdDateTime": "2024-02-01T10:00:00Z",
			"webUrl": "https://teams.microsoft.com/l/channel/" + ChannelAlerts + "/Alerts"},
		{"id": ChannelOncall, "displayName": "On-call", "description": "Incident responders", "membershipType": "private", "email": "", "createdDateTime": "2024-02-01T10:00:00Z",
			"webUrl": "https://teams.microsoft.com/l/channel/" + ChannelOncall + "/On-call"},
	}
	// the on-call channel: the team's owner
	for _, m := range t.members {
		if r, _ := m["roles"].([]any); len(r) > 0 {
			c := clone(m)
			c["id"] = membershipID(ChannelOncall, str(m["userId"]))
			t.chMembers[ChannelOncall] = append(t.chMembers[ChannelOncall], c)
		}
	}
	s.teams[GroupEngineering] = t
	s.chats[ChatAdminAlice] = &chat{members: []string{s.order[0], s.order[1]}}
}

func pad12(n int) string {
	s := "000000000000" + itoa(n)
	return s[len(s)-12:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
