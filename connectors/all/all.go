// Package all imports every connector package so their cards and
// connection kinds register themselves. main.go and tests that need every
// card import it:
//
//	import _ "github.com/flowbench/flowbench/connectors/all"
package all

import (
	_ "github.com/flowbench/flowbench/connectors/api"
	_ "github.com/flowbench/flowbench/connectors/auth0"
	_ "github.com/flowbench/flowbench/connectors/awsidc"
	_ "github.com/flowbench/flowbench/connectors/box"
	_ "github.com/flowbench/flowbench/connectors/functions"
	_ "github.com/flowbench/flowbench/connectors/github"
	_ "github.com/flowbench/flowbench/connectors/google"
	_ "github.com/flowbench/flowbench/connectors/http"
	_ "github.com/flowbench/flowbench/connectors/jamf"
	_ "github.com/flowbench/flowbench/connectors/jira"
	_ "github.com/flowbench/flowbench/connectors/microsoft365"
	_ "github.com/flowbench/flowbench/connectors/okta"
	_ "github.com/flowbench/flowbench/connectors/onepassword"
	_ "github.com/flowbench/flowbench/connectors/openai"
	_ "github.com/flowbench/flowbench/connectors/opsgenie"
	_ "github.com/flowbench/flowbench/connectors/pagerduty"
	_ "github.com/flowbench/flowbench/connectors/salesforce"
	_ "github.com/flowbench/flowbench/connectors/schedule"
	_ "github.com/flowbench/flowbench/connectors/servicenow"
	_ "github.com/flowbench/flowbench/connectors/slack"
	_ "github.com/flowbench/flowbench/connectors/tables"
	_ "github.com/flowbench/flowbench/connectors/zoom"
)
