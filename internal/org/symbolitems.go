package org

// SymbolItems are the elements of a value that is a flat list (ReadValue's
// flat) that Babel reads as Lisp symbols: the bare words of a Ruby,
// Python or JavaScript list (:a, true, True, null), which
// org-babel-script-escape and org-babel-js-read leave as symbols, where a
// quoted string stays a string. The variable conversions of ob-ruby,
// ob-python and ob-js write a symbol bare (%S), so a block receiving the
// list gets the name (a Ruby symbol, Python's True), or fails on it.
// The items that are rules (the language's nothing at the top level) are
// among them, the symbol hline.
func (r Reader) SymbolItems(raw string, args Args) []int {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	if !val.flat || val.kind != valueTable {
		return nil
	}
	items := make([]int, 0, len(val.symbols))
	for _, c := range val.symbols {
		items = append(items, c[1])
	}
	return items
}

// SymbolCells are, for a value that is a list of lists (a table, not
// flat), the cells (row, column of ReadValue's table) Babel reads as
// Lisp symbols: bare words as SymbolItems, and the language's nothing
// inside a row (Ruby's nil, which is Lisp's nil, an empty list to the
// variable conversions; Python's None, which stays the symbol None).
func (r Reader) SymbolCells(raw string, args Args) [][2]int {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	if val.flat || val.kind != valueTable {
		return nil
	}
	return val.symbols
}
