package salesforce

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

func events() []*kit.EventCard {
	obj := objectParam("recordType", "Record Type")
	return []*kit.EventCard{
		{Okta: NS + ":newRecord", Title: "New Record", Type: "record.created",
			Description: "Starts the flow once for every new record of the chosen object, found by polling SOQL on CreatedDate (oldest first, up to 200 a poll) from a stored cursor: records created while Flowbench was closed run when it starts again. Add outputs named after the object's fields (API names, e.g. Email) to read them.",
			Inputs:      []engine.FieldSpec{obj},
			Outputs: []engine.FieldSpec{kit.Output("Record", "Record ID", "string"), {Key: "Created Date", Group: "Record", Label: "Created Date", Type: engine.T("date")},
				kit.Output("Record", "Created By ID", "string"), kit.Output("Record", "Record Type", "string")}},
	}
}

// fixedOutputs are the New Record card's own outputs (not object fields).
var fixedOutputs = map[string]bool{"Record ID": true, "Created Date": true, "Created By ID": true, "Record Type": true, "context": true}

var poll = &kit.Poll{Fetch: fetchNewRecords}

// sfDate is a SOQL datetime literal.
func sfDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// fetchNewRecords reads one page of records created at or after Since,
// oldest first; the fields are those the flow's trigger card outputs.
func fetchNewRecords(ctx context.Context, p *kit.PollRequest) (*kit.PollPage, error) {
	obj := ""
	for _, in := range p.Flow.Trigger.Inputs {
		if in.Key == "recordType" {
			obj = strings.TrimSpace(engine.ToText(in.Value))
		}
	}
	if obj == "" {
		return nil, fmt.Errorf("New Record: choose the record type (object API name) on the trigger card")
	}
	for _, c := range obj {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return nil, fmt.Errorf("New Record: %q is not an object API name", obj)
		}
	}
	fields := []string{"Id", "CreatedDate", "CreatedById"}
	seen := map[string]bool{"id": true, "createddate": true, "createdbyid": true}
	var extra []string
	for _, o := range p.Flow.Trigger.Outputs {
		if fixedOutputs[o.Key] || seen[strings.ToLower(o.Key)] || fieldName(o.Key) != nil {
			continue
		}
		seen[strings.ToLower(o.Key)] = true
		extra = append(extra, o.Key)
	}
	sort.Strings(extra)
	fields = append(fields, extra...)
	call := &kit.Call{Path: "/query", Query: url.Values{"q": {"SELECT " + strings.Join(fields, ", ") + " FROM " + obj +
		" WHERE CreatedDate >= " + sfDate(p.Since) + " ORDER BY CreatedDate ASC, Id ASC LIMIT 200"}}}
	if p.Page != "" {
		call = &kit.Call{Path: p.Page}
	}
	r, err := p.Client.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	m := r.Object()
	recs, _ := m["records"].([]any)
	page := &kit.PollPage{}
	for _, x := range recs {
		rec, _ := x.(map[string]any)
		created, err := time.Parse(sfTimeLayout, engine.ToText(rec["CreatedDate"]))
		if err != nil {
			continue
		}
		if created.Before(p.Since.Truncate(time.Millisecond)) { // Salesforce keeps milliseconds
			continue
		}
		out := map[string]any{"Record ID": rec["Id"], "Created Date": created.UTC().Format(engine.DateLayout), "Created By ID": rec["CreatedById"], "Record Type": obj}
		for _, f := range extra {
			for k, v := range rec {
				if strings.EqualFold(k, f) {
					out[f] = v
				}
			}
		}
		page.Events = append(page.Events, kit.Event{ID: engine.ToText(rec["Id"]), Type: "record.created", Time: created, Output: out})
	}
	if next, _ := m["nextRecordsUrl"].(string); next != "" && m["done"] != true {
		if i := strings.Index(next, "/query/"); i >= 0 {
			page.Next, page.More = next[i:], true
		}
	}
	return page, nil
}

// sfTimeLayout is how Salesforce writes datetimes ("2024-01-15T09:00:00.000+0000").
const sfTimeLayout = "2006-01-02T15:04:05.000-0700"
