package google

import (
	"github.com/flowbench/flowbench/connectors/google/fake"
	"github.com/flowbench/flowbench/connectors/kit"
)

// The fake Google APIs run in the window and in serve like the Okta
// sandbox (ready connection "sandbox-google") and alone with
// `flowbench sandbox --app google`.
func init() {
	kit.RegisterFake(KindID, func() (kit.Fake, error) { return fake.New(fake.Config{}), nil })
}
