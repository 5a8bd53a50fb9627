package fake

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An image generation's URL serves the image without the API key, as
// OpenAI's pre-signed URLs do; names the fake never makes are 404.
func TestGeneratedImageURL(t *testing.T) {
	srv := httptest.NewServer(New(Config{}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/images/generations", strings.NewReader(`{"prompt":"an otter"}`))
	req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var gen struct {
		Data []struct{ URL string } `json:"data"`
	}
	err = json.NewDecoder(resp.Body).Decode(&gen)
	resp.Body.Close()
	if err != nil || len(gen.Data) != 1 {
		t.Fatalf("generation: %v %+v", err, gen)
	}
	cases := []struct {
		name, url, wantType string
		status              int
	}{
		{name: "generated image, no key", url: gen.Data[0].URL, status: 200, wantType: "image/png"},
		{name: "not a generated name", url: srv.URL + "/images/secret.png", status: 404},
		{name: "not a png", url: srv.URL + "/images/0011223344556677.jpg", status: 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Get(c.url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			if c.status != 200 {
				return
			}
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			img, err := png.Decode(&b)
			if err != nil || resp.Header.Get("Content-Type") != c.wantType || img.Bounds().Dx() != 64 {
				t.Fatalf("image: %v %s", err, resp.Header.Get("Content-Type"))
			}
		})
	}
}
