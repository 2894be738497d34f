package plan

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/org"
)

// Value is a Babel value bound to a variable: a scalar, a list, or a table
// (rows of cells). Numbers keep the text Emacs prints for them.
type Value struct {
	Scalar string     `json:"scalar,omitempty"`
	Number bool       `json:"number,omitempty"`
	List   []Value    `json:"list,omitempty"`
	Table  [][]string `json:"table,omitempty"`
	IsList bool       `json:"is_list,omitempty"`
	// TextCells: the table's cells are strings even where they look
	// like numbers (a plain list's items, which org-babel-read-list
	// leaves as text).
	TextCells bool `json:"text_cells,omitempty"`
	// Rule marks a rule (hline) among a list's items: a column taken
	// out of a table with rules.
	Rule bool `json:"rule,omitempty"`
	// Symbol: the scalar is printed bare (%S of a Lisp symbol, or of a
	// value such as a vector that no language takes as it is).
	Symbol bool `json:"symbol,omitempty"`
	// Printed: such a scalar is already as %S prints it (a vector);
	// else a symbol's is its name (see printedSymbol).
	Printed bool `json:"printed,omitempty"`
	// DottedEnd: the scalar is a cons or a dotted list of Lisp
	// ((1 . 2), (1 2 . 3)), printed; this is its last cdr, as %S prints
	// it (see consError).
	DottedEnd string `json:"dotted_end,omitempty"`
	// Pair is such a cons's car and cdr.
	Pair []Value `json:"pair,omitempty"`
	// Sandbox: the scalar is a path relative to the document's
	// directory, which a task's sandbox stands for; the program joins
	// the sandbox's path to it when it runs (org-babel-read-link's
	// expand-file-name of a named file link).
	Sandbox bool `json:"sandbox,omitempty"`
	// Home: the scalar is a path relative to the home directory (a
	// link's "~/…" where the sender's home is not known); the program
	// joins its $HOME to it, as Emacs expands "~" with its own.
	Home bool `json:"home,omitempty"`
	// User: the scalar is a link's "~USER/…" as written (Sandbox is
	// set too), which the program expands with that user's home from
	// the passwd database where it runs, or else, for no such user, as
	// a name relative to the document's directory, as Emacs's
	// expand-file-name does (see userAssignment).
	User string `json:"user,omitempty"`
	// rownames are the row names a block's :rownames took off the
	// table (org-babel-get-rownames), kept for resultRownames and the
	// :cache hash.
	rownames []string
	// nameMarks and rownameMarks are the marks (see marks) of the
	// column names and row names bindTable took off the table, for the
	// :cache hash's colname-names and rowname-names.
	nameMarks, rownameMarks []cellMark
	// listName is the first item org-babel-get-colnames took off a flat
	// list (a column of a table with a rule, "tbl[,1]", or any list
	// with :colnames yes) as its column name: Emacs hashes it among the
	// :colname-names as (x . "name"), the list's car, not a list of
	// names.
	listName *Value
	// marks marks the table's cells that are Lisp symbols or strings
	// reading as numbers, row for row (see symcells.go).
	marks [][]cellMark
	// Chars: Emacs printed the value (an Emacs Lisp block's, a value
	// Emacs read, org.ReadLisp), so a surrogate in its strings is a
	// character the Lisp reader made ("\ud83d"), not three raw bytes
	// as in what a program prints (org.Prin1String).
	Chars bool `json:"chars,omitempty"`
	// Unibyte: the scalar is a unibyte string (Emacs printed it with
	// octal escapes alone, "\303\251"), each byte past ASCII a raw
	// byte even where they form UTF-8; %S prints them so again.
	Unibyte bool `json:"unibyte,omitempty"`
}

// withChars is v with Chars set, in its items too.
func (v Value) withChars() Value {
	v.Chars = true
	if v.List != nil {
		v.List = slices.Clone(v.List)
		for i := range v.List {
			v.List[i] = v.List[i].withChars()
		}
	}
	if v.Pair != nil {
		v.Pair = slices.Clone(v.Pair)
		for i := range v.Pair {
			v.Pair[i] = v.Pair[i].withChars()
		}
	}
	return v
}

// holdsChars reports whether v or a value inside it (a list's items, a
// pair's) has Chars set: a value made of one Emacs printed may have
// lost the mark at its top only.
func (v Value) holdsChars() bool {
	if v.Chars {
		return true
	}
	for _, it := range v.List {
		if it.holdsChars() {
			return true
		}
	}
	for _, it := range v.Pair {
		if it.holdsChars() {
			return true
		}
	}
	return false
}

// charsMasked is refs with each surrogate a value holds as a character
// (holdsChars) made U+FFFD, three bytes too, which utf-8-unix encodes,
// and ok when one was: a program rendered of them holds what Emacs
// cannot encode only where another value, or the body, puts it
// (programCodingStop), each value checked as it is.
func charsMasked(refs map[string]Value) (_ map[string]Value, ok bool) {
	var out map[string]Value
	for name, v := range refs {
		if !v.holdsChars() {
			continue
		}
		if out == nil {
			out = maps.Clone(refs)
		}
		out[name] = v.charsMasked(false)
	}
	return out, out != nil
}

// charsMasked is v with its surrogates made U+FFFD where it (under, one
// holding it) holds them as characters (charsMasked of refs).
func (v Value) charsMasked(under bool) Value {
	under = under || v.Chars
	if under {
		v.Scalar = surrogatesMasked(v.Scalar)
		if v.Table != nil {
			rows := make([][]string, len(v.Table))
			for i, r := range v.Table {
				rows[i] = make([]string, len(r))
				for j, c := range r {
					rows[i][j] = surrogatesMasked(c)
				}
			}
			v.Table = rows
		}
	}
	if v.List != nil {
		v.List = slices.Clone(v.List)
		for i := range v.List {
			v.List[i] = v.List[i].charsMasked(under)
		}
	}
	if v.Pair != nil {
		v.Pair = slices.Clone(v.Pair)
		for i := range v.Pair {
			v.Pair[i] = v.Pair[i].charsMasked(under)
		}
	}
	return v
}

// unibyteRaw is refs with each byte past ASCII of the unibyte strings
// its values hold (Value.Unibyte, unibyteCell) made 0xFF, a byte of no
// UTF-8 character, and ok when one was. Such a string's bytes are raw
// bytes once Babel puts it into a program as it is (format's %s, as a
// shell's scalars and list items, Perl's q(...)), which utf-8-unix
// cannot encode, even where they form UTF-8 ("é" encoded): the program
// rendered of these holds a raw byte exactly where Emacs's would.
// Where the string is printed (prin1, a table's princ) its bytes are
// octal escapes either way.
func unibyteRaw(refs map[string]Value) (_ map[string]Value, ok bool) {
	var out map[string]Value
	for name, v := range refs {
		if w, changed := v.unibyteRaw(); changed {
			if out == nil {
				out = maps.Clone(refs)
			}
			out[name] = w
		}
	}
	return out, out != nil
}

// unibyteRaw is v with its unibyte strings' bytes past ASCII 0xFF (see
// unibyteRaw of refs), and whether it held any.
func (v Value) unibyteRaw() (Value, bool) {
	changed := false
	if v.Unibyte {
		v.Scalar, changed = rawHigh(v.Scalar), true
	}
	var rows [][]string
	for i, r := range v.marks {
		for j, m := range r {
			if m != unibyteCell || i >= len(v.Table) || j >= len(v.Table[i]) {
				continue
			}
			if rows == nil {
				rows = make([][]string, len(v.Table))
				for k, row := range v.Table {
					rows[k] = slices.Clone(row)
				}
			}
			rows[i][j] = rawHigh(rows[i][j])
		}
	}
	if rows != nil {
		v.Table, changed = rows, true
	}
	for _, items := range []*[]Value{&v.List, &v.Pair} {
		cloned := false
		for i := range *items {
			if w, ok := (*items)[i].unibyteRaw(); ok {
				if !cloned {
					// Once: the caller's list stays as it is.
					*items, cloned = slices.Clone(*items), true
				}
				(*items)[i], changed = w, true
			}
		}
	}
	return v, changed
}

// rawHigh is s with each byte past ASCII 0xFF.
func rawHigh(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 0x80 {
			b[i] = 0xff
		}
	}
	return string(b)
}

// surrogatesMasked is s with each surrogate (org.IsSurrogate) U+FFFD.
func surrogatesMasked(s string) string {
	if strings.IndexByte(s, 0xed) < 0 {
		return s
	}
	b := []byte(s)
	for i := 0; i+3 <= len(b); i++ {
		if org.IsSurrogate(s[i:]) {
			copy(b[i:], "\uFFFD")
			i += 2
		}
	}
	return string(b)
}

// parseLiteral reads the right-hand side of a :var assignment the way
// org-babel-ref-parse would before resolving references: a number, a
// "string", or a quoted list '(…). ok is false for a reference to a block;
// err is set for Lisp Borges does not evaluate.
func parseLiteral(rhs string) (v Value, ok bool, err error) {
	rhs = strings.TrimSpace(rhs)
	if rhs == "" {
		return Value{Scalar: ""}, true, nil
	}
	if n, isNum := lispNumber(rhs); isNum {
		return Value{Scalar: n, Number: true}, true, nil
	}
	switch rhs[0] {
	case '"':
		s, unibyte, _, err := readStringUnibyte(rhs)
		if err != nil {
			return Value{}, false, err
		}
		return Value{Scalar: s, Unibyte: unibyte}, true, nil
	case '\'':
		if strings.HasPrefix(rhs, "'(") {
			items, err := readList(rhs[1:])
			if err != nil {
				return Value{}, false, err
			}
			return Value{List: items, IsList: true}, true, nil
		}
		return Value{}, false, fmt.Errorf("%s: Borges does not evaluate Lisp", rhs)
	case '(', '`', '[':
		return Value{}, false, fmt.Errorf("%s: Borges does not evaluate Lisp", rhs)
	}
	return Value{}, false, nil
}

// readList reads "(a 1 \"b\")": atoms are numbers, strings or symbols.
func readList(s string) ([]Value, error) {
	if !strings.HasPrefix(s, "(") {
		return nil, fmt.Errorf("%s: not a list", s)
	}
	var out []Value
	i := 1
	for {
		// Every character up to the space is a blank to Emacs's reader.
		for i < len(s) && s[i] <= ' ' {
			i++
		}
		if i >= len(s) {
			return nil, fmt.Errorf("%s: unterminated list", s)
		}
		c := s[i]
		noName := strings.HasPrefix(s[i:], "##") // the symbol of no name, read below
		if noName {
			c = 0
		}
		switch c {
		case ')':
			return out, nil
		case '(':
			return nil, fmt.Errorf("%s: nested lists are not supported", s)
		case ',', '\'', '`', '#', '[', ']', ';':
			// The reader's macros and syntax: ,x is (\, x), ,@x
			// (\,@ x), 'x (quote x), `x (\` x), # a syntax of its
			// own, [ a vector, ; a comment. Emacs reads them (the
			// caller has it evaluate the value, as for nested lists).
			return nil, fmt.Errorf("%s: %q is Lisp syntax Borges does not read", s, s[i])
		case '"':
			str, rest, err := readString(s[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, Value{Scalar: str})
			i = len(s) - len(rest)
		default:
			// A symbol or number ends where the reader ends it: at a
			// blank, a parenthesis, a string, or a character starting
			// a macro (a comma after a number: "1," is 1, then ",").
			j := i
			switch {
			case s[j] == '?' && j+1 < len(s) && s[j+1] != '\\':
				// ?, ?' ?( : a character, whatever it is.
				_, size := utf8.DecodeRuneInString(s[j+1:])
				j += 1 + size
			case noName:
				j += 2
			}
			for j < len(s) && s[j] > ' ' && !strings.ContainsRune("()\"',`#[];", rune(s[j])) {
				if s[j] == '\\' && j+1 < len(s) {
					j++ // a\ b, a\) : the character is the name's
				}
				j++
			}
			if j == i {
				// Never reached (each character ending an atom is a blank
				// or handled above); a reader that stops must not loop.
				return nil, fmt.Errorf("%s: %q is Lisp syntax Borges does not read", s, s[i])
			}
			tok := s[i:j]
			if tok == "." {
				// A dotted list: Emacs reads it.
				return nil, fmt.Errorf("%s: a dotted list is Lisp Borges does not read", s)
			}
			if r, size := utf8.DecodeRuneInString(strings.TrimPrefix(tok, "?")); len(tok) > 1 && tok[0] == '?' &&
				r != '\\' && r != utf8.RuneError && 1+size == len(tok) {
				// ?x: the character x, its code (120), as the reader
				// reads it.
				out = append(out, Value{Scalar: strconv.Itoa(int(r)), Number: true})
				i = j
				continue
			}
			name, escaped := org.ReadSymbol(tok)
			if n, ok := lispNumber(tok); ok && !escaped {
				out = append(out, Value{Scalar: n, Number: true})
			} else if tok == "nil" {
				// nil is the empty list, as the reader reads it:
				// each language's Babel takes it for a list (bash's
				// array item "", Perl's []), as it takes the nil of a
				// value Emacs evaluated (readEncoded).
				out = append(out, Value{IsList: true})
			} else {
				// A symbol, held by its name (## the empty one, see
				// org.PrintSymbolText), printed as %S prints it
				// (Python, Ruby and JavaScript then take it for a
				// name).
				if name == "" {
					name = "##"
				}
				out = append(out, Value{Scalar: name, Symbol: true})
			}
			i = j
		}
	}
}

// readString reads a Lisp string literal at the start of s.
func readString(s string) (string, string, error) {
	str, _, rest, err := readStringUnibyte(s)
	return str, rest, err
}

// readStringUnibyte reads a Lisp string literal at the start of s, with
// org's reader of the Lisp reader's escapes, shared by header values and
// table cells (org.ReadStringUnibyte).
func readStringUnibyte(s string) (str string, unibyte bool, rest string, err error) {
	return org.ReadStringUnibyte(s)
}

// errEscapeNotRead is the error of a string literal holding an escape
// Borges does not read (org.ErrEscapeNotRead).
var errEscapeNotRead = org.ErrEscapeNotRead

// lispNumber reports whether s reads as an Emacs Lisp number, and prints
// it as Emacs does.
func lispNumber(s string) (string, bool) { return org.ReadNumber(s) }

// bindTable is what a block with args receives of a table, as
// org-babel-disassemble-tables leaves it: a table whose second row is its
// only rule has its first row taken as column names (unless :colnames no;
// always with any other :colnames), returned apart; rules are dropped
// unless :hlines yes (Babel's default is no; each language then writes the
// rules it keeps its own way, see assignment). Other values are as they
// are.
func bindTable(v Value, args org.Args) (Value, []string) {
	table, syms := v.Table, v.marks
	if len(syms) != len(table) {
		syms = nil
	}
	if table == nil && v.IsList && isListOfRows(v.List) {
		return bindRows(v, args)
	}
	if colnames, _ := args.Get("colnames"); v.IsList && (hasRule(v.List) || headerGiven(colnames)) {
		return bindRuledList(v, args), nil
	}
	if table == nil {
		return v, nil
	}
	colnames, _ := args.Get("colnames")
	auto := len(table) > 1 && org.IsRule(table[1])
	for _, row := range table[min(2, len(table)):] {
		if org.IsRule(row) {
			auto = false
		}
	}
	var names []string
	var nameMarks, rownameMarks []cellMark
	// Any :colnames but "no" (even "nil": header values are strings)
	// takes the first row, and the rule under it if there is one
	// (org-babel-get-colnames).
	if (headerGiven(colnames) || colnames == "" && auto) && len(table) >= 1 {
		nameMarks = rowSyms(syms, 0)
		names, table, syms = table[0], table[1:], dropRows(syms, 1)
		if len(table) > 0 && org.IsRule(table[0]) {
			table, syms = table[1:], dropRows(syms, 1)
		}
	}
	var rownames []string
	if rn, _ := args.Get("rownames"); headerGiven(rn) {
		// org-babel-get-rownames: rules dropped, each row's first
		// cell taken off.
		rownames = []string{}
		var rest [][]string
		var restSyms [][]cellMark
		for i, row := range table {
			if org.IsRule(row) {
				continue
			}
			rs := rowSyms(syms, i)
			if len(row) == 0 {
				rownames = append(rownames, "")
				rest = append(rest, row)
				restSyms = append(restSyms, rs)
				continue
			}
			rownames = append(rownames, row[0])
			rownameMarks = append(rownameMarks, markIn(rs, 0))
			rest = append(rest, row[1:])
			restSyms = append(restSyms, dropCells(rs, 1))
		}
		table, syms = rest, restSyms
	}
	rows := [][]string{}
	var rowsSyms [][]cellMark
	keep := keepsRules(args)
	for i, row := range table {
		if keep || !org.IsRule(row) {
			rows = append(rows, row)
			rowsSyms = append(rowsSyms, rowSyms(syms, i))
		}
	}
	if syms == nil {
		rowsSyms = nil
	}
	return Value{Table: rows, TextCells: v.TextCells, rownames: rownames, marks: rowsSyms,
		nameMarks: nameMarks, rownameMarks: rownameMarks}, names
}

// QueryStop is the error org-babel-execute-buffer stops with, in batch,
// at a block :eval query (evalQuery): Babel asks whether to run it
// (org-babel-confirm-evaluate, whatever org-confirm-babel-evaluate
// says) and reads the answer from standard input, where there is none.
const QueryStop = "End of file during parsing: Error reading from stdin"

// queryWhy says, in Borges's terms, why a block :eval query stops the
// document: it is shown with QueryStop, Emacs's own words.
const queryWhy = ":eval query: Emacs asks before it runs this block, and Borges cannot ask; the document stops here, as org-babel-execute-buffer does in batch"

// evalQuery reports whether Babel asks before it runs a block
// (org-babel-check-confirm-evaluate, outside export): ":eval query",
// quoted or not; not "query-export", which asks only when exporting,
// nor a symbol or a list, which equal finds unlike the string. A
// block refused (evalRefused) is never asked about.
func evalQuery(args org.Args) bool {
	if _, refused := org.EvalRefused(args); refused {
		return false
	}
	ev, ok := args.Lookup("eval")
	return ok && ev.Value == "query" && !ev.Symbol && !ev.Printed
}

// keepsRules reports whether a block keeps the rules of its :var tables
// (org-babel-disassemble-tables drops them unless :hlines is "yes").
func keepsRules(args org.Args) bool {
	h, _ := args.Get("hlines")
	return h == "yes"
}

// headerGiven reports whether a :colnames or :rownames value asks for
// names: any but none and "no". A header value is a string, so "nil"
// asks too (org-babel-disassemble-tables tests the value, not nil), for
// a table and a flat list alike.
func headerGiven(v string) bool { return v != "" && v != "no" }

func hasRule(items []Value) bool {
	for _, it := range items {
		if it.Rule {
			return true
		}
	}
	return false
}

// bindRuledList is org-babel-disassemble-tables of a flat list holding
// rules (a column of a table with a rule, "tbl[,1]") or given a
// :colnames: a rule second and nowhere after (or any :colnames but no)
// takes the first item off as the column name (Value.listName; nil of
// an empty list), and rules are dropped unless :hlines yes.
func bindRuledList(v Value, args org.Args) Value {
	items := v.List
	colnames, _ := args.Get("colnames")
	auto := len(items) > 1 && items[1].Rule && !hasRule(items[2:])
	var name *Value
	if headerGiven(colnames) || colnames == "" && auto {
		name = &Value{IsList: true}
		if len(items) >= 1 {
			name = &items[0]
		}
		if len(items) > 1 && items[1].Rule {
			items = items[2:]
		} else if len(items) >= 1 {
			items = items[1:]
		}
	}
	out := []Value{}
	keep := keepsRules(args)
	for _, it := range items {
		if keep || !it.Rule {
			out = append(out, it)
		}
	}
	return Value{IsList: true, List: out, listName: name}
}

// bound is a :var binding with the value the block receives.
type bound struct {
	name     string
	value    Value
	colnames []string
}

// bind resolves a task's :var bindings: literals as they are, references
// from refs (the results of the blocks named), tables as bindTable makes
// them for this block.
func (t *Task) bind(blk *org.Block, refs map[string]Value) ([]bound, error) {
	out := make([]bound, 0, len(t.values))
	for _, bv := range t.values {
		if bv.readBack != "" && bv.next != "" && NextNeeded(NextWait{Writer: bv.readBack, Data: bv.data, Next: bv.next}, refs) {
			// The next element of that name, run.
			if bv.nextCycle {
				return nil, &ReferenceError{Line: t.Line, Arg: ":var " + bv.name + "=" + bv.rhs, Emacs: DepthExceeded,
					Why: fmt.Sprintf("block %s wrote nothing under #+name: %s, and the next element so named, the block Babel runs for the reference, refers back to this block", bv.readBack, bv.data)}
			}
			rv, ok := refs[bv.next]
			if !ok {
				return nil, fmt.Errorf("block %s: result of %s is not available", t.Block, bv.next)
			}
			v, names := bindTable(indexValue(rv, bv.index), blk.Args)
			out = append(out, bound{bv.name, v, names})
			continue
		}
		if bv.readBack != "" && bv.nextResults && NextNeeded(NextWait{Writer: bv.readBack, Data: bv.data}, refs) {
			b, err := t.bindNextResults(blk, bv, refs)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
			continue
		}
		if nf, ok := refs[NotReadBackKey(bv.readBack)]; ok && bv.readBack != "" {
			return nil, &ReferenceError{Line: t.Line, Arg: ":var " + bv.name + "=" + bv.rhs, Emacs: nf.Scalar,
				Why: fmt.Sprintf("the results block %s wrote under #+name: %s are no data Babel reads (nothing, a drawer)", bv.readBack, bv.data)}
		}
		if rv, ok := refs[ReadBackKey(bv.readBack)]; ok && bv.readBack != "" {
			v, names := bindTable(indexValue(rv, bv.index), blk.Args)
			out = append(out, bound{bv.name, v, names})
			continue
		}
		if bv.ref == "" {
			out = append(out, bound{bv.name, bv.value, bv.colnames})
			continue
		}
		rv, ok := refs[bv.ref]
		if !ok {
			return nil, fmt.Errorf("block %s: result of %s is not available", t.Block, bv.ref)
		}
		v, names := bindTable(indexValue(rv, bv.index), blk.Args)
		out = append(out, bound{bv.name, v, names})
	}
	if rownames, _ := blk.Args.Get("rownames"); headerGiven(rownames) {
		for i, b := range out {
			if item, ok := listRowname(b.value); ok {
				return nil, &ReferenceError{Line: t.Line, Arg: ":var " + t.values[i].name + "=" + t.values[i].rhs + " :rownames " + rownames,
					Emacs: "Wrong type argument: listp, " + printValue(item),
					Why:   "org-babel-get-rownames takes the first element of each item of a flat list as its row name, and this item is no list"}
			}
		}
	}
	return out, nil
}

// listRowname is the first item, rules left out, of a flat list v
// (a column of a table, "tbl[,1]") that is no list: org-babel-get-rownames
// pops the car of every item, which stops Emacs at the first that is
// none (checked with Emacs 28.2: "Wrong type argument: listp, \"b\"",
// and for '((a) b), "listp, b"; nil is a list).
func listRowname(v Value) (Value, bool) {
	if !v.IsList || v.Table != nil {
		return Value{}, false
	}
	for _, it := range v.List {
		if !it.Rule && !it.IsList && it.Table == nil {
			return it, true
		}
	}
	return Value{}, false
}

// bindNextResults is bv bound to the next element of its name, the
// results of another block (boundValue.nextOf), its writer having
// written nothing: those results read back once that block rewrote them
// before t, else as the document has them.
func (t *Task) bindNextResults(blk *org.Block, bv boundValue, refs map[string]Value) (bound, error) {
	arg := ":var " + bv.name + "=" + bv.rhs
	for _, why := range slices.Concat(bv.nextAcross, []string{bv.nextWhy}) {
		if why != "" {
			return bound{}, fmt.Errorf("block %s: line %d, %s: block %s wrote nothing under #+name: %s, so Babel reads the next element so named, and %s", t.Block, t.Line, arg, bv.readBack, bv.data, why)
		}
	}
	if rv, ok := refs[ReadBackKey(bv.nextOf)]; ok && bv.nextOf != "" {
		v, names := bindTable(indexValue(rv, bv.index), blk.Args)
		return bound{bv.name, v, names}, nil
	}
	if nf, ok := refs[NotReadBackKey(bv.nextOf)]; ok && bv.nextOf != "" {
		if nf.Scalar == org.NotFollowed {
			return bound{}, fmt.Errorf("block %s: blocks %s and %s both wrote nothing under #+name: %s, and the element so named after them is a block, a call or a block's results: Borges does not follow the reference there", t.Block, bv.readBack, bv.nextOf, bv.data)
		}
		return bound{}, &ReferenceError{Line: t.Line, Arg: arg, Emacs: nf.Scalar,
			Why: fmt.Sprintf("block %s wrote nothing under #+name: %s, and the results block %s wrote under the next #+name: %s are no data Babel reads (a drawer), or nothing with no data so named after them", bv.readBack, bv.data, bv.nextOf, bv.data)}
	}
	if bv.nextMissing != "" {
		return bound{}, &ReferenceError{Line: t.Line, Arg: arg, Emacs: bv.nextMissing,
			Why: fmt.Sprintf("block %s wrote nothing under #+name: %s, and the next element so named is no data Babel reads", bv.readBack, bv.data)}
	}
	return bound{bv.name, bv.nextData, bv.nextColnames}, nil
}

// dataValue is the value a :var receives from a named table, list or
// example, as org-babel-process-params leaves it (see bindTable).
func dataValue(d org.Data, args org.Args) (v Value, colnames []string) {
	if d.List != nil || d.Kind == org.ValueTable {
		return bindTable(rawDataValue(d), args)
	}
	return rawDataValue(d), nil
}

// indexedDataValue is dataValue of the part of a named table, list or
// example that index selects (org-babel-ref-index-list before
// org-babel-disassemble-tables).
func indexedDataValue(d org.Data, index string, args org.Args) (Value, []string) {
	if index == "" {
		return dataValue(d, args)
	}
	return bindTable(indexValue(rawDataValue(d), index), args)
}

// rawDataValue is a named table, list or example as
// org-babel-read-element reads it: rules kept, no column names taken, a
// quoted cell that reads as a number a string; a plain list, in Org 9.5,
// a list of one-element lists of text.
func rawDataValue(d org.Data) Value {
	switch {
	case d.List != nil:
		return plainListValue(d.List)
	case d.Kind == org.ValueTable:
		return withCellMarks(Value{Table: d.Table}, d.Quoted, textCell)
	case d.Kind == org.ValueFileLink || d.Kind == org.ValueHomeLink || d.Kind == org.ValueUserLink:
		return linkValue(d.Kind, d.Scalar)
	}
	return scalarText(d.Scalar)
}

// linkValue is a link's path relative to the document's directory
// (org.ValueFileLink) or to the home directory (org.ValueHomeLink), which
// the program completes when it runs.
func linkValue(kind int, rel string) Value {
	if kind == org.ValueUserLink {
		// "~user/…": the user's home where the program runs, or for
		// no such user the name in the document's directory.
		user, _, _ := org.UserLink(rel)
		return Value{Scalar: rel, Sandbox: true, User: user}
	}
	return Value{Scalar: rel, Sandbox: kind == org.ValueFileLink, Home: kind == org.ValueHomeLink}
}

// plainListValue is a plain list as org-list-to-lisp gives it, which Org
// 9.5's org-babel-read-list leaves as it is: each item a list of its
// text, then its sublists, as (unordered ITEM…), (ordered ITEM…) or
// (descriptive ITEM…), each followed by the item's text after it, if
// any. A list of no sublists is a table of one column.
func plainListValue(list []org.ListItem) Value {
	nested := false
	for _, it := range list {
		nested = nested || it.Parts != nil
	}
	if !nested {
		rows := make([][]string, len(list))
		for i, it := range list {
			rows[i] = []string{it.Text}
		}
		return Value{Table: rows, TextCells: true}
	}
	return Value{IsList: true, List: listItems(list)}
}

func listItems(list []org.ListItem) []Value {
	out := make([]Value, len(list))
	for i, it := range list {
		item := []Value{{Scalar: it.Text}}
		for _, part := range it.Parts {
			if part.Kind == "" {
				item = append(item, Value{Scalar: part.Text})
				continue
			}
			sub := append([]Value{{Scalar: part.Kind, Symbol: true}}, listItems(part.Items)...)
			item = append(item, Value{IsList: true, List: sub})
		}
		out[i] = Value{IsList: true, List: item}
	}
	return out
}

// scalarValue is a value Borges read and printed as Babel reads it: a
// number when it reads as one (org-babel-read). An infinity or NaN as
// Emacs prints it is a number read so (see org.NonFinite).
func scalarValue(s string) Value {
	v := scalarText(s)
	v.Number = v.Number || org.NonFinite(s)
	return v
}

// scalarText is text of the document as org-babel-read reads it: a
// number when it reads as one. An infinity as Emacs prints it
// (1.0e+INF), whose letters org-babel-read takes for no number, stays a
// string.
func scalarText(s string) Value {
	_, num := lispNumber(s)
	return Value{Scalar: s, Number: num}
}

func scalarValues(ss []string) []Value {
	out := make([]Value, len(ss))
	for i, s := range ss {
		out[i] = scalarValue(s)
	}
	return out
}

// isListOfRows says whether a list's items are all lists (rows of a table
// whose cells hold lists: see rowsWithLists) or rules, one a list at
// least.
func isListOfRows(items []Value) bool {
	rows := false
	for _, it := range items {
		if !it.IsList && !it.Rule {
			return false
		}
		rows = rows || it.IsList
	}
	return rows
}

// bindRows is bindTable of a list of rows some of whose cells are lists,
// as org-babel-disassemble-tables has any list: :colnames (any but no, or
// Babel's automatic column names: a rule second and nowhere after) takes
// the first row off, and the rule under it; :rownames each row's first
// cell (org-babel-get-colnames, org-babel-get-rownames); rules are
// dropped unless :hlines yes; the cells, lists included, stay as they
// are.
func bindRows(v Value, args org.Args) (Value, []string) {
	rows := v.List
	var names []string
	colnames, _ := args.Get("colnames")
	auto := len(rows) > 1 && rows[1].Rule && !hasRule(rows[2:])
	if headerGiven(colnames) || colnames == "" && auto {
		for _, c := range rows[0].List {
			names = append(names, princValue(c))
		}
		rows = rows[1:]
		if len(rows) > 0 && rows[0].Rule {
			rows = rows[1:]
		}
	}
	var rownames []string
	if rn, _ := args.Get("rownames"); headerGiven(rn) {
		// org-babel-get-rownames drops the rules first.
		rownames = []string{}
		rest := make([]Value, 0, len(rows))
		for _, row := range rows {
			switch {
			case row.Rule:
				continue
			case len(row.List) > 0:
				rownames = append(rownames, princValue(row.List[0]))
				row = Value{IsList: true, List: row.List[1:]}
			}
			rest = append(rest, row)
		}
		rows = rest
	}
	if !keepsRules(args) {
		rows = slices.DeleteFunc(slices.Clone(rows), func(r Value) bool { return r.Rule })
	}
	return Value{IsList: true, List: rows, rownames: rownames}, names
}
