package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Committed references: what Emacs wrote for a fixture, kept in the
// repository (testdata/emacs/NAME.ref) as golden files are, so that a
// machine whose reference cache is empty (CI's, every run) does not run
// Emacs for every fixture. An entry is used only under its key (the
// fixture's referenceInputs, machine-independent where Emacs's output
// is): an entry whose key differs is ignored and Emacs runs, as for a
// fixture with none. -update-reference runs Emacs for every fixture and
// writes the entries anew; BORGES_EMACS_REFERENCE=fresh runs Emacs and
// holds it to the entries; a strict run does so for a fixed sample
// (referenceSample).

var updateReference = flag.Bool("update-reference", false,
	"run Emacs for every fixture and write its committed reference (testdata/emacs) anew")

// refreshReferences is the command that writes the committed references
// anew (run in internal/plan), as failures name it.
const refreshReferences = "BORGES_TEST_STRICT=1 go test -run TestAgainstEmacs -count=1 -timeout 90m -update-reference"

// committedDir is where the committed references are.
var committedDir = filepath.Join("testdata", "emacs")

// committedReferences holds one entry a fixture in dir.
type committedReferences struct{ dir string }

// referenceStatus is what load found for a fixture.
type referenceStatus int

const (
	referenceNone      referenceStatus = iota // no entry
	referenceCommitted                        // an entry of the key: used
	referenceStale                            // an entry of other inputs: ignored
	referenceDamaged                          // an entry edited or cut since it was written: rejected
)

func (s referenceStatus) String() string {
	return [...]string{"none", "committed", "stale", "damaged"}[s]
}

func (c committedReferences) path(fixture string) string {
	return filepath.Join(c.dir, strings.TrimSuffix(filepath.Base(fixture), ".org")+".ref")
}

// An entry's file: four lines (its key, the hash of the rest, the error
// that stopped org-babel-execute-buffer quoted, the digest of each of the
// key's parts by name, in JSON), a blank line, and the document Emacs
// wrote as it is, for a reader to diff.
const (
	refKey     = "key "
	refSum     = "sum "
	refStopped = "stopped "
	refInputs  = "inputs "
)

// referenceSum hashes what an entry holds, each part's length given.
func referenceSum(key, inputs, stopped string, doc []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "borges-emacs-reference 4\nkey %d\n%s\ninputs %d\n%s\nstopped %d\n%s\ndoc %d\n",
		len(key), key, len(inputs), inputs, len(stopped), stopped, len(doc))
	h.Write(doc)
	return hex.EncodeToString(h.Sum(nil))
}

// store writes fixture's entry for its inputs.
func (c committedReferences) store(fixture string, in referenceInputs, doc []byte, stopped string) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	inputs, err := json.Marshal(in.inputDigests())
	if err != nil {
		return err
	}
	key := in.key()
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s%s\n%s%s\n%s%s\n%s%s\n\n", refKey, key, refSum, referenceSum(key, string(inputs), stopped, doc),
		refStopped, strconv.Quote(stopped), refInputs, inputs)
	b.Write(doc)
	return os.WriteFile(c.path(fixture), b.Bytes(), 0o644)
}

// committedEntry is what load found for a fixture: the document and error
// of an entry of its key; for an entry of other inputs, the parts that
// differ (differingInputs).
type committedEntry struct {
	status  referenceStatus
	doc     []byte
	stopped string
	differ  []string
}

// load gives fixture's entry for its inputs, and what it found.
func (c committedReferences) load(fixture string, in referenceInputs) committedEntry {
	data, err := os.ReadFile(c.path(fixture))
	if err != nil {
		return committedEntry{status: referenceNone}
	}
	damaged := committedEntry{status: referenceDamaged}
	var head [4]string
	rest := string(data)
	for i := range head {
		line, after, ok := strings.Cut(rest, "\n")
		if !ok {
			return damaged
		}
		head[i], rest = line, after
	}
	body, ok := strings.CutPrefix(rest, "\n")
	entryKey, ok1 := strings.CutPrefix(head[0], refKey)
	sum, ok2 := strings.CutPrefix(head[1], refSum)
	quoted, ok3 := strings.CutPrefix(head[2], refStopped)
	inputs, ok4 := strings.CutPrefix(head[3], refInputs)
	if !ok || !ok1 || !ok2 || !ok3 || !ok4 {
		return damaged
	}
	stopped, err := strconv.Unquote(quoted)
	if err != nil || referenceSum(entryKey, inputs, stopped, []byte(body)) != sum {
		return damaged
	}
	if entryKey != in.key() {
		var was map[string]string
		if err := json.Unmarshal([]byte(inputs), &was); err != nil {
			return damaged
		}
		return committedEntry{status: referenceStale, differ: differingInputs(was, in.inputDigests())}
	}
	return committedEntry{status: referenceCommitted, doc: []byte(body), stopped: stopped}
}

// prune removes the entries of fixtures not in fixtures.
func (c committedReferences) prune(fixtures map[string]bool) error {
	names, err := filepath.Glob(filepath.Join(c.dir, "*.ref"))
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for f := range fixtures {
		kept[c.path(f)] = true
	}
	for _, name := range names {
		if !kept[name] {
			if err := os.Remove(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// sampleRow is a fixture and its language ("" for the shell's).
type sampleRow struct{ fixture, lang string }

// sampleEvery: one fixture in sampleEvery of each language's, 5 %.
const sampleEvery = 20

// referenceSample is the fixed sample of fixtures whose committed
// reference a strict run holds to Emacs run afresh (what a key cannot
// see: a nondeterministic Emacs, an input the key misses): of each
// language's fixtures in name order, the first and every sampleEvery-th
// after it.
func referenceSample(rows []sampleRow) map[string]bool {
	byLang := map[string][]string{}
	for _, r := range rows {
		byLang[r.lang] = append(byLang[r.lang], r.fixture)
	}
	sample := map[string]bool{}
	for _, fixtures := range byLang {
		sort.Strings(fixtures)
		for i := 0; i < len(fixtures); i += sampleEvery {
			sample[fixtures[i]] = true
		}
	}
	return sample
}

// referenceTally counts what the fixtures of a run found of their
// committed entries, for the report TestAgainstEmacs gives at its end: a
// machine whose inputs differ from those the entries were written with
// (another environment, other tools) runs Emacs for each fixture it
// misses, and the report names the parts that differ.
var referenceTally = &tally{}

type tally struct {
	mu       sync.Mutex
	byStatus map[referenceStatus]int
	byPart   map[string]int
	stale    []string
}

func (t *tally) add(fixture string, e committedEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byStatus == nil {
		t.byStatus, t.byPart = map[referenceStatus]int{}, map[string]int{}
	}
	t.byStatus[e.status]++
	if e.status == referenceStale {
		t.stale = append(t.stale, fixture)
		for _, p := range e.differ {
			t.byPart[p]++
		}
	}
}

// report is one line: the count of each status, and for the stale
// entries the parts that differ, the commonest first, and some of them.
func (t *tally) report() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := fmt.Sprintf("committed references: %d used, %d of other inputs (Emacs runs), %d none, %d damaged",
		t.byStatus[referenceCommitted], t.byStatus[referenceStale], t.byStatus[referenceNone], t.byStatus[referenceDamaged])
	if len(t.stale) == 0 {
		return s
	}
	parts := make([]string, 0, len(t.byPart))
	for p := range t.byPart {
		parts = append(parts, p)
	}
	sort.Slice(parts, func(i, j int) bool {
		if t.byPart[parts[i]] != t.byPart[parts[j]] {
			return t.byPart[parts[i]] > t.byPart[parts[j]]
		}
		return parts[i] < parts[j]
	})
	var differ []string
	for _, p := range parts {
		differ = append(differ, fmt.Sprintf("%s ×%d", p, t.byPart[p]))
	}
	stale := append([]string(nil), t.stale...)
	sort.Strings(stale)
	if len(stale) > 10 {
		stale = append(stale[:10], "…")
	}
	return s + "; differing: " + strings.Join(differ, ", ") + "; of: " + strings.Join(stale, " ")
}
