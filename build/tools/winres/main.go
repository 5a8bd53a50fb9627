// Command winres writes the Windows resources of flowbench.exe (icon,
// manifest, version info from build/windows/, filled from wails.json) as a
// .syso object that `go build` links in: what `wails build` does for
// Windows, without the Wails CLI.
//
//	go run ./winres -project ../.. -arch amd64 -o ../../rsrc_windows_amd64.syso
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/template"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

func main() {
	project := flag.String("project", ".", "project folder (with wails.json and build/windows)")
	arch := flag.String("arch", "amd64", "amd64, arm64 or 386")
	out := flag.String("o", "rsrc_windows_amd64.syso", "output .syso file")
	ver := flag.String("version", "", "product version (default: wails.json info.productVersion)")
	flag.Parse()
	if err := run(*project, *arch, *out, *ver); err != nil {
		fmt.Fprintln(os.Stderr, "winres:", err)
		os.Exit(1)
	}
}

func run(project, arch, out, ver string) error {
	var cfg struct {
		Name string         `json:"name"`
		Info map[string]any `json:"info"`
	}
	b, err := os.ReadFile(filepath.Join(project, "wails.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return fmt.Errorf("wails.json: %w", err)
	}
	if ver != "" {
		cfg.Info["productVersion"] = ver
	}
	data := map[string]any{"Name": cfg.Name, "Info": map[string]any{
		"ProductVersion": cfg.Info["productVersion"], "CompanyName": cfg.Info["companyName"],
		"ProductName": cfg.Info["productName"], "Copyright": cfg.Info["copyright"], "Comments": cfg.Info["comments"]}}
	render := func(name string) ([]byte, error) {
		src, err := os.ReadFile(filepath.Join(project, "build", "windows", name))
		if err != nil {
			return nil, err
		}
		t, err := template.New(name).Parse(string(src))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.Bytes(), err
	}
	rs := winres.ResourceSet{}
	f, err := os.Open(filepath.Join(project, "build", "windows", "icon.ico"))
	if err != nil {
		return err
	}
	defer f.Close()
	ico, err := winres.LoadICO(f)
	if err != nil {
		return fmt.Errorf("icon.ico: %w", err)
	}
	if err := rs.SetIcon(winres.RT_ICON, ico); err != nil {
		return err
	}
	manifest, err := render("wails.exe.manifest")
	if err != nil {
		return err
	}
	m, err := winres.AppManifestFromXML(manifest)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	rs.SetManifest(m)
	info, err := render("info.json")
	if err != nil {
		return err
	}
	var v version.Info
	if err := v.UnmarshalJSON(info); err != nil {
		return fmt.Errorf("info.json: %w", err)
	}
	rs.SetVersionInfo(v)
	archs := map[string]winres.Arch{"amd64": winres.ArchAMD64, "arm64": winres.ArchARM64, "386": winres.ArchI386}
	a, ok := archs[arch]
	if !ok {
		return fmt.Errorf("arch %q not supported", arch)
	}
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := rs.WriteObject(w, a); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
