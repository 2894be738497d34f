package org

// Marked is a block's value as Reader.Value reads it, with the marks Babel's
// reading leaves on its elements that the printed table does not show.
// One reading gives them all: the value of a finished block is read on
// the path of every :var referring to it, and a large table read once
// for each kind of mark paid its parsing as many times.
type Marked struct {
	Kind   int
	Scalar string
	// Number: Scalar is a number read (see babelValue.num), which only
	// this tells from the text 1.0e+INF a block printed, a string.
	Number bool
	Table  [][]string
	// Flat: the value is a flat list (Python's [1, 2, 3]), Table's one
	// row its items: a block receiving it through :var gets a list.
	Flat bool
	// Symbols are the cells (row, column of Table; a flat list's items
	// in row 0) Babel reads as Lisp symbols: the bare words of a Ruby,
	// Python or JavaScript list (:a, true, True, null), which
	// org-babel-script-escape and org-babel-js-read leave as symbols,
	// where a quoted string stays a string. The variable conversions of
	// ob-ruby, ob-python and ob-js write a symbol bare (%S), so a block
	// receiving the list gets the name (a Ruby symbol, Python's True),
	// or fails on it. A flat list's items that are rules (the
	// language's nothing at the top level) are among them, the symbol
	// hline; so is the language's nothing inside a row of a table
	// (Ruby's nil, which is Lisp's nil, an empty list to the variable
	// conversions; Python's None, which stays the symbol None).
	Symbols [][2]int
	// Strings are the cells that are strings reading as numbers: a
	// Python or Ruby list's quoted "007" or "1e3", which
	// org-babel-script-escape reads as a Lisp string, where a bare 7 is
	// a number; a cell of a table read from text whose text is how
	// Emacs prints an infinity (1.0e+INF, which org-babel-read takes
	// for no number). The variable conversions write such a string
	// quoted, so a block receiving the list gets the string.
	Strings [][2]int
	// Unibyte are the cells that are unibyte strings of an Emacs Lisp
	// value (LispStringUnibyte: (encode-coding-string "é" 'utf-8)),
	// each byte past ASCII a raw byte even where they form UTF-8; for
	// a string (ValueString), {0, 0} when Scalar is one.
	Unibyte [][2]int
	// Nested are the cells that are lists themselves, as Babel holds
	// them: a reference indexes into them, and the variable conversions
	// write them as lists, where the table written shows them as %s
	// prints them. A list written with a reader shorthand ('x) is left
	// out.
	Nested map[[2]int]Item
	// OneCell: the value was no list (a string, or the one cell of
	// output org-babel-import-elisp-from-file reads into that cell's
	// value), Table's one cell made of it by org-babel-execute-src-block
	// under :results table or vector after the language's function put
	// back column and row names: it gets none.
	OneCell bool
}

// ReadMarked reads raw under args once into its value and its marks.
func (r Reader) ReadMarked(raw string, args Args) Marked {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	m := Marked{Kind: val.kind, Scalar: val.str, Number: val.num, Table: val.rows(), OneCell: val.oneCell}
	if val.kind != valueTable {
		m.Unibyte = unibyteCell(val.unibyteStr && val.kind == valueString)
		return m
	}
	if val.text != nil {
		m.Strings = val.text.nonFiniteText()
		return m
	}
	m.Flat, m.Symbols, m.Unibyte = val.flat, val.symbols, val.unibyte
	if val.flat {
		for i, it := range val.items {
			m.mark(0, i, it)
		}
		return m
	}
	for i, row := range val.items {
		for j, c := range row.list {
			m.mark(i, j, c)
		}
	}
	return m
}

// mark records the marks of the element at row i, column j other than
// its being a symbol (which the reading keeps itself).
func (m *Marked) mark(i, j int, it pyItem) {
	if it.numericString() {
		m.Strings = append(m.Strings, [2]int{i, j})
	}
	if !it.isLst {
		return
	}
	if item, ok := it.item(0); ok {
		if m.Nested == nil {
			m.Nested = map[[2]int]Item{}
		}
		m.Nested[[2]int{i, j}] = item
	}
}

// numericString reports whether the element is a string whose text reads
// as a number, or is how Emacs prints an infinity or NaN (1.0e+INF): only
// the string flag tells it from the number.
func (it pyItem) numericString() bool {
	if it.isLst || !it.str {
		return false
	}
	return PrintsAsNumber(it.text)
}
