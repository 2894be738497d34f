package plan

import (
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// ResultColnames are the column names Babel puts back above a block's
// table result (org-babel-reassemble-table, called by ob-shell, ob-python,
// ob-ruby and ob-perl, not ob-js), as org-babel-pick-name chooses them:
// the names :colnames '(A B) gives; for any other :colnames value (yes,
// nil, …) the names taken off the last :var table that had some (its
// first row, when org-babel-disassemble-tables took it); nothing without
// :colnames. refs are the values of the blocks the task refers to, as for
// Render. Write-back puts them back when the table's first row has as
// many cells.
func ResultColnames(doc *org.Document, t *Task, refs map[string]Value) []string {
	doc = t.docIn(doc)
	return resultNames(doc, t, refs, "colnames", func(b bound) []string { return princRow(b.colnames, b.value.nameMarks) })
}

// ResultRownames are the row names Babel puts back before the rows of a
// block's table result, chosen as ResultColnames chooses column names
// (:rownames '(A B), or the names taken off the last :var table that had
// some); write-back puts them back when the table has as many rows (its
// rules counted).
func ResultRownames(doc *org.Document, t *Task, refs map[string]Value) []string {
	doc = t.docIn(doc)
	return resultNames(doc, t, refs, "rownames", func(b bound) []string { return princRow(b.value.rownames, b.value.rownameMarks) })
}

func resultNames(doc *org.Document, t *Task, refs map[string]Value, key string, of func(bound) []string) []string {
	if jsLangs[t.Lang] || t.lispVar != nil {
		return nil
	}
	if t.ReadsOutput {
		t = t.owner // its block's names
	}
	blk, err := t.blockIn(doc)
	if err != nil {
		return nil
	}
	selector, ok := blk.Args.Get(key)
	if !ok || selector == "" {
		// (listp nil): no names.
		return nil
	}
	if strings.HasPrefix(selector, "'(") || strings.HasPrefix(selector, "(") {
		items, err := readList(strings.TrimPrefix(selector, "'"))
		if err != nil || len(items) == 0 {
			return nil
		}
		names := make([]string, len(items))
		for i, it := range items {
			names[i] = it.Scalar
		}
		return names
	}
	bindings, err := t.bind(blk, refs)
	if err != nil {
		return nil
	}
	var all []bound
	for _, b := range bindings {
		if of(b) != nil {
			all = append(all, b)
		}
	}
	if len(all) == 0 {
		return nil
	}
	// An integer N selects (nth (1- N) names) of the alist: the
	// variable's name, then its column names — so the names go back
	// only above rows one cell longer, headed by the variable's name.
	if n, err := strconv.Atoi(selector); err == nil {
		if n < 1 || n > len(all) {
			return nil
		}
		return append([]string{all[n-1].name}, of(all[n-1])...)
	}
	// Anything else: the last variable's names.
	return of(all[len(all)-1])
}
