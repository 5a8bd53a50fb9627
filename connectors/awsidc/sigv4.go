package awsidc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Credentials are an IAM user's or role's access key.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// ServiceFor names the signing service of a request by its JSON target
// (X-Amz-Target): AWSIdentityStore.* → identitystore, SWBExternalService.*
// (SSO Admin) → sso.
func ServiceFor(req *http.Request) string {
	t := req.Header.Get("X-Amz-Target")
	switch {
	case strings.HasPrefix(t, "AWSIdentityStore."):
		return "identitystore"
	case strings.HasPrefix(t, "SWBExternalService."):
		return "sso"
	}
	host, _, _ := strings.Cut(req.URL.Hostname(), ".")
	return host
}

// Sign signs req with AWS Signature Version 4 (aws-sdk-go-v2's signer) for
// service in region at t; body is the payload that will be sent.
func Sign(ctx context.Context, req *http.Request, body []byte, c Credentials, service, region string, t time.Time) error {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return fmt.Errorf("the access key ID or secret access key is empty")
	}
	sum := sha256.Sum256(body)
	req.Header.Del("Authorization")
	req.Header.Del("X-Amz-Date")
	req.Header.Del("X-Amz-Security-Token")
	creds := aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, region, t)
}
