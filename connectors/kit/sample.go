package kit

import "sync"

// Sample outputs of event cards, for the Run panel's test input: the app
// fills a flow's run input with them (app/fakes.go). Kit event cards
// register theirs from EventCard.Sample; other connectors call
// RegisterSample.

var (
	sampleMu sync.RWMutex
	samples  = map[string]func() map[string]any{}
)

// RegisterSample declares a realistic event for a trigger card type.
func RegisterSample(cardType string, fn func() map[string]any) {
	sampleMu.Lock()
	samples[cardType] = fn
	sampleMu.Unlock()
}

// Samples lists the registered sample events by card type.
func Samples() map[string]func() map[string]any {
	sampleMu.RLock()
	defer sampleMu.RUnlock()
	out := make(map[string]func() map[string]any, len(samples))
	for k, v := range samples {
		out[k] = v
	}
	return out
}
