package org

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goorg "github.com/niklasfasching/go-org/org"
)

// benchInput is org-manual.org when ../shared holds it, else the fixtures
// repeated to a similar size (a fresh clone has no ../shared).
func benchInput(b *testing.B) (string, string) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "org-manual.org")
	if text, err := os.ReadFile(corpus); err == nil {
		return "org-manual.org", string(text)
	}
	files, _ := filepath.Glob("testdata/reader/*.org")
	var sb strings.Builder
	for sb.Len() < 800<<10 {
		for _, f := range files {
			text, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			sb.Write(text)
			sb.WriteString("\n* Next\n")
		}
	}
	return "fixtures", sb.String()
}

// BenchmarkParse reads the input with Parse; its MB/s is the reader's
// throughput.
func BenchmarkParse(b *testing.B) {
	_, text := benchInput(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVsGoOrg parses the same input with Parse and with go-org in
// the same run, alternating, and reports the reader's throughput and how
// many times faster than go-org it is (x-go-org).
func BenchmarkParseVsGoOrg(b *testing.B) {
	name, text := benchInput(b)
	conf := goorg.New()
	conf.Log.SetOutput(&bytes.Buffer{})
	var ours, theirs time.Duration
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		start = time.Now()
		doc := conf.Parse(strings.NewReader(text), name)
		if doc.Error != nil {
			b.Fatal(doc.Error)
		}
		theirs += time.Since(start)
	}
	b.ReportMetric(float64(len(text))*float64(b.N)/ours.Seconds()/1e6, "reader-MB/s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "x-go-org")
}
