package flopack

// Every card registers itself into engine.Default() from init. The
// connectors/all package (blank imports of every connector) replaces this
// list once it exists.
import (
	_ "github.com/flowbench/flowbench/connectors/functions"
	_ "github.com/flowbench/flowbench/connectors/okta"
	_ "github.com/flowbench/flowbench/connectors/tables"
)
