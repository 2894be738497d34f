package org

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// emacsBlock is one line of testdata/emacs/dump.el's output.
type emacsBlock struct {
	Call     bool              `json:"call"`
	Line     int               `json:"line"`
	Name     string            `json:"name"`
	Lang     string            `json:"lang"`
	Switches string            `json:"switches"`
	Body     string            `json:"body"`
	Args     map[string]string `json:"args"`
	Vars     []string          `json:"vars"`
	Error    string            `json:"error"`
	// Expanded is the body Babel evaluates, or false where computing it
	// would run code.
	Expanded any `json:"expanded"`
}

var update = flag.Bool("update", false, "rewrite golden files in testdata from Emacs")

// emacsDump runs Emacs on file and returns the blocks it reports, each
// block once (org-babel-map-src-blocks may visit one twice).
func emacsDump(t *testing.T, emacs, file string) []emacsBlock {
	t.Helper()
	dump, err := filepath.Abs("testdata/emacs/dump.el")
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(emacs, "-Q", "--batch", "-l", dump, abs)
	cmd.Dir = t.TempDir() // #+SETUPFILE and friends resolve nowhere
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("emacs on %s: %v\n%s", file, err, stderr.String())
	}
	if *update && strings.HasPrefix(file, "testdata") {
		golden := strings.TrimSuffix(file, ".org") + ".emacs.jsonl"
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return decodeDump(t, out)
}

// decodeDump reads dump.el's output, each block once.
func decodeDump(t *testing.T, out []byte) []emacsBlock {
	var blocks []emacsBlock
	seen := map[int]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var b emacsBlock
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			t.Fatalf("emacs output %q: %v", sc.Text(), err)
		}
		if seen[b.Line] {
			continue
		}
		seen[b.Line] = true
		blocks = append(blocks, b)
	}
	return blocks
}

func readerInputs(t *testing.T) []string {
	files, err := filepath.Glob("testdata/reader/*.org")
	if err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "org-manual.org")
	if _, err := os.Stat(corpus); err == nil {
		files = append(files, corpus)
	} else if outside.Strict() {
		t.Logf("%s absent (a fresh clone has no ../shared): reading fixtures only", corpus)
	}
	return files
}

// TestReaderAgainstEmacs is the differential test: Emacs in batch and the
// reader read the same files, and must agree on every block, field by
// field.
func TestReaderAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	total, agree := 0, 0
	for _, file := range readerInputs(t) {
		file := file
		t.Run(filepath.Base(file), func(t *testing.T) {
			want := emacsDump(t, emacs, file)
			a, n := compareWithReader(t, file, want)
			agree += a
			total += n
		})
	}
	if total > 0 {
		t.Logf("agreement with Emacs: %d/%d blocks (%.2f%%)", agree, total, 100*float64(agree)/float64(total))
	}
}

// TestReaderGolden checks the reader against what Emacs said about each
// fixture (testdata/reader/*.emacs.jsonl, written by -update), so that the
// rules stay checked where Emacs is not installed.
func TestReaderGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/reader/*.org")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		golden := strings.TrimSuffix(file, ".org") + ".emacs.jsonl"
		out, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/org -run TestReaderAgainstEmacs -update)", err)
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			compareWithReader(t, file, decodeDump(t, out))
		})
	}
}

// compareWithReader parses file and compares every block with Emacs's
// view of it; it returns how many agree and how many there are.
func compareWithReader(t *testing.T, file string, want []emacsBlock) (agree, total int) {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]*Block{}
	for _, b := range doc.Blocks {
		if b.Unmapped {
			// A bare #+begin_src: org-babel-map-src-blocks,
			// which the dump walks, does not visit it
			// (TestUnmappedBlocks).
			continue
		}
		got[b.Line] = b
	}
	calls := map[int]*Call{}
	for _, c := range doc.Calls {
		calls[c.Line] = c
	}
	for _, w := range want {
		if w.Call {
			total++
			c, ok := calls[w.Line]
			if !ok {
				t.Errorf("line %d: Emacs finds a #+call: the reader does not", w.Line)
				continue
			}
			delete(calls, w.Line)
			if diff := compareCall(w, c); diff != "" {
				t.Errorf("line %d: #+call: %s", w.Line, diff)
				continue
			}
			agree++
			continue
		}
		total++
		b, ok := got[w.Line]
		if !ok {
			t.Errorf("line %d: Emacs finds a %s block the reader does not", w.Line, w.Lang)
			continue
		}
		delete(got, w.Line)
		diff := compareBlock(w, b)
		if exp, ok := w.Expanded.(string); ok && diff == "" && w.Error == "" {
			got, err := doc.ExpandedBody(b, nil)
			if err != nil || got != exp {
				diff = fmt.Sprintf("expanded body: Emacs %q, reader %q (%v)", exp, got, err)
			}
		}
		if diff != "" {
			t.Errorf("line %d: %s", w.Line, diff)
			continue
		}
		agree++
	}
	for line, b := range got {
		total++
		t.Errorf("line %d: the reader finds a %s block Emacs does not", line, b.Lang)
	}
	for line := range calls {
		total++
		t.Errorf("line %d: the reader finds a #+call: Emacs does not", line)
	}
	return agree, total
}

func compareCall(w emacsBlock, c *Call) string {
	if w.Error != "" || (len(w.Args) == 0 && c.Problem != "") {
		if (w.Error != "" || len(w.Args) == 0) != (c.Problem != "") {
			return fmt.Sprintf("error: Emacs %q, reader %q", w.Error, c.Problem)
		}
		return ""
	}
	if c.Problem != "" {
		return "reader: " + c.Problem
	}
	return compareBlock(emacsBlock{Name: w.Name, Args: w.Args, Vars: w.Vars},
		&Block{Name: c.Name, Args: c.Args, Vars: c.Vars})
}

func compareBlock(w emacsBlock, b *Block) string {
	if w.Error != "" || b.Problem != "" {
		if (w.Error != "") != (b.Problem != "") {
			return fmt.Sprintf("error: Emacs %q, reader %q", w.Error, b.Problem)
		}
		return ""
	}
	var diffs []string
	check := func(field string, want, got any) {
		if !reflect.DeepEqual(want, got) {
			diffs = append(diffs, fmt.Sprintf("%s: Emacs %q, reader %q", field, want, got))
		}
	}
	check("name", w.Name, b.Name)
	check("lang", w.Lang, b.Lang)
	check("switches", w.Switches, b.Switches)
	check("body", w.Body, b.Body)
	args := map[string]string{}
	for _, a := range b.Args {
		// dump.el reads light (no Lisp evaluated): a constant's text.
		args[a.Key] = a.Value
		if a.Written != "" {
			args[a.Key] = a.Written
		}
	}
	if w.Args == nil {
		w.Args = map[string]string{}
	}
	if !reflect.DeepEqual(w.Args, args) {
		diffs = append(diffs, fmt.Sprintf("args: Emacs %s, reader %s", sortedArgs(w.Args), sortedArgs(args)))
	}
	vars := b.Vars
	if vars == nil {
		vars = []string{}
	}
	if w.Vars == nil {
		w.Vars = []string{}
	}
	check("vars", w.Vars, vars)
	return strings.Join(diffs, "; ")
}

func sortedArgs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q ", k, m[k])
	}
	return b.String()
}
