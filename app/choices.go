package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// FieldChoices are the choices of a dropdown whose options come from a
// connection (engine.FieldSpec.ChoicesFrom: the Okta org's applications,
// its groups), as Okta's dynamic dropdowns list them.
type FieldChoices struct {
	Connection string          `json:"connection"`
	Source     string          `json:"source"`
	Noun       string          `json:"noun"`
	Choices    []engine.Choice `json:"choices"`
	Fetched    time.Time       `json:"fetched"`
}

type choicesEntry struct {
	updated time.Time // the connection's, so an edited connection is read again
	res     *FieldChoices
}

var (
	choicesMu    sync.Mutex
	choicesCache = map[[2]string]choicesEntry{}
)

// FieldChoices lists the choices of source for a card's connection, read
// once per connection and source (refresh reads them again). A connection
// of another kind than the source reads, or an unknown source, is an error
// that names them.
func (a *App) FieldChoices(connectionID, source string, refresh bool) (*FieldChoices, error) {
	src, ok := engine.ChoiceSourceNamed(source)
	if !ok {
		return nil, fmt.Errorf("no choice source %q", source)
	}
	if connectionID == "" {
		return nil, fmt.Errorf("choose a connection to list its %ss", src.Noun)
	}
	c, err := a.Store.Connection(a.ctx, connectionID)
	if err != nil {
		return nil, err
	}
	if c.Kind != src.Connection {
		title := func(kind string) string {
			if k, ok := a.Reg.ConnectionKind(kind); ok && k.Title != "" {
				return k.Title
			}
			return kind
		}
		return nil, fmt.Errorf("connection %q is a %s connection; the %ss come from an %s connection", c.Name, title(c.Kind), src.Noun, title(src.Connection))
	}
	key := [2]string{connectionID, source}
	choicesMu.Lock()
	e, hit := choicesCache[key]
	choicesMu.Unlock()
	if hit && !refresh && e.updated.Equal(c.Updated) {
		return e.res, nil
	}
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	list, err := src.List(ctx, c)
	if err != nil {
		return nil, err
	}
	res := &FieldChoices{Connection: connectionID, Source: source, Noun: src.Noun, Choices: list, Fetched: time.Now().UTC()}
	choicesMu.Lock()
	choicesCache[key] = choicesEntry{updated: c.Updated, res: res}
	choicesMu.Unlock()
	return res, nil
}
