package awsidc

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSignMatchesAWSExample checks the signer against the worked example of
// AWS's Signature Version 4 documentation (IAM ListUsers, 2015-08-30).
func TestSignMatchesAWSExample(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	err := Sign(context.Background(), req, nil, Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
		"iam", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	want := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization:\n got %s\nwant %s", got, want)
	}
	if req.Header.Get("X-Amz-Date") != "20150830T123600Z" {
		t.Fatalf("X-Amz-Date: %s", req.Header.Get("X-Amz-Date"))
	}
}

func TestSignNeedsBothKeys(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://identitystore.us-east-1.amazonaws.com/", nil)
	if err := Sign(context.Background(), req, nil, Credentials{AccessKeyID: "AKID"}, "identitystore", "us-east-1", time.Now()); err == nil ||
		!strings.Contains(err.Error(), "secret access key") {
		t.Fatalf("a missing secret must be named: %v", err)
	}
}
