package sandbox

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"syscall"
)

// Main runs `flowbench sandbox`: it parses --addr (default 127.0.0.1:8090)
// and --seed FILE, starts the tenant, prints its URL and the default API
// token, and blocks until ctx is cancelled or SIGINT/SIGTERM arrives.
func Main(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	seed := fs.String("seed", "", "JSON seed file (default: built-in seed)")
	token := fs.String("token", "", "SSWS API token of the admin (default: "+DefaultAPIToken+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := New(Config{SeedFile: *seed, APIToken: *token})
	if err != nil {
		return err
	}
	url, err := s.Start(*addr)
	if err != nil {
		return err
	}
	defer s.Close()
	tok := *token
	if tok == "" {
		tok = DefaultAPIToken
	}
	fmt.Fprintf(stdout, "Okta sandbox tenant listening on %s\n", url)
	fmt.Fprintf(stdout, "Org URL:   %s\n", url)
	fmt.Fprintf(stdout, "API token: %s  (Authorization: SSWS %s)\n", tok, tok)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(stdout, "sandbox: shutting down")
	return nil
}
