package flopack

// Every card registers itself into engine.Default() from init; this import
// brings them all in for the corpus tests.
import _ "github.com/flowbench/flowbench/connectors/all"
