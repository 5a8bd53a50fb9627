package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// contentIDs gives every event without an id (Okta's uuid) one derived
// from its content, so that a redelivered batch — Okta retries a hook
// request that was not answered 2xx — is deduplicated like one with uuids.
func contentIDs(evs []Event) {
	for i := range evs {
		if evs[i].ID != "" {
			continue
		}
		b, err := json.Marshal(struct {
			T string         `json:"t"`
			A string         `json:"a"`
			I map[string]any `json:"i"`
		}{evs[i].Type, evs[i].Time.UTC().Format("2006-01-02T15:04:05.000000000Z"), evs[i].Input})
		if err != nil {
			continue
		}
		sum := sha256.Sum256(b)
		evs[i].ID = "sha256:" + hex.EncodeToString(sum[:16])
	}
}

// acceptBatch queues a hook delivery in pieces no larger than the queue, so
// a batch bigger than the queue can still be accepted: when a later piece
// finds the queue full the request is answered 503, and Okta's retry
// finds the earlier pieces already recorded (deduplicated by id).
func (r *Runtime) acceptBatch(ctx context.Context, flowID string, evs []Event) (int, error) {
	contentIDs(evs)
	size := r.opt.QueueSize
	if size <= 0 || len(evs) <= size {
		return r.accept(ctx, flowID, KindEvent, evs, nil, acceptFail)
	}
	total := 0
	for start := 0; start < len(evs); start += size {
		end := min(start+size, len(evs))
		n, err := r.accept(ctx, flowID, KindEvent, evs[start:end], nil, acceptFail)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
