// Package examples ships the example flows: the first-run "Getting
// started" folder is seeded from here, and tests run them.
package examples

import "embed"

// FS holds every example flow file (*.flow.json).
//
//go:embed *.flow.json
var FS embed.FS

// SeedExample is the flow placed in "Getting started" on first run.
const SeedExample = "okta-is-member-of-group.flow.json"
