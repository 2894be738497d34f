package org

// StringItems are the elements of a value that is a flat list (ReadValue's
// flat) that are strings reading as numbers: a Python or Ruby list's
// quoted "007" or "1e3", which org-babel-script-escape reads as a Lisp
// string, where a bare 7 is a number. The variable conversions write such
// a string quoted, so a block receiving the list gets the string.
func (r Reader) StringItems(raw string, args Args) []int {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	if !val.flat || val.kind != valueTable {
		return nil
	}
	var out []int
	for i, it := range val.items {
		if it.numericString() {
			out = append(out, i)
		}
	}
	return out
}

// StringCells are, for a value that is a list of lists (a table, not
// flat), the cells (row, column of ReadValue's table) that are strings
// reading as numbers, as StringItems has a flat list's.
func (r Reader) StringCells(raw string, args Args) [][2]int {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	if val.flat || val.kind != valueTable {
		return nil
	}
	var out [][2]int
	for i, row := range val.items {
		for j, c := range row.list {
			if c.numericString() {
				out = append(out, [2]int{i, j})
			}
		}
	}
	return out
}

// numericString reports whether the element is a string whose text reads
// as a number: only the string flag tells it from the number.
func (it pyItem) numericString() bool {
	if it.isLst || !it.str {
		return false
	}
	_, num := lispNumber(it.text)
	return num
}
