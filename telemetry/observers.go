package telemetry

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Histogram children by label values, looked up once: WithLabelValues hashes
// its labels and takes the vector's lock on every call, which at thousands
// of executions a second (a dozen cards each) is a measurable share of a
// run. The label sets are bounded (flow ids, card types, statuses).
type observerCache struct {
	vec *prometheus.HistogramVec
	mu  sync.RWMutex
	m   map[[2]string]prometheus.Observer
}

func (c *observerCache) get(a, b string) prometheus.Observer {
	k := [2]string{a, b}
	c.mu.RLock()
	o, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return o
	}
	o = c.vec.WithLabelValues(a, b)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[[2]string]prometheus.Observer{}
	}
	c.m[k] = o
	c.mu.Unlock()
	return o
}

var (
	executionObservers = &observerCache{vec: executionDuration}
	cardObservers      = &observerCache{vec: cardDuration}
)

func executionObserver(flow, status string) prometheus.Observer {
	return executionObservers.get(flow, status)
}

func cardObserver(cardType, status string) prometheus.Observer {
	return cardObservers.get(cardType, status)
}
