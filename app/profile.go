package app

import (
	"context"
	"time"

	"github.com/flowbench/flowbench/connectors/okta"
)

// UserProfileSchema lists the user profile attributes of an Okta
// connection's org (base and custom, typed), read from its user schema and
// cached per connection; refresh reads it again. The Okta cards built from
// the org's schema (Read User, Update User, Create User) offer them as
// fields.
func (a *App) UserProfileSchema(connectionID string, refresh bool) (*okta.ProfileSchema, error) {
	c, err := a.Store.Connection(a.ctx, connectionID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	return okta.UserProfileSchema(ctx, c, refresh)
}
