package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Devices (Okta Identity Engine device registry; issue 10 point 8), used by
// the Okta Devices connector:
//
//	GET    /api/v1/devices[?limit&after&search&expand=user]   listDevices
//	GET    /api/v1/devices/{id}                               getDevice
//	DELETE /api/v1/devices/{id}                               deleteDevice (only DEACTIVATED)
//	POST   /api/v1/devices/{id}/lifecycle/{activate|deactivate|suspend|unsuspend}  (204)
//	GET    /api/v1/devices/{id}/users                         listDeviceUsers
//
// The seed registers one device for each of the first three active users (a
// Mac, an iPhone and a Windows laptop). Deactivating a device drops its user
// links, as Okta does.

type device struct {
	ID          string
	Status      string
	Created     time.Time
	LastUpdated time.Time
	Profile     map[string]any
	Users       []string
}

type deviceState struct {
	byID map[string]*device
	ids  []string
}

func (s *Server) devicesLocked() *deviceState {
	if s.devices != nil {
		return s.devices
	}
	s.devices = &deviceState{byID: map[string]*device{}}
	kinds := []map[string]any{
		{"platform": "MACOS", "manufacturer": "Apple Inc.", "model": "MacBookPro18,3", "osVersion": "14.4.1", "diskEncryptionType": "ALL_INTERNAL_VOLUMES"},
		{"platform": "IOS", "manufacturer": "Apple Inc.", "model": "iPhone15,2", "osVersion": "17.4"},
		{"platform": "WINDOWS", "manufacturer": "LENOVO", "model": "20XW0026US", "osVersion": "10.0.22631.3447"},
	}
	n := 0
	for _, uid := range s.userIDs {
		u := s.users[uid]
		if n == len(kinds) || u.Status != StatusActive {
			continue
		}
		p := map[string]any{"displayName": fmt.Sprintf("%s's %s", u.Profile["firstName"], kinds[n]["platform"]), "registered": true,
			"secureHardwarePresent": true, "serialNumber": fmt.Sprintf("SBX%07d", n+1)}
		for k, v := range kinds[n] {
			p[k] = v
		}
		d := &device{ID: fmt.Sprintf("guo%017d", n+1), Status: "ACTIVE", Created: u.Created, LastUpdated: u.Created, Profile: p, Users: []string{uid}}
		s.devices.byID[d.ID] = d
		s.devices.ids = append(s.devices.ids, d.ID)
		n++
	}
	slices.Sort(s.devices.ids)
	return s.devices
}

// AddDevice registers a device for a user (tests and seeds); it returns the id.
func (s *Server) AddDevice(idOrLogin, platform, displayName string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUserLocked(nil, idOrLogin)
	if u == nil {
		return "", false
	}
	ds := s.devicesLocked()
	now := time.Now().UTC()
	d := &device{ID: s.ids.next("guo"), Status: "ACTIVE", Created: now, LastUpdated: now, Users: []string{u.ID},
		Profile: map[string]any{"displayName": displayName, "platform": platform, "registered": true}}
	ds.byID[d.ID] = d
	ds.ids = sortedInsert(ds.ids, d.ID)
	return d.ID, true
}

func (d *device) render(base string) map[string]any {
	self := base + "/api/v1/devices/" + d.ID
	href := func(h string) map[string]any { return map[string]any{"href": h} }
	links := map[string]any{"self": href(self), "users": href(self + "/users")}
	switch d.Status {
	case "ACTIVE":
		links["deactivate"] = map[string]any{"href": self + "/lifecycle/deactivate", "hints": map[string]any{"allow": []string{"POST"}}}
		links["suspend"] = map[string]any{"href": self + "/lifecycle/suspend", "hints": map[string]any{"allow": []string{"POST"}}}
	case "SUSPENDED":
		links["unsuspend"] = map[string]any{"href": self + "/lifecycle/unsuspend", "hints": map[string]any{"allow": []string{"POST"}}}
		links["deactivate"] = map[string]any{"href": self + "/lifecycle/deactivate", "hints": map[string]any{"allow": []string{"POST"}}}
	case "DEACTIVATED":
		links["activate"] = map[string]any{"href": self + "/lifecycle/activate", "hints": map[string]any{"allow": []string{"POST"}}}
	}
	name, _ := d.Profile["displayName"].(string)
	return map[string]any{"id": d.ID, "status": d.Status, "created": fmtTime(d.Created), "lastUpdated": fmtTime(d.LastUpdated),
		"profile": cloneJSON(d.Profile), "resourceType": "UDDevice", "resourceId": d.ID, "resourceAlternateId": "",
		"resourceDisplayName": map[string]any{"value": name, "sensitive": false}, "_links": links}
}

func (d *device) field(path string) (any, bool) {
	switch path {
	case "id":
		return d.ID, true
	case "status":
		return d.Status, true
	case "created":
		return d.Created, true
	case "lastUpdated":
		return d.LastUpdated, true
	}
	if len(path) > 8 && path[:8] == "profile." {
		v, ok := d.Profile[path[8:]]
		return v, ok
	}
	return nil, false
}

func matchDevices(method string, segs []string) route {
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	switch {
	case len(segs) == 1 && method == http.MethodGet:
		return read(BucketOther, "okta.devices.read", (*Server).listDevices)
	case len(segs) == 2 && method == http.MethodGet:
		return read(BucketOther, "okta.devices.read", (*Server).getDevice)
	case len(segs) == 2 && method == http.MethodDelete:
		return read(BucketOther, "okta.devices.manage", (*Server).deleteDevice)
	case len(segs) == 3 && segs[2] == "users" && method == http.MethodGet:
		return read(BucketOther, "okta.devices.read", (*Server).listDeviceUsers)
	case len(segs) == 4 && segs[2] == "lifecycle" && method == http.MethodPost:
		return read(BucketOther, "okta.devices.manage", (*Server).deviceLifecycle)
	case len(segs) <= 4:
		return nm
	}
	return route{bucket: BucketOther}
}

func (s *Server) deviceOr404(w http.ResponseWriter, id string) *device {
	d := s.devicesLocked().byID[id]
	if d == nil {
		notFound(w, id, "Device")
	}
	return d
}

func (s *Server) deviceUsersLocked(d *device, base string) []any {
	out := []any{}
	for _, uid := range d.Users {
		if u := s.users[uid]; u != nil {
			out = append(out, map[string]any{"created": fmtTime(d.Created), "managementStatus": "NOT_MANAGED", "screenLockType": "BIOMETRIC",
				"user": u.render(base, false)})
		}
	}
	return out
}

// parseSearchList reads a device or realm list's limit (default and most 200) and search
// expression; ok is false once a bad one has been answered.
func parseSearchList(w http.ResponseWriter, q url.Values) (limit int, expr *exprNode, ok bool) {
	if limit, ok = parseLimit(w, q, 200, 200); !ok {
		return 0, nil, false
	}
	expr, ok = parseQueryExpr(w, "search", q.Get("search"), false)
	return limit, expr, ok
}

// searchPage pages the sorted ids after the cursor, keeping the items the search (nil: all) matches.
func searchPage[T interface{ field(string) (any, bool) }](ids []string, byID map[string]T, after string, limit int, expr *exprNode) ([]string, string) {
	return paginate(ids, after, limit, func(id string) bool {
		return expr == nil || expr.eval(byID[id].field)
	})
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, expr, ok := parseSearchList(w, q)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.devicesLocked()
	ids, next := searchPage(ds.ids, ds.byID, q.Get("after"), limit, expr)
	out := make([]any, len(ids))
	for i, id := range ids {
		d := ds.byID[id]
		m := d.render(rc.base)
		if q.Get("expand") == "user" || q.Get("expand") == "userSummary" {
			m["_embedded"] = map[string]any{"users": s.deviceUsersLocked(d, rc.base)}
		}
		out[i] = m
	}
	setPageLinks(w, r, rc, next, limit)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getDevice(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.deviceOr404(w, segs[1]); d != nil {
		writeJSON(w, http.StatusOK, d.render(rc.base))
	}
}

func (s *Server) listDeviceUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.deviceOr404(w, segs[1]); d != nil {
		writeJSON(w, http.StatusOK, s.deviceUsersLocked(d, rc.base))
	}
}

func (s *Server) deleteDevice(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deviceOr404(w, segs[1])
	if d == nil {
		return
	}
	if d.Status != "DEACTIVATED" {
		writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: device", "Deactivate the device before deleting it (status is "+d.Status+").")
		return
	}
	ds := s.devicesLocked()
	delete(ds.byID, d.ID)
	if i, ok := slices.BinarySearch(ds.ids, d.ID); ok {
		ds.ids = slices.Delete(ds.ids, i, i+1)
	}
	s.emitLocked(rc, "device.lifecycle.delete", "Delete device", "INFO", []LogTarget{deviceTarget(d)})
	w.WriteHeader(http.StatusNoContent)
}

func deviceTarget(d *device) LogTarget {
	name, _ := d.Profile["displayName"].(string)
	return LogTarget{ID: d.ID, Type: "Device", AlternateID: name, DisplayName: name}
}

func (s *Server) deviceLifecycle(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deviceOr404(w, segs[1])
	if d == nil {
		return
	}
	from := map[string][]string{"activate": {"DEACTIVATED"}, "deactivate": {"ACTIVE", "SUSPENDED"}, "suspend": {"ACTIVE"}, "unsuspend": {"SUSPENDED"}}
	to := map[string]string{"activate": "ACTIVE", "deactivate": "DEACTIVATED", "suspend": "SUSPENDED", "unsuspend": "ACTIVE"}
	op := segs[3]
	allowed, ok := from[op]
	if !ok {
		notFound(w, op, "lifecycle operation")
		return
	}
	if !slices.Contains(allowed, d.Status) {
		writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: device", fmt.Sprintf("Cannot %s a device whose status is %s.", op, d.Status))
		return
	}
	d.Status, d.LastUpdated = to[op], time.Now().UTC()
	if op == "deactivate" {
		d.Users = nil
	}
	s.emitLocked(rc, "device.lifecycle."+op, "Device "+op, "INFO", []LogTarget{deviceTarget(d)})
	w.WriteHeader(http.StatusNoContent)
}
