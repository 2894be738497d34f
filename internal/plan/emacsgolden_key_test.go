package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedReferenceStaleOrTampered: a committed reference is used
// only under its own key (an entry whose key differs, written for other
// inputs, is ignored and Emacs runs), and one whose text was edited after
// it was written is rejected as damaged, not used.
func TestCommittedReferenceStaleOrTampered(t *testing.T) {
	c := committedReferences{t.TempDir()}
	in := referenceInputs{Fixture: "testdata/a.org", Text: []byte("a"), Env: []string{"LANG=C.UTF-8"}, Tools: "GNU Emacs 28.2\n/usr/bin/python3 -> /usr/bin/python3.11 1 ab\n"}
	doc, stopped := []byte("#+RESULTS:\n: 1\n"), "Wrong type argument"
	if err := c.store("testdata/a.org", in, doc, stopped); err != nil {
		t.Fatal(err)
	}
	got := c.load("testdata/a.org", in)
	if got.status != referenceCommitted || string(got.doc) != string(doc) || got.stopped != stopped {
		t.Fatalf("the entry stored is not loaded: %+v", got)
	}
	if got := c.load("testdata/b.org", in); got.status != referenceNone {
		t.Errorf("another fixture's entry: %v, want none", got.status)
	}
	// An entry of other inputs is ignored, and names the parts that
	// differ: the fixture's text, a variable another machine sets, a
	// variable it lacks, an interpreter of another version.
	stale := in
	stale.Text = []byte("a, edited")
	stale.Env = []string{"LANG=C.UTF-8", "LC_ALL=C"}
	stale.Tools = "GNU Emacs 28.2\n/usr/bin/python3 -> /usr/bin/python3.12 1 cd\n"
	got = c.load("testdata/a.org", stale)
	if got.status != referenceStale || got.doc != nil {
		t.Errorf("an entry of other inputs: %+v, want stale (ignored)", got)
	}
	if want := "env LC_ALL, text, tool /usr/bin/python3"; strings.Join(got.differ, ", ") != want {
		t.Errorf("an entry of other inputs names %q differing, want %q", got.differ, want)
	}
	gone := in
	gone.Env = nil
	if got := c.load("testdata/a.org", gone); strings.Join(got.differ, ", ") != "env LANG" {
		t.Errorf("a variable the entry had and the machine has not: %q differ, want env LANG", got.differ)
	}
	// The document, the error, the key or the inputs edited by hand.
	path := c.path("testdata/a.org")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, staleKey := in.key(), stale.key()
	for name, edit := range map[string]func(string) string{
		"document": func(s string) string { return strings.Replace(s, ": 1\n", ": 2\n", 1) },
		"error":    func(s string) string { return strings.Replace(s, "Wrong type", "Wrong kind", 1) },
		"key":      func(s string) string { return strings.Replace(s, key, staleKey, 1) },
		"inputs":   func(s string) string { return strings.Replace(s, `"text":"`, `"text":"0`, 1) },
		"cut":      func(s string) string { return s[:len(s)-3] },
	} {
		edited := edit(string(data))
		if edited == string(data) {
			t.Fatalf("%s: the edit changes nothing", name)
		}
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, k := range []referenceInputs{in, stale} {
			if got := c.load("testdata/a.org", k); got.status != referenceDamaged {
				t.Errorf("%s edited, loaded with its inputs %v: %+v, want damaged", name, k.key() == key, got)
			}
		}
	}
	if filepath.Dir(c.path("testdata/a.org")) != c.dir {
		t.Errorf("an entry is not in its directory: %s", c.path("testdata/a.org"))
	}
}

// TestReferenceTallyReport: the report at the end of TestAgainstEmacs
// counts each status and names the parts the stale entries differ in,
// the commonest first.
func TestReferenceTallyReport(t *testing.T) {
	var tl tally
	tl.add("testdata/a.org", committedEntry{status: referenceCommitted})
	tl.add("testdata/b.org", committedEntry{status: referenceStale, differ: []string{"env PYTHONUNBUFFERED", "text"}})
	tl.add("testdata/c.org", committedEntry{status: referenceStale, differ: []string{"env PYTHONUNBUFFERED"}})
	tl.add("testdata/d.org", committedEntry{status: referenceNone})
	want := "committed references: 1 used, 2 of other inputs (Emacs runs), 1 none, 0 damaged; differing: env PYTHONUNBUFFERED ×2, text ×1; of: testdata/b.org testdata/c.org"
	if got := tl.report(); got != want {
		t.Errorf("report:\n%s\nwant\n%s", got, want)
	}
}

// TestReferenceSample: the fixtures whose committed reference a strict
// run checks against Emacs are a fixed share of each language's, at least
// one each, the same in every run.
func TestReferenceSample(t *testing.T) {
	var rows []sampleRow
	for i := 0; i < 100; i++ {
		rows = append(rows, sampleRow{fixture: "testdata/sh" + strings.Repeat("x", i) + ".org", lang: ""})
	}
	rows = append(rows, sampleRow{fixture: "testdata/py.org", lang: "python"}, sampleRow{fixture: "testdata/rb.org", lang: "ruby"})
	s := referenceSample(rows)
	if !s["testdata/py.org"] || !s["testdata/rb.org"] {
		t.Errorf("a language's only fixture is not sampled: %v", s)
	}
	if n := len(s); n != 5+2 {
		t.Errorf("%d sampled, want 5 of the shell's 100 and one of each other", n)
	}
	again := referenceSample(append(rows[50:], rows[:50]...))
	for f := range s {
		if !again[f] {
			t.Errorf("the sample depends on the rows' order: %s", f)
		}
	}
}

// TestHarnessEnvironment: the tests run without the machine's interpreter
// and locale variables, and in harnessLocale, whatever the machine set.
func TestHarnessEnvironment(t *testing.T) {
	env := []string{"PATH=/usr/bin", "PYTHONUNBUFFERED=1", "PYENV_ROOT=/root/.pyenv", "NODE_EXTRA_CA_CERTS=/etc/ssl/x.pem",
		"RUBYOPT=-w", "GEM_HOME=/g", "PERL5LIB=/p", "VIRTUAL_ENV=/v", "LC_ALL=C", "LANGUAGE=fr", "LANG=fr_FR.UTF-8", "HOME=/root", "TERM=xterm"}
	want := "GEM_HOME LANGUAGE LC_ALL NODE_EXTRA_CA_CERTS PERL5LIB PYENV_ROOT PYTHONUNBUFFERED RUBYOPT VIRTUAL_ENV"
	if got := strings.Join(machineVariables(env), " "); got != want {
		t.Errorf("unset: %s\nwant   %s", got, want)
	}
	if left := machineVariables(os.Environ()); len(left) != 0 {
		t.Errorf("the tests run with the machine's %v", left)
	}
	if got := os.Getenv("LANG"); got != harnessLocale {
		t.Errorf("LANG=%s, want %s", got, harnessLocale)
	}
}
