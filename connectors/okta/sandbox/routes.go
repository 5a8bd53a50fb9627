package sandbox

import (
	"net/http"
	"strings"
)

type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string)

type route struct {
	bucket           string
	auth             bool
	scope            string // scope an OAuth token needs ("" = any authenticated principal)
	h                handlerFunc
	methodNotAllowed bool
}

func read(bucket, scope string, h handlerFunc) route {
	return route{bucket: bucket, auth: true, scope: scope, h: h}
}

// match maps method+path to a route without regexps. segs are the path
// segments after "/api/v1/" (or after "/oauth2/v1/").
func (s *Server) match(method, path string) (route, []string) {
	if rest, ok := strings.CutPrefix(path, "/oauth2/v1/"); ok {
		switch rest {
		case "token":
			if method == http.MethodPost {
				return route{bucket: BucketOAuth, h: (*Server).handleToken}, nil
			}
			return route{bucket: BucketOAuth, methodNotAllowed: true}, nil
		case "keys":
			return route{bucket: BucketOAuth, h: (*Server).handleKeys}, nil
		}
		return route{bucket: BucketOAuth}, nil
	}
	if rest, ok := strings.CutPrefix(path, "/oauth2/default/v1/"); ok {
		switch rest {
		case "token":
			if method == http.MethodPost {
				return route{bucket: BucketOAuth, h: (*Server).handleDefaultToken}, nil
			}
			return route{bucket: BucketOAuth, methodNotAllowed: true}, nil
		case "keys":
			return route{bucket: BucketOAuth, h: (*Server).handleKeys}, nil
		}
		return route{bucket: BucketOAuth}, nil
	}
	if rest, ok := strings.CutPrefix(path, "/webauthn-registration/api/v1/"); ok { // webauthnprereg.go
		segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
		return matchWebAuthnPrereg(method, segs), segs
	}
	if rest, ok := strings.CutPrefix(path, "/governance/api/"); ok { // governance.go
		segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
		return matchGovernance(method, segs), segs
	}
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return route{bucket: BucketOther}, nil
	}
	rest = strings.TrimSuffix(rest, "/")
	segs := strings.Split(rest, "/")
	nm := func(b string) (route, []string) { return route{bucket: b, methodNotAllowed: true}, segs }
	if rt, ok := matchAuthServers(method, segs); ok { // authservers.go
		return rt, segs
	}
	switch segs[0] {
	case "realms":
		return matchRealms(method, segs), segs
	case "devices":
		return matchDevices(method, segs), segs
	case "api-tokens":
		return matchAPITokens(method, segs), segs // apitokens.go
	case "authenticators":
		return matchAuthenticators(method, segs), segs // authenticators.go
	case "org":
		if len(segs) == 1 {
			if method == http.MethodGet {
				return read(BucketOther, "okta.orgs.read", (*Server).getOrg), segs
			}
			return nm(BucketOther)
		}
	case "users":
		if rt, ok := matchLinkedObjects(method, segs); ok { // linkedobjects.go
			return rt, segs
		}
		if rt, ok := matchUserExtras(method, segs); ok { // factors, roles (factors.go)
			return rt, segs
		}
		switch len(segs) {
		case 1:
			switch method {
			case http.MethodGet:
				return read(BucketUsers, "okta.users.read", (*Server).listUsers), segs
			case http.MethodPost:
				return read(BucketUsers, "okta.users.manage", (*Server).createUser), segs
			}
			return nm(BucketUsers)
		case 2:
			switch method {
			case http.MethodGet:
				return read(BucketUser, "okta.users.read", (*Server).getUser), segs
			case http.MethodPost:
				return read(BucketUserWrite, "okta.users.manage", (*Server).updateUser), segs
			case http.MethodPut:
				return read(BucketUserWrite, "okta.users.manage", (*Server).replaceUser), segs
			case http.MethodDelete:
				return read(BucketUserWrite, "okta.users.manage", (*Server).deleteUser), segs
			}
			return nm(BucketUserWrite)
		case 3:
			switch segs[2] {
			case "groups":
				if method == http.MethodGet {
					return read(BucketUser, "okta.users.read", (*Server).listUserGroups), segs
				}
				return nm(BucketUser)
			case "appLinks":
				if method == http.MethodGet {
					return read(BucketUser, "okta.users.read", (*Server).listAppLinks), segs
				}
				return nm(BucketUser)
			case "sessions":
				if method == http.MethodDelete {
					return read(BucketUserWrite, "okta.users.manage", (*Server).clearUserSessions), segs
				}
				return nm(BucketUserWrite)
			case "classification":
				switch method {
				case http.MethodGet:
					return read(BucketUser, "okta.users.read", (*Server).getClassification), segs
				case http.MethodPut:
					return read(BucketUserWrite, "okta.users.manage", (*Server).putClassification), segs
				}
				return nm(BucketUserWrite)
			}
		case 4:
			if segs[2] == "lifecycle" {
				if method == http.MethodPost {
					return read(BucketUserWrite, "okta.users.manage", (*Server).userLifecycle), segs
				}
				return nm(BucketUserWrite)
			}
		}
		if method == http.MethodGet {
			return route{bucket: BucketUser}, segs
		}
		return route{bucket: BucketUserWrite}, segs
	case "groups":
		if rt, ok := matchGroupRules(method, segs); ok { // grouprules.go
			return rt, segs
		}
		if rt, ok := matchGroupRoles(method, segs); ok { // grouproles.go
			return rt, segs
		}
		if rt, ok := matchGroupOwners(method, segs); ok { // groupowners.go
			return rt, segs
		}
		switch len(segs) {
		case 1:
			switch method {
			case http.MethodGet:
				return read(BucketGroups, "okta.groups.read", (*Server).listGroups), segs
			case http.MethodPost:
				return read(BucketGroups, "okta.groups.manage", (*Server).createGroup), segs
			}
			return nm(BucketGroups)
		case 2:
			switch method {
			case http.MethodGet:
				return read(BucketGroup, "okta.groups.read", (*Server).getGroup), segs
			case http.MethodPut:
				return read(BucketGroup, "okta.groups.manage", (*Server).replaceGroup), segs
			case http.MethodDelete:
				return read(BucketGroup, "okta.groups.manage", (*Server).deleteGroup), segs
			}
			return nm(BucketGroup)
		case 3:
			if segs[2] == "users" {
				if method == http.MethodGet {
					return read(BucketGroup, "okta.groups.read", (*Server).listGroupUsers), segs
				}
				return nm(BucketGroup)
			}
		case 4:
			if segs[2] == "users" {
				switch method {
				case http.MethodPut:
					return read(BucketGroup, "okta.groups.manage", (*Server).addGroupUser), segs
				case http.MethodDelete:
					return read(BucketGroup, "okta.groups.manage", (*Server).removeGroupUser), segs
				}
				return nm(BucketGroup)
			}
		}
		if len(segs) == 1 {
			return route{bucket: BucketGroups}, segs
		}
		return route{bucket: BucketGroup}, segs
	case "apps":
		if rt, ok := matchAppExtras(method, segs); ok { // lifecycle, delete (applifecycle.go)
			return rt, segs
		}
		switch len(segs) {
		case 1:
			if method == http.MethodGet {
				return read(BucketApps, "okta.apps.read", (*Server).listApps), segs
			}
			return nm(BucketApps)
		case 2:
			if method == http.MethodGet {
				return read(BucketApp, "okta.apps.read", (*Server).getApp), segs
			}
			return nm(BucketApp)
		case 3:
			switch segs[2] {
			case "users":
				switch method {
				case http.MethodGet:
					return read(BucketApp, "okta.apps.read", (*Server).listAppUsers), segs
				case http.MethodPost:
					return read(BucketApp, "okta.apps.manage", (*Server).assignAppUser), segs
				}
				return nm(BucketApp)
			case "groups":
				if method == http.MethodGet {
					return read(BucketApp, "okta.apps.read", (*Server).listAppGroups), segs
				}
				return nm(BucketApp)
			}
		case 4:
			switch segs[2] {
			case "users":
				switch method {
				case http.MethodGet:
					return read(BucketApp, "okta.apps.read", (*Server).getAppUser), segs
				case http.MethodPost:
					return read(BucketApp, "okta.apps.manage", (*Server).updateAppUser), segs // appuserupdate.go
				case http.MethodDelete:
					return read(BucketApp, "okta.apps.manage", (*Server).unassignAppUser), segs
				}
				return nm(BucketApp)
			case "groups":
				switch method {
				case http.MethodGet:
					return read(BucketApp, "okta.apps.read", (*Server).getAppGroup), segs
				case http.MethodPut:
					return read(BucketApp, "okta.apps.manage", (*Server).assignAppGroup), segs
				case http.MethodDelete:
					return read(BucketApp, "okta.apps.manage", (*Server).unassignAppGroup), segs
				}
				return nm(BucketApp)
			}
		}
		if len(segs) == 1 {
			return route{bucket: BucketApps}, segs
		}
		return route{bucket: BucketApp}, segs
	case "identity-sources":
		if len(segs) < 3 || segs[2] != "sessions" {
			return route{bucket: BucketOther}, segs
		}
		const isRead, isManage = "okta.identitySources.read", "okta.identitySources.manage"
		switch len(segs) {
		case 3:
			switch method {
			case http.MethodGet:
				return read(BucketOther, isRead, (*Server).listImportSessions), segs
			case http.MethodPost:
				return read(BucketOther, isManage, (*Server).createImportSession), segs
			}
		case 4:
			switch method {
			case http.MethodGet:
				return read(BucketOther, isRead, (*Server).getImportSession), segs
			case http.MethodDelete:
				return read(BucketOther, isManage, (*Server).deleteImportSession), segs
			}
		case 5:
			if method == http.MethodPost {
				switch segs[4] {
				case "bulk-upsert":
					return read(BucketOther, isManage, bulkImportUpload(false)), segs
				case "bulk-delete":
					return read(BucketOther, isManage, bulkImportUpload(true)), segs
				case "start-import":
					return read(BucketOther, isManage, (*Server).startImport), segs
				}
			}
			return route{bucket: BucketOther}, segs
		default:
			return route{bucket: BucketOther}, segs
		}
		return nm(BucketOther)
	case "meta":
		if rt, ok := matchGroupSchema(method, segs); ok { // groupschema.go
			return rt, segs
		}
		if rt, ok := matchAppSchema(method, segs); ok { // appschema.go
			return rt, segs
		}
		if rt, ok := matchLinkedObjects(method, segs); ok { // linkedobjects.go
			return rt, segs
		}
		if rt, ok := matchUserTypes(method, segs); ok { // usertypes.go
			return rt, segs
		}
		if rt, ok := matchMeta(method, segs); ok {
			return rt, segs
		}
	case "logs":
		if len(segs) == 1 {
			if method == http.MethodGet {
				return read(BucketLogs, "okta.logs.read", (*Server).listLogs), segs
			}
			return nm(BucketLogs)
		}
		return route{bucket: BucketLogs}, segs
	}
	return route{bucket: BucketOther}, segs
}
