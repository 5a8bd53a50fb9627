package kit

import (
	"context"

	"github.com/flowbench/flowbench/engine/trigger"
)

// A subscription the vendor keeps at one address (path): DeleteAt is a
// Subscriptions' Delete that DELETEs it, ReadAt its Exists that GETs it.

// DeleteAt makes Subscriptions.Delete for subscriptions kept at path(s).
func DeleteAt(path func(s *trigger.Subscription) string) func(context.Context, *Client, *trigger.Subscription) error {
	return func(ctx context.Context, c *Client, s *trigger.Subscription) error {
		_, err := c.Do(ctx, &Call{Method: "DELETE", Path: path(s)})
		return err
	}
}

// ReadAt makes Subscriptions.Exists for subscriptions kept at path(s).
func ReadAt(path func(s *trigger.Subscription) string) func(context.Context, *Client, *trigger.Subscription) error {
	return func(ctx context.Context, c *Client, s *trigger.Subscription) error {
		_, err := c.Do(ctx, &Call{Path: path(s)})
		return err
	}
}
