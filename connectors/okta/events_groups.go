package okta

// Okta connector event cards on group admin roles (issue 10 point 8): the
// sandbox writes group.privilege.grant / revoke when a group gets or loses
// an admin role (POST/DELETE /api/v1/groups/{id}/roles).
var groupEventCards = func() bool {
	privEv := join(base, []string{"Actor", "Group"}, tail)
	EventCards = append(EventCards,
		EventCard{"groupPrivilegeGranted", "Group Privilege Granted", "group.privilege.grant", privEv},
		EventCard{"groupPrivilegeRevoked", "Group Privilege Revoked", "group.privilege.revoke", privEv})
	return true
}()
