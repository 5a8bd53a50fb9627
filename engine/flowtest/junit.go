package flowtest

import (
	"encoding/xml"
	"io"
	"strings"
)

// Suite is the results of one test file.
type Suite struct {
	Name    string // the test file
	Flow    string // the flow's name
	Results []*Result
	Error   string // the file could not be run at all
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     float64     `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the results as JUnit XML (one testsuite per file).
func WriteJUnit(w io.Writer, suites []Suite) error {
	out := junitSuites{}
	for _, s := range suites {
		js := junitSuite{Name: s.Name}
		if s.Error != "" {
			js.Tests, js.Errors = 1, 1
			js.Cases = append(js.Cases, junitCase{Name: "load", ClassName: s.Name, Error: &junitProblem{Message: s.Error, Text: s.Error}})
		}
		for _, r := range s.Results {
			jc := junitCase{Name: r.Case, ClassName: s.Flow, Time: r.Duration.Seconds()}
			if !r.Passed {
				jc.Failure = &junitProblem{Message: r.Failures[0], Text: strings.Join(r.Failures, "\n")}
				js.Failures++
			}
			js.Tests++
			js.Time += r.Duration.Seconds()
			js.Cases = append(js.Cases, jc)
		}
		out.Tests += js.Tests
		out.Failures += js.Failures
		out.Errors += js.Errors
		out.Suites = append(out.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
