package app

import (
	"fmt"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
)

// Okta Workflows exports (.flopack templates, .flow and .folder exports)
// import through engine/flopack.
func init() {
	for _, ext := range []string{".flopack", ".flow", ".folder"} {
		RegisterImporter(ext, importOkta)
	}
}

func importOkta(name string, data []byte, reg *engine.Registry) (*engine.Folder, any, error) {
	res, err := flopack.Import(name, data, reg, flopack.Options{})
	if err != nil {
		return nil, nil, err
	}
	folder := &engine.Folder{Format: engine.FolderFormat, Name: res.Name, Flows: res.Flows, Tables: res.Tables,
		Rows: res.Rows, Connections: res.Connections}
	return folder, oktaReport{res.Report}, nil
}

// oktaReport prints an import report for people; JSON keeps the full report.
type oktaReport struct{ *flopack.Report }

func (r oktaReport) MarshalJSON() ([]byte, error) { return engine.MarshalFlowJSON(r.Report) }

func (r oktaReport) String() string {
	var b strings.Builder
	c := r.Counts
	fmt.Fprintf(&b, "%s (%s %s): %d flows, %d cards — %d mapped, %d unsupported, %d folded expand, %d structural (%.1f%% of cards mapped)\n",
		r.Template, r.Format, r.Version, c.Flows, c.Cards, c.Mapped, c.Unsupported, c.Folded, c.Structural, c.MappedPercent())
	fmt.Fprintf(&b, "pins: %d resolved of %d; tables: %d; connections to bind: %d; warnings: %d\n", c.PinsResolved, c.Pins, c.Tables, c.Connections, c.Warnings)
	if len(r.UnsupportedKinds) > 0 {
		kinds := make([]string, 0, len(r.UnsupportedKinds))
		for k := range r.UnsupportedKinds {
			kinds = append(kinds, k)
		}
		sort.Slice(kinds, func(i, j int) bool {
			return r.UnsupportedKinds[kinds[i]] > r.UnsupportedKinds[kinds[j]] || r.UnsupportedKinds[kinds[i]] == r.UnsupportedKinds[kinds[j]] && kinds[i] < kinds[j]
		})
		b.WriteString("unsupported cards (kept on the canvas, a run stops at them):\n")
		for _, k := range kinds {
			fmt.Fprintf(&b, "  %-45s %d\n", k, r.UnsupportedKinds[k])
		}
	}
	for _, fr := range r.Flows {
		fmt.Fprintf(&b, "  flow %q (%s): %d cards, %d unsupported\n", fr.Name, fr.Trigger, fr.Cards, fr.Unsupported)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "  warning: %v\n", w)
	}
	return strings.TrimRight(b.String(), "\n")
}
