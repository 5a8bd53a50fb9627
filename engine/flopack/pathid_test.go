package flopack

import (
	"strings"
	"testing"
)

// Issue 15 point 8: a .flopack whose flow id would name a file outside the
// export directory is refused at import, with an error naming the id.
func TestImportRefusesPathFlowIDs(t *testing.T) {
	body := `{"methods":[{"uuid":"a","address":"root:kernel:control:0.0.1:noop"}],"orderings":{}}`
	for _, id := range []string{"../../x", `..\..\x`, "..", "/etc/cron.d/x", "a/b", ".hidden", "x y", strings.Repeat("a", 200)} {
		idJSON := strings.ReplaceAll(id, `\`, `\\`)
		for _, pack := range []string{
			`{"data":{"flos":{"` + idJSON + `":{"name":"n","data":` + body + `}}}}`,
			`{"type":"flow","data":{"uuid":"` + idJSON + `","methods":[{"uuid":"a","address":"root:kernel:control:0.0.1:noop"}],"orderings":{}}}`,
		} {
			res, err := Import("evil.flopack", []byte(pack), registry(), Options{})
			if err == nil {
				t.Errorf("id %q imported as %q", id, res.Flows[0].ID)
				continue
			}
			if !strings.Contains(err.Error(), "flow id") {
				t.Errorf("id %q: error does not name the id: %v", id, err)
			}
		}
	}
	// a plain id still imports
	if _, err := Import("ok.flopack", []byte(`{"data":{"flos":{"b25f605b-3d72-4042-a359-6e6851d76101":{"name":"n","data":`+body+`}}}}`), registry(), Options{}); err != nil {
		t.Fatal(err)
	}
}

// Issue 15 point 13: a duplicate key in an export is reported, not
// silently resolved; invalid UTF-8 is refused.
func TestImportReportsDuplicateKeysAndBadUTF8(t *testing.T) {
	body := `{"methods":[{"uuid":"a","address":"root:kernel:control:0.0.1:noop"}],"orderings":{}}`
	res, err := Import("dup.flopack", []byte(`{"data":{"flos":{"f1":{"name":"n","name":"m","data":`+body+`}}}}`), registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res.Report, "duplicate key", "name") {
		t.Fatalf("warnings %v", res.Report.Warnings)
	}
	if _, err := Import("bad.flopack", []byte("{\"data\":{\"flos\":{\"f1\":{\"name\":\"n\xff\",\"data\":"+body+"}}}}"), registry(), Options{}); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("invalid UTF-8: %v", err)
	}
}
