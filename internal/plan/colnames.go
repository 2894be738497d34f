package plan

import (
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// WithNames is r with the column and row names Babel puts back on t's
// table result (resultColnames, resultRownames), and which of them are
// unibyte strings, whose bytes past ASCII write-back writes as octal
// escapes as Emacs does.
func WithNames(doc *org.Document, t *Task, refs map[string]Value, r org.Result) org.Result {
	r.Colnames, r.ColnamesUnibyte = resultColnames(doc, t, refs)
	r.Rownames, r.RownamesUnibyte = resultRownames(doc, t, refs)
	return r
}

// resultColnames are the column names Babel puts back above a block's
// table result (org-babel-reassemble-table, called by ob-shell, ob-python,
// ob-ruby and ob-perl, not ob-js), as org-babel-pick-name chooses them:
// the names :colnames '(A B) gives; for any other :colnames value (yes,
// nil, …) the names taken off the last :var table that had some (its
// first row, when org-babel-disassemble-tables took it); nothing without
// :colnames. refs are the values of the blocks the task refers to, as for
// Render. Write-back puts them back when the table's first row has as
// many cells. unibyte are the indexes of the names that are unibyte
// strings.
func resultColnames(doc *org.Document, t *Task, refs map[string]Value) (names []string, unibyte []int) {
	doc = t.docIn(doc)
	return resultNames(doc, t, refs, "colnames", func(b bound) ([]string, []cellMark) { return b.colnames, b.value.nameMarks })
}

// resultRownames are the row names Babel puts back before the rows of a
// block's table result, chosen as resultColnames chooses column names
// (:rownames '(A B), or the names taken off the last :var table that had
// some); write-back puts them back when the table has as many rows (its
// rules counted). unibyte are as for resultColnames.
func resultRownames(doc *org.Document, t *Task, refs map[string]Value) (names []string, unibyte []int) {
	doc = t.docIn(doc)
	return resultNames(doc, t, refs, "rownames", func(b bound) ([]string, []cellMark) { return b.value.rownames, b.value.rownameMarks })
}

// resultNames are the names key (colnames or rownames) puts back on t's
// table result, as princ prints them, of gives a binding's names and
// their marks; unibyte are the indexes of the names that are unibyte
// strings.
func resultNames(doc *org.Document, t *Task, refs map[string]Value, key string, of func(bound) ([]string, []cellMark)) (names []string, unibyte []int) {
	if jsLangs[t.Lang] || t.lispVar != nil {
		return nil, nil
	}
	if t.ReadsOutput {
		t = t.owner // its block's names
	}
	blk, err := t.blockIn(doc)
	if err != nil {
		return nil, nil
	}
	selector, ok := blk.Args.Get(key)
	if !ok || selector == "" {
		// (listp nil): no names.
		return nil, nil
	}
	if strings.HasPrefix(selector, "'(") || strings.HasPrefix(selector, "(") {
		items, err := readList(strings.TrimPrefix(selector, "'"))
		if err != nil || len(items) == 0 {
			return nil, nil
		}
		names := make([]string, len(items))
		for i, it := range items {
			names[i] = it.Scalar
			if it.IsList && len(it.List) == 0 && key == "colnames" {
				// nil, the empty list: org-babel-put-colnames
				// conses the names as they are and orgtbl
				// princs nil "nil"; org-babel-put-rownames
				// takes (or (pop rownames) ""), so "" there.
				names[i] = "nil"
			}
		}
		return names, nil
	}
	bindings, err := t.bind(blk, refs)
	if err != nil {
		return nil, nil
	}
	var all []bound
	for _, b := range bindings {
		if n, _ := of(b); n != nil {
			all = append(all, b)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	// An integer N selects (nth (1- N) names) of the alist: the
	// variable's name, then its column names — so the names go back
	// only above rows one cell longer, headed by the variable's name.
	if n, err := strconv.Atoi(selector); err == nil {
		if n < 1 || n > len(all) {
			return nil, nil
		}
		names, marks := of(all[n-1])
		return append([]string{all[n-1].name}, princRow(names, marks)...), unibyteNames(marks, 1)
	}
	// Anything else: the last variable's names.
	names, marks := of(all[len(all)-1])
	return princRow(names, marks), unibyteNames(marks, 0)
}

// unibyteNames are the indexes of the names marked unibyte strings among
// marks, each past off: where the names stand among those put back.
func unibyteNames(marks []cellMark, off int) []int {
	var out []int
	for j, m := range marks {
		if m == unibyteCell {
			out = append(out, j+off)
		}
	}
	return out
}

// ColnamesStopError is the error org-babel-execute-buffer stops with
// once a block has run whose column names org-babel-pick-name picks are a
// rule: a :var table starting with a rule, taken apart under :colnames
// (yes, or any value but no and a list), gives the symbol hline for
// names, and org-babel-reassemble-table takes its length when the value
// is a list whose first element is a list.
const ColnamesStopError = "Wrong type argument: sequencep, hline"

// ResultStop is the error org-babel-execute-buffer stops with once task
// t's block has run and printed raw, what its program wrote for its
// result (as ResultText takes it; refs as for resultColnames), "" for
// none. written says whether write-back writes the block's results
// all the same: the results keyword alone, for a table the exporter leaves
// nothing of (org.TableStopError); nothing for column names that are a
// rule (ColnamesStopError) or for output holding a raw byte that the
// language's function writes to a temporary file (CodingStopError), both
// signalled inside the language's function, under :results silent too,
// nor for a :file-mode set-file-modes refuses once the :file is written
// (fileModeStop), nor for a block whose noweb reference left point at a heading
// (org.NowebHeadingError; not for one with a :post).
func ResultStop(doc *org.Document, t *Task, raw string, refs map[string]Value) (why string, written bool) {
	doc = t.docIn(doc)
	blk, err := t.blockIn(doc)
	if err != nil {
		return "", false
	}
	if t.postDirStop != "" {
		// Its :post's process could not start: Emacs stops before
		// org-babel-insert-result (postdirstop.go).
		return t.postDirStop, false
	}
	if why, ok := shellBindStopIn(doc, blk, t, raw); ok {
		// Its shell bash, the block did not run (shellbindstop.go).
		return why, false
	}
	if why := codingStop(blk, t, raw); why != "" {
		return why, false
	}
	if why := fileDirStop(doc, blk, t); why != "" {
		// with-temp-file fails before set-file-modes.
		return why, false
	}
	if why := fileModeStop(blk, t); why != "" {
		return why, false
	}
	if why, ok := lispErrorValue(t, raw); ok {
		return why, false
	}
	output := ResultText(t, raw)
	if !t.ReadsOutput && t.Reader.ScriptEscapeFails(output, t.valueResults()) {
		// org-babel-script-escape signals inside the language's
		// function, under :results silent too, before any :post.
		return org.ScriptEscapeError, false
	}
	if !t.ReadsOutput && t.Reader.NeedsEmacs(output, t.valueResults()) {
		// Emacs reads the value (emacsread.go): the reading's is the
		// value written.
		return "", false
	}
	if colnamesRule(doc, t, refs) && t.File == "" {
		v := ResultValue(t, output)
		if len(v.Table) > 0 && !org.IsRule(v.Table[0]) || v.Table == nil && v.IsList && len(v.List) > 0 && v.List[0].IsList {
			return ColnamesStopError, false
		}
		if output == "" && shellNames[t.Lang] && !org.ResultCondScalar(blk.Args) {
			// Nothing printed: ob-shell reads the empty file as nil,
			// whose first element, nil, is a list too.
			return ColnamesStopError, false
		}
	}
	if t.ResultsIndex() < 0 {
		return "", false
	}
	if post, _ := blk.Args.Get("post"); post != "" && !t.Post {
		// Its :post's value is what is written.
		return "", false
	}
	if doc.NowebHeadingStops(blk) {
		// The expansion left point at a heading: org-babel-insert-result
		// fails, writing nothing.
		return org.NowebHeadingError, false
	}
	if why := doc.ResultStop(blk, resultOf(doc, t, output, refs)); why != "" {
		return why, true
	}
	return "", false
}

// FailureStop is the error org-babel-execute-buffer stops with once
// task t's block has failed (exited non-zero), "" for none, its results
// left as they were: org-babel-eval gives nil then, which a Perl output
// block, or a Python or Ruby one read as a table, uses as text
// (failedNilStop), and under column names that are a rule a shell
// block's stops it as for nothing printed (ColnamesStopError). refs as
// for ResultStop.
func FailureStop(doc *org.Document, t *Task, refs map[string]Value) string {
	doc = t.docIn(doc)
	if blk, err := t.blockIn(doc); err == nil {
		if why := failedNilStop(blk, t); why != "" {
			return why
		}
	}
	if !shellNames[t.Lang] || t.File != "" || !colnamesRule(doc, t, refs) {
		return ""
	}
	return ColnamesStopError
}

// StopKeepsResults reports whether why, an error ResultStop or
// FailureStop gave, always leaves the block's results as they were (not
// written): column names that are a rule (ColnamesStopError), output a
// coding system is asked for (CodingStopError), a backslash
// org-babel-script-escape cannot handle (org.ScriptEscapeError). Not
// org.NowebHeadingError, the same error as org.TableStopError, which is
// written after: ResultStop's written tells those apart.
func StopKeepsResults(why string) bool {
	return why == ColnamesStopError || why == CodingStopError || why == org.ScriptEscapeError
}

// ResultStopKept reports whether why, the stop ResultStop gave for a
// task (written as it said; false for FailureStop's), leaves the block's
// results as they were (store.Instance.ResultStopKept).
func ResultStopKept(why string, written bool) bool {
	return why != "" && !written
}

// ResultStopReferred reports whether why, a stop ResultStop or
// FailureStop gave for a task, the block's results kept as they were
// (kept: ResultStopKept), is made before Emacs writes them: binding the
// values (a "shell" block's in bash's forms, shellBindStopIn), inside
// the language's function (column names that are a rule, output a
// coding system is asked for), setting the :file's modes, inside a
// :post. A reference that runs the block (org-babel-ref-resolve, its
// results silent) makes it too: org-babel-execute-buffer stops at the
// first block whose reference runs it, which does not run. Not a stop
// made inserting the results (a noweb reference that left point at a
// heading, org.NowebHeadingError; a table the exporter leaves nothing
// of, written): a reference inserts none, and the stop is made at the
// block's own turn. The one rule for the engine's stopPlace and the
// harness, as Task.FailureStops is for Lisp errors.
func ResultStopReferred(why string, kept bool) bool {
	return kept && why != "" && why != org.NowebHeadingError
}

// ResultMayStop reports, from task t's block alone (no output read, no
// reference resolved), whether ResultStop may find a stop once it has
// run: a :colnames that may pick a :var table's names, output written to
// a file (the language's temporary file, writesOutputFile, or the
// block's :file), results written that may be a table, or a noweb
// reference to a heading (org.Document.NowebHeadingStops), or a "shell"
// block given values whose shell is chosen where it runs
// (shellBindStopMayBe). Only those are read for it.
func ResultMayStop(doc *org.Document, t *Task) bool {
	doc = t.docIn(doc)
	if t.ReadsOutput {
		return false
	}
	blk, err := t.blockIn(doc)
	if err != nil {
		return false
	}
	if t.Post {
		// The block a :post calls: only its column names
		// (colnamesSelects: Emacs stops inside the :post, and at
		// the block whose reference runs the chain), its output
		// file's coding (codingStop) are weighed, or the error an
		// Emacs Lisp block run in a batch Emacs of its own
		// signalled (lispErrorValue).
		return colnamesSelects(blk, t) || writesOutputFile(blk, t) || StopsOnLispError(t) && t.Session == nil || scriptEscapeMayFail(t)
	}
	if scriptEscapeMayFail(t) || colnamesSelects(blk, t) || writesOutputFile(blk, t) || t.FileWritten || shellBindStopMayBe(t) {
		return true
	}
	if post, _ := blk.Args.Get("post"); post != "" || t.ResultsIndex() < 0 {
		return false
	}
	return doc.NowebHeadingStops(blk) || org.ResultMayStop(blk, false)
}

// colnamesSelects reports whether task t's block, blk, has a :colnames
// under which org-babel-pick-name picks the names of its last :var table
// that had some (see ColnamesStopError): no list, no number and not no.
func colnamesSelects(blk *org.Block, t *Task) bool {
	if jsLangs[t.Lang] || t.lispVar != nil || t.ReadsOutput {
		return false
	}
	selector, ok := blk.Args.Get("colnames")
	if !ok || selector == "" || selector == "no" || strings.HasPrefix(selector, "'(") || strings.HasPrefix(selector, "(") {
		return false
	}
	_, err := strconv.Atoi(selector)
	return err != nil
}

// colnamesRule reports whether the column names org-babel-pick-name
// picks for task t's value are a rule (see ColnamesStopError): those of
// the last :var table that had some, under a :colnames that is no list,
// no number and not no.
func colnamesRule(doc *org.Document, t *Task, refs map[string]Value) bool {
	blk, err := t.blockIn(doc)
	if err != nil || !colnamesSelects(blk, t) {
		return false
	}
	bindings, err := t.bind(blk, refs)
	if err != nil {
		return false
	}
	for i := len(bindings) - 1; i >= 0; i-- {
		if names := bindings[i].colnames; names != nil {
			return org.IsRule(names)
		}
	}
	return false
}

// scriptEscapeMayFail reports whether org-babel-script-escape reads task
// t's value, which may hold a backslash it cannot handle
// (org.Reader.ScriptEscapeFails): a Python or Ruby block's, under
// :results org-babel-result-cond does not keep as text.
func scriptEscapeMayFail(t *Task) bool {
	return t.Reader.ScriptEscapeFails("[\\]", t.valueResults())
}
