package kit

import "github.com/flowbench/flowbench/engine"

// ShownWhen makes f an input of the chosen option only, as Okta's cards show
// them: Jamf Pro's Read Computer asks for the serial number only when "Read
// By" is Serial Number. The designer hides f otherwise, and a Required f is
// asked for only while shown (the card's Run checks it when the choice is
// wired). The engine refuses a selector that is not an input of the card or
// a value that is not one of its choices.
func ShownWhen(f engine.FieldSpec, key string, values ...any) engine.FieldSpec {
	f.ShownWhen = &engine.ShownWhen{Key: key, Values: values}
	return f
}
