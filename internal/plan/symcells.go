package plan

import (
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// A table a Ruby, Python or JavaScript block returned can hold Lisp
// symbols in its cells (Ruby's [[1, :x], [2, nil]]: :x and nil), which
// the variable conversions write bare, as flat lists' symbols are (see
// Value.Symbol). A Lisp table can hold strings that read as numbers
// beside numbers ((("1" 2))), each printed as it is, and vectors
// ((1 [2 3])), held as %S printed them. Value.marks marks each kind of
// cell, row for row with Value.Table, through indexing, :colnames and
// :rownames.

// cellMark is what a table cell is beside its text.
type cellMark uint8

const (
	plainCell  cellMark = iota // a number where it reads as one, else a string
	symbolCell                 // a Lisp symbol, written bare
	textCell                   // a string, even where it reads as a number
	// printedCell is a value no language takes as it is (a vector, [1
	// "a"]), its text as %S printed it (Value.Printed): written so
	// where a symbol's name is escaped, as princ prints it where %s
	// prints the cell.
	printedCell
	// unibyteCell is a unibyte string of an Emacs Lisp value
	// (Value.Unibyte): each of its bytes past ASCII a raw byte, which
	// prin1 and a table's cell write as an octal escape.
	unibyteCell
)

// symAt reports whether cell j of row i of v's table is a symbol.
func (v Value) symAt(i, j int) bool {
	return v.markAt(i, j) == symbolCell
}

// printedAt reports whether cell j of row i of v's table is a value as
// %S printed it (a vector).
func (v Value) printedAt(i, j int) bool {
	return v.markAt(i, j) == printedCell
}

// unibyteAt reports whether cell j of row i of v's table is a unibyte
// string (Value.Unibyte).
func (v Value) unibyteAt(i, j int) bool {
	return v.markAt(i, j) == unibyteCell
}

// textAt reports whether cell j of row i of v's table is a string even
// where it reads as a number: every cell of a table of text
// (Value.TextCells), or one marked so.
func (v Value) textAt(i, j int) bool {
	return v.TextCells || v.markAt(i, j) == textCell
}

func (v Value) markAt(i, j int) cellMark {
	if i < len(v.marks) && j < len(v.marks[i]) {
		return v.marks[i][j]
	}
	return plainCell
}

// withSymbolCells is v (a table) with the cells at (row, column) marked
// as symbols.
func withSymbolCells(v Value, cells [][2]int) Value {
	return withCellMarks(v, cells, symbolCell)
}

// cellMarkOf is the mark of a Lisp value as a table's cell: a symbol, a
// value as %S printed it, a string that reads as a number (or as Emacs
// prints an infinity, 1.0e+INF), or none of them.
func cellMarkOf(c Value) cellMark {
	if c.Symbol && c.Printed {
		return printedCell
	}
	if c.Symbol || c.Rule {
		// hline in a row is a symbol, not a rule (a rule is a row).
		return symbolCell
	}
	if org.PrintsAsNumber(c.Scalar) && !c.Number {
		return textCell
	}
	if c.Unibyte {
		// Never a number's text: a byte past ASCII.
		return unibyteCell
	}
	return plainCell
}

// cellMarks are the cells of a table being read, by their marks (see
// cellMarkOf), plain cells left out.
type cellMarks map[cellMark][][2]int

// add records the mark of cell j of row i, the Lisp value c.
func (m cellMarks) add(i, j int, c Value) {
	if k := cellMarkOf(c); k != plainCell {
		m[k] = append(m[k], [2]int{i, j})
	}
}

// on is v (a table) with the cells marked as m says.
func (m cellMarks) on(v Value) Value {
	for k, cells := range m {
		v = withCellMarks(v, cells, k)
	}
	return v
}

// withCellMarks is v (a table) with the cells at (row, column) marked m,
// its other marks kept (copied: v's own are left as they are).
func withCellMarks(v Value, cells [][2]int, m cellMark) Value {
	if len(cells) == 0 || v.Table == nil {
		return v
	}
	marks := make([][]cellMark, len(v.Table))
	if len(v.marks) == len(v.Table) {
		for i, r := range v.marks {
			marks[i] = slices.Clone(r)
		}
	}
	for _, c := range cells {
		i, j := c[0], c[1]
		if i >= len(v.Table) || j >= len(v.Table[i]) {
			continue
		}
		if len(marks[i]) != len(v.Table[i]) {
			marks[i] = make([]cellMark, len(v.Table[i]))
		}
		marks[i][j] = m
	}
	v.marks = marks
	return v
}

// markIn is mark j of a row's marks (plainCell past its end).
func markIn(row []cellMark, j int) cellMark {
	if j < len(row) {
		return row[j]
	}
	return plainCell
}

// namesValue is the list of column or row names that bindTable took off
// v's table, each as the cell it was (marks, row for row): a symbol, a
// string, or a number where it reads as one.
func (v Value) namesValue(names []string, marks []cellMark) Value {
	items := make([]Value, len(names))
	for i, n := range names {
		switch {
		case markIn(marks, i) == symbolCell:
			items[i] = Value{Scalar: n, Symbol: true}
		case markIn(marks, i) == printedCell:
			items[i] = Value{Scalar: n, Symbol: true, Printed: true}
		case markIn(marks, i) == unibyteCell:
			items[i] = Value{Scalar: n, Unibyte: true}
		case v.TextCells || markIn(marks, i) == textCell:
			items[i] = Value{Scalar: n}
		default:
			items[i] = scalarValue(n)
		}
	}
	return Value{IsList: true, List: items}
}

// rowSyms is the marks of row i of syms (nil for none).
func rowSyms(syms [][]cellMark, i int) []cellMark {
	if i < len(syms) {
		return syms[i]
	}
	return nil
}

// isNilSymbol reports whether v is the symbol nil (a table's cell).
func isNilSymbol(v Value) bool {
	return v.Symbol && !v.Printed && v.Scalar == "nil"
}

// bareSymbol is a symbol as ob-ruby's, ob-python's and ob-js's variable
// conversions write it: nil is the empty list ([]), any other as %S
// prints it (org.PrintSymbol: a\.b for the name a.b).
func bareSymbol(name string) string {
	if name == "nil" {
		return "[]"
	}
	return org.PrintSymbolText(name)
}

// printedSymbol is a symbol value (Symbol) as %S prints it: its name
// escaped (org.PrintSymbolText), or the text as it is when that is
// printed already.
func (v Value) printedSymbol() string {
	if v.Printed {
		return v.Scalar
	}
	return org.PrintSymbolText(v.Scalar)
}

// dropRows is syms without its first n rows.
func dropRows(syms [][]cellMark, n int) [][]cellMark {
	if len(syms) < n {
		return nil
	}
	return syms[n:]
}

// dropCells is a row's marks without its first n cells.
func dropCells(row []cellMark, n int) []cellMark {
	if len(row) < n {
		return nil
	}
	return row[n:]
}

// markSymbols marks the items at the indexes given (SymbolItems) as
// symbols, the symbol hline as a rule (which a block receiving the list
// drops, or takes the item before it as a column name for: see
// bindRuledList). A symbol whose name reads as a number (Emacs prints
// it \1) is no number.
func markSymbols(items []Value, at []int) []Value {
	for _, i := range at {
		if i < len(items) {
			items[i].Symbol = true
			items[i].Number = false
			items[i].Rule = items[i].Scalar == "hline"
		}
	}
	return items
}

// princCells are the cells of row i of v's table as orgtbl-to-generic
// princs them into its buffer (a shell's string): see princRow, and
// each raw byte of a string, each byte past ASCII of a unibyte one, an
// octal escape (org.Princ).
func (v Value) princCells(i int) []string {
	cells := princRow(v.Table[i], rowSyms(v.marks, i))
	var out []string
	for j, c := range cells {
		if v.symAt(i, j) || v.printedAt(i, j) {
			continue
		}
		if p := org.Princ(c, v.Chars, v.unibyteAt(i, j)); p != c {
			if out == nil {
				out = slices.Clone(cells)
			}
			out[j] = p
		}
	}
	if out == nil {
		return cells
	}
	return out
}

// princRow is a row's cells (or a table's names), each marked as marks
// say, as %s prints them, and as a table result shows them: a vector's
// elements as princ prints them, strings without quotes, symbols
// unescaped.
func princRow(cells []string, marks []cellMark) []string {
	var out []string
	for j, c := range cells {
		if markIn(marks, j) != printedCell {
			continue
		}
		if out == nil {
			out = slices.Clone(cells)
		}
		out[j] = princPrinted(c)
	}
	if out == nil {
		return cells
	}
	return out
}

// princPrinted is the princ text of a value from its prin1 text p: each
// string literal's contents, each backslash-escaped character bare, but
// a bool-vector's (#&3"\a"), which princ prints as prin1 does. Text it
// cannot read (an unterminated string) is returned as it is.
func princPrinted(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); {
		if n := boolVectorLen(p[i:]); n > 0 {
			b.WriteString(p[i : i+n])
			i += n
			continue
		}
		switch p[i] {
		case '"':
			str, rest, err := readString(p[i:])
			if err != nil {
				return p
			}
			b.WriteString(str)
			i = len(p) - len(rest)
		case '\\':
			if i+1 < len(p) {
				i++
			}
			b.WriteByte(p[i])
			i++
		default:
			b.WriteByte(p[i])
			i++
		}
	}
	return b.String()
}

// boolVectorLen is the length of the bool-vector's printed text at the
// start of p (#&N"…", its string's quotes and backslashes as prin1 wrote
// them), 0 for none.
func boolVectorLen(p string) int {
	if !strings.HasPrefix(p, "#&") {
		return 0
	}
	i := 2
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	if i == 2 || i >= len(p) || p[i] != '"' {
		return 0
	}
	for i++; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}
