package kit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SlackTolerance is how old a signed Slack request may be (Slack: 5 min).
const SlackTolerance = 5 * time.Minute

// SlackSign is the X-Slack-Signature of a body sent at ts (Unix seconds):
// "v0=" + hex HMAC-SHA256 of "v0:{ts}:{body}" with the signing secret.
func SlackSign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%d:", ts)
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// SlackSignature checks a Slack request (Events API, interactivity, slash
// commands): X-Slack-Request-Timestamp within SlackTolerance of now (no
// replays) and X-Slack-Signature matching the signing secret.
func SlackSignature(secret string, h http.Header, body []byte, now time.Time) error {
	if strings.TrimSpace(secret) == "" {
		return fmt.Errorf("the connection has no signing secret: copy it from the Slack app's Basic Information page")
	}
	tsText := h.Get("X-Slack-Request-Timestamp")
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("missing or bad X-Slack-Request-Timestamp")
	}
	if d := math.Abs(float64(now.Unix() - ts)); d > SlackTolerance.Seconds() {
		return fmt.Errorf("request timestamp is %.0f s away from now (over %s): refused as a possible replay", d, SlackTolerance)
	}
	got := h.Get("X-Slack-Signature")
	if !hmac.Equal([]byte(got), []byte(SlackSign(secret, ts, body))) {
		return fmt.Errorf("X-Slack-Signature %w (check the signing secret)", ErrSignature)
	}
	return nil
}

// HubSignature256 checks GitHub's X-Hub-Signature-256 ("sha256=" + hex
// HMAC-SHA256 of the body with the webhook secret).
func HubSignature256(secret string, h http.Header, body []byte) error {
	if secret == "" {
		return fmt.Errorf("the connection has no webhook secret")
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(h.Get("X-Hub-Signature-256")), []byte(want)) {
		return fmt.Errorf("X-Hub-Signature-256 %w", ErrSignature)
	}
	return nil
}
