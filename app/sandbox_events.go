package app

import (
	"context"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// The Run panel's sample of an Okta event card names records of the
// sandbox tenant: besides the user, group and app (sandbox.go,
// samplefill.go), the API token of API Token Created/Revoked (the seed's
// unused "Legacy SCIM integration") and the device of the Okta Devices
// cards (the tenant's first device), read once over the sandbox's API, and
// the actor's login and name (the tenant's admin).
func init() {
	RegisterHook(Hook{Name: "sandbox-event-samples", Start: func(_ context.Context, a *App) (func(), error) {
		s, _ := a.Exec.Services["sandbox"].(*sandbox.Server)
		if s == nil {
			return nil, nil
		}
		ents := sandboxEntities(s)
		a.sampleFixups = append(a.sampleFixups, func(_ *engine.Flow, in map[string]any) {
			for sampleID, e := range ents() {
				for k, v := range in {
					in[k] = swapEntity(v, sampleID, e)
				}
			}
		})
		return nil, nil
	}})
}

type tenantEntity struct{ id, alt, name string }

func sandboxEntities(s *sandbox.Server) func() map[string]tenantEntity {
	var once sync.Once
	out := map[string]tenantEntity{}
	return func() map[string]tenantEntity {
		once.Do(func() {
			list := func(path string) []map[string]any { return sandboxList(s, path) } // samplefill.go
			for _, t := range list("/api/v1/api-tokens") {
				if t["name"] == sandbox.LegacySCIMTokenName {
					id, _ := t["id"].(string)
					out[okta.SampleAPITokenID] = tenantEntity{id, "unknown", sandbox.LegacySCIMTokenName}
				}
			}
			if ds := list("/api/v1/devices?limit=1"); len(ds) > 0 {
				id, _ := ds[0]["id"].(string)
				p, _ := ds[0]["profile"].(map[string]any)
				name, _ := p["displayName"].(string)
				out[okta.SampleDeviceID] = tenantEntity{id, name, name}
			}
			// the actor: samplefill.go swaps the sample admin's id for the
			// tenant admin's; its login and name follow here
			if id := s.AdminUserID(); id != "" {
				if u, ok := s.User(id); ok {
					p, _ := u["profile"].(map[string]any)
					login, _ := p["login"].(string)
					first, _ := p["firstName"].(string)
					last, _ := p["lastName"].(string)
					out[id] = tenantEntity{id, login, strings.TrimSpace(first + " " + last)}
				}
			}
		})
		return out
	}
}

// swapEntity replaces a sample entity (an output object with ID, Display
// Name, Alternate ID, or a System Log target with id, displayName,
// alternateId) by the tenant's record, anywhere in v.
func swapEntity(v any, sampleID string, e tenantEntity) any {
	switch x := v.(type) {
	case map[string]any:
		if x["ID"] == sampleID {
			x["ID"], x["Display Name"], x["Alternate ID"] = e.id, e.name, e.alt
		}
		if x["id"] == sampleID {
			x["id"], x["displayName"], x["alternateId"] = e.id, e.name, e.alt
		}
		for k, c := range x {
			x[k] = swapEntity(c, sampleID, e)
		}
	case []any:
		for i, c := range x {
			x[i] = swapEntity(c, sampleID, e)
		}
	}
	return v
}
