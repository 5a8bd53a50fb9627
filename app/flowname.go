package app

import (
	"net/http"
	"strings"
)

// flowNameError refuses a save or rename that would leave a flow without a
// name: the flow list, History, helper pickers and exports all show flows by
// name, and a blank one cannot be told apart or picked. It is bad input
// (HTTP 400 in serve).
type flowNameError struct{}

func (flowNameError) Error() string   { return "the flow needs a name: type one in the Flow name box" }
func (flowNameError) HTTPStatus() int { return http.StatusBadRequest }

var errNoFlowName error = flowNameError{}

func checkFlowName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errNoFlowName
	}
	return nil
}
