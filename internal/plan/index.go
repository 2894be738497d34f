package plan

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// lispNode is a Babel value as Lisp holds it while a reference's index
// is applied: an atom (a cell, a scalar), a rule (the symbol hline) or a
// list (a table is a list of rows).
type lispNode struct {
	atom  *Value
	rule  []string // the rule row, for a rule
	list  []lispNode
	isNil bool // nil: what nth gives past a list's end
}

// indexRangeRe is org-babel-ref-index-list's ind-re: a range "A:B" or
// "*", matched anywhere in the portion, as string-match does.
var indexRangeRe = regexp.MustCompile(`([-0-9]+):([-0-9]+)|\*`)

// indexValue is org-babel-ref-index-list: the part of v that index (the
// text between the brackets of "name[1,0]") selects. Each comma-separated
// portion indexes one level deeper: a number (negative counts from the
// end), a range "A:B" (both ends included), or "" or "*" for the whole;
// a list of one item stands for that item. A value that is not a list is
// not indexed.
func indexValue(v Value, index string) Value {
	n := toLisp(v)
	if n.list == nil {
		return v
	}
	// What is taken from a table of strings (a plain list's items)
	// stays strings: toLisp makes them strings, fromLisp marks them.
	return fromLisp(indexList(index, n))
}

func indexList(index string, lis lispNode) lispNode {
	if index == "" {
		return lis
	}
	portion, remainder, _ := strings.Cut(index, ",")
	lgth := len(lis.list)
	wrap := func(n int) int {
		if n < 0 {
			return lgth + n
		}
		return n
	}
	nth := func(n int) lispNode {
		if n < 0 {
			n = 0 // nth of a negative number is the first item
		}
		if n >= lgth {
			return lispNode{isNil: true}
		}
		return lis.list[n]
	}
	var picked []lispNode
	if m := indexRangeRe.FindStringSubmatch(portion); portion == "" || m != nil {
		from, to := wrap(0), wrap(-1)
		if portion != "" && m[1] != "" {
			from, to = wrap(lispInt(m[1])), wrap(lispInt(m[2]))
		}
		for i := from; i <= to; i++ {
			picked = append(picked, nth(i))
		}
	} else {
		picked = []lispNode{nth(wrap(lispInt(portion)))}
	}
	for i, sub := range picked {
		if sub.list != nil || sub.isNil {
			picked[i] = indexList(remainder, sub)
		}
	}
	if len(picked) == 1 {
		return picked[0]
	}
	if picked == nil {
		return lispNode{isNil: true}
	}
	return lispNode{list: picked}
}

// lispInt is string-to-number of an index: the leading integer, or 0.
func lispInt(s string) int {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && (s[end] == '-' || s[end] == '+')) {
		end++
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil {
		return 0
	}
	return n
}

// toLisp is v as Babel holds it: a table a list of rows (rules the
// symbol hline), a list a list of atoms.
func toLisp(v Value) lispNode {
	switch {
	case v.Table != nil:
		rows := make([]lispNode, len(v.Table))
		for i, r := range v.Table {
			if org.IsRule(r) {
				rows[i] = lispNode{rule: r}
				continue
			}
			cells := make([]lispNode, len(r))
			for j, c := range r {
				cv := scalarValue(c)
				cv.Chars = v.Chars
				cv.Number = cv.Number && !v.textAt(i, j)
				cv.Printed = v.printedAt(i, j)
				cv.Symbol = v.symAt(i, j) || cv.Printed
				// The symbol hline in a row: a rule where it is an
				// item of a list, as org-babel-del-hlines takes it.
				cv.Rule = cv.Symbol && !cv.Printed && c == "hline"
				cv.Unibyte = v.unibyteAt(i, j)
				cells[j] = lispNode{atom: &cv}
			}
			rows[i] = lispNode{list: cells}
			if len(cells) == 0 {
				rows[i].isNil = true
			}
		}
		return lispNode{list: rows}
	case v.IsList:
		items := make([]lispNode, len(v.List))
		for i := range v.List {
			items[i] = toLisp(v.List[i])
		}
		return lispNode{list: items}
	}
	return lispNode{atom: &v}
}

// fromLisp is the Value of an indexed part: a list of rows (and rules) is
// a table, a list of atoms a list, an atom a scalar.
func fromLisp(n lispNode) Value {
	switch {
	case n.atom != nil && isNilSymbol(*n.atom):
		// A cell that is nil taken alone: the empty list, as Babel
		// hands it on (a shell's '', Python's [], Perl's empty array;
		// hashed as (x)).
		return Value{IsList: true}
	case n.atom != nil:
		return *n.atom
	case n.rule != nil:
		return Value{Scalar: "hline", Rule: true}
	case n.list == nil:
		// nil, what Babel binds for an index past the end or an empty
		// range: an empty list to the languages.
		return Value{IsList: true}
	}
	table := isRows(n.list)
	if !table {
		items := make([]Value, len(n.list))
		for i, it := range n.list {
			items[i] = fromLisp(it)
		}
		return Value{IsList: true, List: items}
	}
	rows := make([][]string, len(n.list))
	marks := cellMarks{}
	chars := false // a cell's surrogates characters: the table's
	for i, it := range n.list {
		switch {
		case it.rule != nil:
			rows[i] = it.rule
		case it.atom != nil:
			rows[i] = []string{it.atom.Scalar}
			marks.add(i, 0, *it.atom)
			chars = chars || it.atom.Chars
		default:
			for j, c := range it.list {
				cv := fromLisp(c)
				if c.atom != nil {
					cv = *c.atom // a cell, nil a symbol
				}
				rows[i] = append(rows[i], cv.text())
				marks.add(i, j, cv)
				chars = chars || cv.holdsChars()
			}
		}
	}
	return marks.on(Value{Table: rows, Chars: chars})
}

// isRows says whether a list is a table: rows (lists of atoms) and rules,
// one row at least not empty. (nil t) stays a list, as does a list that
// holds atoms or deeper lists beside rows.
func isRows(items []lispNode) bool {
	rows := false
	for _, it := range items {
		if it.rule != nil {
			continue
		}
		if it.atom != nil {
			return false
		}
		for _, c := range it.list {
			if c.atom == nil || c.atom.DottedEnd != "" {
				return false // a list, or a cons: no cell
			}
		}
		rows = rows || len(it.list) > 0
	}
	return rows
}
