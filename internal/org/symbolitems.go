package org

// SymbolItems are the elements of a value that is a flat list (ReadValue's
// flat) that Babel reads as Lisp symbols: the bare words of a Ruby,
// Python or JavaScript list (:a, true, True, null), which
// org-babel-script-escape and org-babel-js-read leave as symbols, where a
// quoted string stays a string. The variable conversions of ob-ruby,
// ob-python and ob-js write a symbol bare (%S), so a block receiving the
// list gets the name (a Ruby symbol, Python's True), or fails on it.
func (r Reader) SymbolItems(raw string, args Args) []int {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	if !val.flat || val.kind != valueTable {
		return nil
	}
	return val.symbols
}
