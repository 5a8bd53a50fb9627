package github

import (
	"errors"

	"github.com/flowbench/flowbench/engine"
)

func engineAs(err error, he **engine.HTTPError) bool { return errors.As(err, he) }
