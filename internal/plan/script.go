package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// Render builds the program a task runs, as Babel expands a block
// (org-babel-expand-body:generic): :prologue, the variable assignments, the
// body with noweb references expanded and coderefs removed, :epilogue; for a
// shell block whose result is its exit status (":results value"), the
// "echo $?" ob-shell appends; with :shebang, the #! line first. refs gives
// the result values of the blocks the task depends on, by block name. It
// fails when a dependency's result is missing.
func Render(doc *org.Document, t *Task, refs map[string]Value) (string, error) {
	return RenderIn(doc, t, refs, nil)
}

// RenderIn is Render for a task of the document's Emacs that puts
// results in its Org buffer first (Task.BufferResults): inserted are
// those results, by task name, as write-back takes them.
func RenderIn(doc *org.Document, t *Task, refs map[string]Value, inserted map[string]org.Result) (string, error) {
	doc = t.docIn(doc)
	if t.lispVar != nil {
		return lispVarProgram(doc, t, inserted)
	}
	if t.ReadsOutput {
		return emacsReadProgram(doc, t, refs, inserted)
	}
	if elispLangs[t.Lang] && t.shebang == "" {
		blk, err := t.blockIn(doc)
		if err != nil {
			return "", err
		}
		return elispProgram(doc, t, blk, refs, inserted)
	}
	blk, body, err := expandedBody(doc, t, refs, false)
	if err != nil {
		return "", err
	}
	// org-babel-sha1-hash expands the block before it runs.
	if err := t.hashBindingStop(blk, refs); err != nil {
		return "", err
	}
	script, err := t.expandAround(blk, body, refs, t.runVars())
	if err != nil {
		return "", err
	}
	if t.cmdlineStop != "" {
		// Known where the plan is (the static plan's stop, markStopped,
		// holds the block): here for a block planned from the Org
		// buffer, its :cmdline a default an Emacs Lisp block set. After
		// the variables are bound (expandAround): ob-shell binds them
		// before it takes a string of the :cmdline, and stops at a
		// binding's error first (TestBindingStopBeforeCmdlineStop).
		return "", &ReferenceError{Line: t.Line, Arg: CmdlineArg, Emacs: t.cmdlineStop,
			Why: "ob-shell's (concat \" \" cmdline) takes no string of this :cmdline: Emacs stops the document here"}
	}
	if t.Session != nil {
		if err := sessionCodingStop(t, blk, body); err != nil {
			return "", err
		}
		if !t.Session.ShellForms {
			return t.sessionBody(blk, script), nil
		}
		bashScript, bashStop, err := t.bashForms(doc, blk, body, script, refs)
		if err != nil {
			return "", err
		}
		// The session's shell-file-name chooses the forms where it
		// runs, as a plain block's program does; the request says the
		// script holds two (Session.ShellForms), so no body is taken
		// for them.
		return session.ShellFormsBody(t.sessionBody(blk, script), t.sessionBody(blk, bashScript), bashStop), nil
	}
	masked, chars := charsMasked(refs)
	bad := org.Unencodable(script)
	if bad && chars && strings.IndexByte(script, 0xed) >= 0 {
		// Each value's surrogates as it holds them: the program
		// rendered of values whose characters are no surrogates (a
		// program encodable as it is stays so, U+FFFD for each).
		_, checked, err := expand(doc, t, masked, t.runVars(), false)
		if err != nil {
			return "", err
		}
		bad = org.Unencodable(checked)
	}
	base := refs
	if chars {
		base = masked
	}
	raw, unibyte := unibyteRaw(base)
	if !bad && unibyte {
		// A unibyte string's bytes, raw where the language puts it
		// in as it is (unibyteRaw).
		_, checked, err := expand(doc, t, raw, t.runVars(), false)
		if err != nil {
			return "", err
		}
		bad = org.Unencodable(checked)
	}
	if err := programCodingStop(t, bad); err != nil {
		return "", err
	}
	bashScript, bashStop, err := t.bashForms(doc, blk, body, script, refs)
	if err != nil {
		return "", err
	}
	if t.throughShell() {
		in, setup, err := t.stdinText(refs)
		if err != nil {
			return "", err
		}
		bad := org.Unencodable(in) || org.Unencodable(setup)
		if bad && chars {
			checkedIn, checkedSetup, err := t.stdinText(masked)
			if err != nil {
				return "", err
			}
			bad = org.Unencodable(checkedIn) || org.Unencodable(checkedSetup)
		}
		if !bad && unibyte {
			checkedIn, checkedSetup, err := t.stdinText(raw)
			if err != nil {
				return "", err
			}
			bad = org.Unencodable(checkedIn) || org.Unencodable(checkedSetup)
		}
		if bad {
			// ob-shell writes the standard input to a temporary
			// file (org-babel-sh-evaluate).
			return "", &ReferenceError{Line: t.Line, Arg: ":stdin", Emacs: CodingStopError,
				Why: "the standard input holds a raw byte (a byte of no UTF-8 character), which ob-shell writes to a temporary file: Emacs asks for a coding system, reading standard input, where there is none, before the block runs"}
		}
		if org.ValueIsExitStatus(blk.Args) {
			script += "\necho $?"
			bashScript += "\necho $?"
		}
		return t.shellPrelude() + t.shellCommandScript(blk, script, bashScript, bashStop, in, setup), nil
	}
	if t.stdinShell() {
		shell := t.Lang
		if t.Lang == "shell" {
			shell = t.shellWord()
		}
		return t.shellPrelude() + shellFileScript(shell, t.wrap(blk, script), t.wrap(blk, bashScript), bashStop), nil
	}
	if bashStop != "" {
		// A :shebang "shell" block, run as its file: where its
		// shell is bash, Emacs stops binding its values.
		return shebangBindStopScript(t.shellPrelude(), t.shellWord(), t.wrap(blk, script), bashStop), nil
	}
	return t.wrap(blk, script), nil
}

// expand is org-babel-expand-body:generic of a task's block: :prologue,
// the variable assignments, the body with noweb references expanded,
// :epilogue, joined by newlines. vars is the form of shell variables
// (varForm). hashed says the body is the one
// org-babel-sha1-hash expands, its coderef labels kept; else it is the one
// Babel runs, without them.
func expand(doc *org.Document, t *Task, refs map[string]Value, vars varForm, hashed bool) (*org.Block, string, error) {
	blk, body, err := expandedBody(doc, t, refs, hashed)
	if err != nil {
		return nil, "", err
	}
	script, err := t.expandAround(blk, body, refs, vars)
	if err != nil {
		return nil, "", err
	}
	return blk, script, nil
}

// expandedBody is the task's block and its body with its noweb
// references expanded (blockBody), as expand takes them.
func expandedBody(doc *org.Document, t *Task, refs map[string]Value, hashed bool) (*org.Block, string, error) {
	blk, err := t.blockIn(doc)
	if err != nil {
		return nil, "", err
	}
	body, err := blockBody(doc, t, blk, refs, hashed)
	if err != nil {
		return nil, "", err
	}
	return blk, body, nil
}

// expandAround is expand of block blk whose expanded body is body: what
// org-babel-expand-body:generic puts around it (:prologue, the variable
// assignments, :epilogue).
func (t *Task) expandAround(blk *org.Block, body string, refs map[string]Value, vars varForm) (string, error) {
	var parts []string
	if v, ok := blk.Args.Get("prologue"); ok {
		parts = append(parts, v)
	}
	bound, err := t.bind(blk, refs)
	if err != nil {
		return "", err
	}
	if err := checkConses(t, bound); err != nil {
		return "", err
	}
	if err := bashAssocRuleStop(t, bound, vars); err != nil {
		return "", err
	}
	var form shellForm
	if keepsRules(blk.Args) {
		// ob-shell writes kept rules as :hline-string, else "hline".
		form.hline = "hline"
		if s, ok := blk.Args.Get("hline-string"); ok {
			form.hline = s
		}
	}
	// ob-shell's cells are apart by :separator, else a tab; a quoted
	// "" is a value (cells joined with nothing), no value is nil.
	if arg, ok := blk.Args.Lookup("separator"); ok && (arg.Value != "" || arg.String) {
		form.sep, form.sepGiven = arg.Value, true
	}
	for _, bv := range bound {
		parts = append(parts, assignment(t.Lang, bv.name, bv.value, vars != genericVars, form))
	}
	parts = append(parts, body)
	if v, ok := blk.Args.Get("epilogue"); ok {
		parts = append(parts, v)
	}
	return strings.Join(parts, "\n"), nil
}

// blockBody is a task's block's body with its noweb references expanded:
// hashed, as org-babel-sha1-hash has it (coderef labels kept), else as
// Babel runs it (org-babel--expand-body: labels removed).
func blockBody(doc *org.Document, t *Task, blk *org.Block, refs map[string]Value, hashed bool) (string, error) {
	noweb, err := t.nowebText(refs)
	if err != nil {
		return "", err
	}
	if hashed {
		return doc.NowebBody(blk, noweb)
	}
	return doc.ExpandedBody(blk, noweb)
}

// blockIn finds the task's block (or call) in a parse of its document.
// Tasks keep no pointer into the document, so that a server holding many
// tasks need not hold every parsed document: the block is found again by
// its index in the (re-)parsed text.
func (t *Task) blockIn(doc *org.Document) (*org.Block, error) {
	if t.ReadsOutput && t.owner != nil {
		return t.owner.blockIn(doc) // the block whose output it reads
	}
	if t.called != nil {
		return doc.CalledWith(t.called.name, t.called.header, t.called.args)
	}
	blk := doc.BlockAt(t.Index)
	if blk == nil || blk.Line != t.Line {
		return nil, fmt.Errorf("task %s does not match the document", t.Block)
	}
	return blk, nil
}

// wrap is what a language's Babel puts around the expanded body to run
// it: the value wrappers (ob-python, ob-ruby, ob-perl, ob-js), ob-shell's
// "echo $?" for :results value, the :shebang line.
func (t *Task) wrap(blk *org.Block, script string) string {
	switch {
	case t.ValueFile && t.Reader == org.ReadPerl:
		script = fmt.Sprintf(perlWrapper, script)
	case t.ValueFile && t.Reader == org.ReadRuby:
		wrapper := rubyWrapper
		if r, _ := blk.Args.Get("results"); strings.Contains(" "+r+" ", " pp ") {
			wrapper = rubyPPWrapper
		}
		script = fmt.Sprintf(wrapper, script)
	case t.ValueFile:
		// ob-python's value mode: the body becomes main(), whose value
		// is the result (written where BORGES_VALUE_FILE says).
		if v, ok := blk.Args.Get("return"); ok && v != "" {
			script += "\nreturn " + v
		}
		wrapper := pythonWrapper
		if r, _ := blk.Args.Get("results"); strings.Contains(" "+r+" ", " pp ") {
			wrapper = pythonPPWrapper
		}
		script = fmt.Sprintf(wrapper, shiftRight(script))
	}
	if t.Reader == org.ReadJS && valueMode(blk.Args) {
		// Output read as a value (:results output table) runs the
		// body as it is: ob-js wraps it in value mode only.
		script = fmt.Sprintf(jsWrapper, script)
	}
	if pre, ok := blk.Args.Lookup("preamble"); ok && pythonLangs[t.Lang] && (pre.Value != "" || pre.String) {
		// ob-python's :preamble goes before what it runs, outside the
		// value wrapper (sessions take none: not here).
		script = pre.Value + "\n" + script
	}
	if shellNames[t.Lang] && org.ValueIsExitStatus(blk.Args) {
		script += "\necho $?"
	}
	if t.shebang != "" {
		pad := "\n"
		if v, _ := blk.Args.Get("padline"); v == "no" {
			pad = ""
		}
		script = t.shebang + "\n" + pad + script
	}
	return script
}

// Shebang is the task's :shebang line, or "".
func (t *Task) Shebang() string { return t.shebang }

// ResultValue is the Babel value of a finished block's output (for a
// Python block in value mode, of its value), which a block depending on it
// through :var receives.
func ResultValue(t *Task, output string) Value {
	if t.PostNil {
		// Its :post's value (org-babel-ref-resolve's "nil").
		return Value{Scalar: "nil"}
	}
	v := resultValue(t, output)
	if !org.HoldsSurrogate(output) {
		// No surrogate (none but of prin1's octal escapes, raw
		// bytes): Chars changes nothing.
		return v
	}
	if t.lispVar != nil || t.valueForReference() || t.Reader == org.ReadLisp || fileChars(t, output) {
		// Emacs printed the value, or read it as its own form: a
		// surrogate in it is a character.
		v = v.withChars()
	}
	return v
}

func resultValue(t *Task, output string) Value {
	if t.lispVar == nil && slices.Contains(strings.Fields(t.Results), "none") {
		// org-babel-result-cond: nil under :results none, whatever
		// the block printed, which org-babel-ref-resolve gives as
		// its name.
		return Value{Scalar: "nil"}
	}
	if t.lispVar != nil || t.valueForReference() {
		return readLispVar(output)
	}
	if s, ok := org.LispString(output); ok && t.ReadsOutput {
		// A string the block's output was read into stays a string,
		// even one that reads as a number.
		return Value{Scalar: s}
	}
	if emptyVector(t, output) {
		// Held as a vector, which every language's variable
		// conversion prints as %S does.
		return Value{Scalar: "[]", Symbol: true, Printed: true}
	}
	args := org.Args{{Key: "results", Value: t.Results}}
	m := t.Reader.ReadMarked(output, args)
	if t.Reader == org.ReadLisp {
		// Babel hands an Emacs Lisp block's value on as it is: a list
		// of atoms stays a list.
		if items, ok := org.LispFlatList(output); ok {
			return Value{IsList: true, List: markUnibyte(markSymbols(scalarValues(items), flatIndexes(m)), m)}
		}
	}
	if m.Flat && len(m.Table) == 1 {
		// Bare words Babel read as symbols stay symbols: the
		// variable conversions write them bare. Lists among the
		// items stay lists.
		items := markUnibyte(markSymbols(scalarValues(m.Table[0]), flatIndexes(m)), m)
		// Quoted strings that read as numbers ("007") stay strings.
		for _, c := range m.Strings {
			if i := c[1]; i < len(items) {
				items[i] = Value{Scalar: m.Table[0][i]}
			}
		}
		for c, it := range m.Nested {
			if i := c[1]; i < len(items) {
				items[i] = itemValue(it)
			}
		}
		return Value{IsList: true, List: items}
	}
	if m.Kind == org.ValueString && t.Reader != org.ReadLisp {
		// Text the language's function read: 1.0e+INF printed by the
		// block itself has letters, so it stays a string; 1e999 is
		// the number, printed so.
		v := scalarText(m.Scalar)
		if org.ResultCondScalar(args) {
			// org-babel-result-cond hands the text on unread: a
			// string, even one that reads as a number.
			v.Number = false
		}
		v.Number = v.Number || m.Number
		return v
	}
	// So do those inside the rows of a list of lists.
	v := withSymbolCells(valueOf(org.Data{Kind: m.Kind, Scalar: m.Scalar, Table: m.Table}), m.Symbols)
	if m.Kind == org.ValueString && len(m.Unibyte) > 0 {
		v.Unibyte = true // an Emacs Lisp block's unibyte string
	}
	v = withCellMarks(v, m.Strings, textCell)
	v = withCellMarks(v, m.Unibyte, unibyteCell)
	if len(m.Nested) > 0 && len(v.Table) == len(m.Table) {
		return rowsWithLists(v, m.Nested)
	}
	return v
}

// markUnibyte marks the items of a flat list m that are unibyte strings
// of an Emacs Lisp value (m.Unibyte, in row 0) Unibyte.
func markUnibyte(items []Value, m org.Marked) []Value {
	for _, c := range m.Unibyte {
		if i := c[1]; c[0] == 0 && i < len(items) {
			items[i].Unibyte = true
		}
	}
	return items
}

// flatIndexes are the items of a flat list m Babel reads as symbols, by
// index.
func flatIndexes(m org.Marked) []int {
	if !m.Flat {
		return nil
	}
	out := make([]int, len(m.Symbols))
	for k, c := range m.Symbols {
		out[k] = c[1]
	}
	return out
}

// rowsWithLists is a table some of whose cells are lists (nested, by row
// and column) as the list of lists Babel holds: no table holds a list in
// a cell, and the variable conversions write those as lists.
func rowsWithLists(v Value, nested map[[2]int]org.Item) Value {
	n := toLisp(v)
	rows := make([]Value, len(n.list))
	for i, row := range n.list {
		if row.rule != nil {
			rows[i] = Value{Scalar: "hline", Rule: true}
			continue
		}
		cells := make([]Value, len(row.list))
		for j, c := range row.list {
			if it, ok := nested[[2]int{i, j}]; ok {
				cells[j] = itemValue(it)
				continue
			}
			cells[j] = fromLisp(c)
		}
		rows[i] = Value{IsList: true, List: cells}
	}
	return Value{IsList: true, List: rows}
}

// ResultValueIn is ResultValue with the column names Babel puts back
// (resultColnames): what the blocks referring to the task receive, since
// Babel's language functions reassemble the table before returning it.
// refs are the values of the blocks the task itself refers to.
func ResultValueIn(doc *org.Document, t *Task, output string, refs map[string]Value) Value {
	doc = t.docIn(doc)
	if t.PostNil {
		return ResultValue(t, output)
	}
	if t.File != "" && !t.PostOfFile {
		// :results file with a :file: org-babel-execute-src-block's
		// value is the :file as the header arguments give it (after
		// :output-dir and :file-ext), whatever the block printed.
		if blk, err := t.blockIn(doc); err == nil {
			if f, ok := blk.Args.Get("file"); ok && f != "" {
				return Value{Scalar: f}
			}
		}
	}
	v := ResultValue(t, output)
	if oneCell(t, output, v) {
		return v
	}
	rn, rnUnibyte := resultRownames(doc, t, refs)
	names, namesUnibyte := resultColnames(doc, t, refs)
	if v.Table == nil && v.IsList && isListOfRows(v.List) {
		return rowsNamed(v, rn, names, rnUnibyte, namesUnibyte)
	}
	if len(rn) > 0 && len(rn) == len(v.Table) {
		rows := make([][]string, len(v.Table))
		var syms [][]cellMark
		if v.marks != nil || rnUnibyte != nil {
			syms = make([][]cellMark, len(v.Table))
		}
		i := 0
		for j, r := range v.Table {
			if org.IsRule(r) {
				rows[j] = r
				continue
			}
			rows[j] = append([]string{rn[i]}, r...)
			rs := rowSyms(v.marks, j)
			if first := nameMark(rnUnibyte, i); syms != nil && (rs != nil || first != plainCell) {
				syms[j] = append([]cellMark{first}, rs...)
			}
			i++
		}
		v.Table, v.marks = rows, syms
	}
	if len(v.Table) == 0 || org.IsRule(v.Table[0]) {
		return v
	}
	if len(names) == 0 || len(names) != len(v.Table[0]) {
		return v
	}
	v.Table = append([][]string{names, org.RuleRow()}, v.Table...)
	if v.marks != nil || namesUnibyte != nil {
		head := make([]cellMark, len(names))
		for j := range head {
			head[j] = nameMark(namesUnibyte, j)
		}
		v.marks = append([][]cellMark{head, nil}, padRows(v.marks, len(v.Table)-2)...)
	}
	return v
}

// nameMark is the mark of name i of names put back whose unibyte
// strings are at the indexes unibyte.
func nameMark(unibyte []int, i int) cellMark {
	if slices.Contains(unibyte, i) {
		return unibyteCell
	}
	return plainCell
}

// padRows is marks, rows of a table's cell marks, as long as n rows.
func padRows(marks [][]cellMark, n int) [][]cellMark {
	if len(marks) >= n {
		return marks
	}
	return append(slices.Clone(marks), make([][]cellMark, n-len(marks))...)
}

// oneCell reports whether v, a block's value read from output, is the
// table of one cell org-babel-execute-src-block makes of a value that is
// no list (see org.Marked.OneCell), on which Babel puts back no names.
func oneCell(t *Task, output string, v Value) bool {
	if len(v.Table) != 1 || len(v.Table[0]) != 1 || t.lispVar != nil || t.valueForReference() {
		return false
	}
	return t.Reader.ReadMarked(output, org.Args{{Key: "results", Value: t.Results}}).OneCell
}

// rowsNamed is a list of rows (a table some of whose cells are lists,
// see rowsWithLists) with the row names rn and column names names put
// back as org-babel-reassemble-table puts them: a name before each row
// but the rules when there are as many names as rows (its rules
// counted), the names and a rule before the first row when that is no
// rule and has as many cells.
func rowsNamed(v Value, rn, names []string, rnUnibyte, namesUnibyte []int) Value {
	rows := v.List
	if len(rn) > 0 && len(rn) == len(rows) {
		named := make([]Value, len(rows))
		i := 0
		for j, r := range rows {
			if r.Rule {
				named[j] = r
				continue
			}
			named[j] = Value{IsList: true, List: append([]Value{nameValue(rn[i], rnUnibyte, i)}, r.List...)}
			i++
		}
		rows = named
	}
	if len(rows) > 0 && !rows[0].Rule && len(names) > 0 && len(names) == len(rows[0].List) {
		head := make([]Value, len(names))
		for j, n := range names {
			head[j] = nameValue(n, namesUnibyte, j)
		}
		rows = append([]Value{{IsList: true, List: head}, {Scalar: "hline", Rule: true}}, rows...)
	}
	return Value{IsList: true, List: rows}
}

// nameValue is name i, n, of names put back whose unibyte strings are at
// the indexes unibyte.
func nameValue(n string, unibyte []int, i int) Value {
	v := scalarValue(n)
	v.Unibyte = nameMark(unibyte, i) == unibyteCell
	return v
}

// PostThis is what a block's :post receives as *this*, the block having
// printed output: its result (as ResultValueIn), or, for a block whose
// results are a file (:results file with a :file), the link to the file,
// as org-babel-execute-src-block binds it.
func PostThis(doc *org.Document, t *Task, output string, refs map[string]Value) Value {
	doc = t.docIn(doc)
	if t.File != "" && !t.PostNil {
		if blk, err := t.blockIn(doc); err == nil {
			if link, ok := doc.FileLink(blk); ok {
				return Value{Scalar: link}
			}
		}
	}
	v := ResultValueIn(doc, t, output, refs)
	if resultIsNil(t, output, v) {
		// *this* is bound to the value itself, not resolved as a
		// reference (which gives a symbol's name): nil stays nil, so
		// the :post's call is hashed, and its block run, with nil.
		return Value{IsList: true}
	}
	return v
}

// emptyVector reports whether t's result, output, is what Emacs holds as
// an empty vector: Python's or Ruby's value printed "[]", which
// org-babel-script-escape leaves to org-babel-read (it escapes only a
// text longer than two characters), and that evaluates it.
func emptyVector(t *Task, output string) bool {
	if t.Reader != org.ReadPython && t.Reader != org.ReadRuby {
		return false
	}
	if org.ResultCondScalar(org.Args{{Key: "results", Value: t.Results}}) {
		return false
	}
	return strings.TrimSpace(output) == "[]"
}

// resultIsNil reports whether v, t's result read from output, is Lisp's
// nil as org-babel-execute-src-block holds it (ResultValue gives such a
// value the text "nil", the name org-babel-ref-resolve gives it): a
// value read as nil or as no value
// (a shell's empty output read as a table), where the text "nil" read
// as a string stays a string.
func resultIsNil(t *Task, output string, v Value) bool {
	if v.IsList || v.Table != nil || v.Symbol || v.Number || v.Scalar != "nil" || t.lispVar != nil || t.valueForReference() {
		return false
	}
	if _, ok := org.LispString(output); ok && t.ReadsOutput {
		return false
	}
	m := t.Reader.ReadMarked(output, org.Args{{Key: "results", Value: t.Results}})
	return !m.Flat && (m.Kind == org.ValueNil || m.Kind == org.ValueNone)
}

// FreshCachedValue is what the dependents of a :cache yes block receive
// in the run that computes it: its results as write-back puts them in
// the document, read back (org-babel-read-result), since Babel resolves
// their reference by calling the block again and finds those results
// current. ok is false when the block is not cached or its results are
// not read back; ResultValue then stands.
func FreshCachedValue(doc *org.Document, t *Task, output string, refs map[string]Value) (Value, bool) {
	if !t.Cache {
		return Value{}, false
	}
	got, ok := readBack(doc, t, output, refs)
	if !ok {
		return Value{}, false
	}
	return readBackValue(got), true
}

// readBack is the results write-back puts under t's block for output,
// read back. Those of the last task of a :post chain are written under
// the block whose :post it is (its owner), not the block it calls.
func readBack(doc *org.Document, t *Task, output string, refs map[string]Value) (org.Data, bool) {
	doc = t.docIn(doc)
	at, r := t, resultOf(doc, t, output, refs)
	if t.Post && !t.postLink && t.owner != nil {
		// Written as a :post's result is (RanAs).
		at, r.Posted, r.PostResults = t.owner, true, t.Results
	}
	blk, err := at.blockIn(doc)
	if err != nil {
		return org.Data{}, false
	}
	return doc.ReadBack(blk, r)
}

// resultOf is the result write-back writes for t's output.
func resultOf(doc *org.Document, t *Task, output string, refs map[string]Value) org.Result {
	return WithNames(doc, t, refs, org.Result{Output: output, Reader: t.Reader, PostNil: t.PostNil, WithoutFile: t.PostNil && t.File != ""})
}

// ReadBackData is what a :var naming the data t's results are written
// over receives once t has run (see Task.ReadsBack): those results as
// write-back puts them, read as org-babel-read-element reads named data
// (the index selects from it). ok is false when they are not read back;
// missing is then, when they are no data Babel reads, the error Emacs
// stops with at a reference to name (see NotReadBackKey).
func ReadBackData(doc *org.Document, t *Task, output string, refs map[string]Value, name string) (v Value, missing string, ok bool) {
	doc = t.docIn(doc)
	blk, err := t.blockIn(doc)
	if err != nil {
		return Value{}, "", false
	}
	got, missing, ok := doc.ReadBackNamed(blk, resultOf(doc, t, output, refs), name)
	if !ok {
		return Value{}, missing, false
	}
	return rawDataValue(got), "", true
}

// ReadBackKey is the key of ReadBackData of block name among the values
// handed to Task.bind.
func ReadBackKey(name string) string { return "\x00read back\x00" + name }

// NotReadBackKey is, among the values handed to Task.bind, the key of
// the error (its Scalar) Emacs stops with at a reference to the data
// block name's results are written over, when they are no data Babel
// reads (ReadBackData's missing): the reader fails with it
// (*ReferenceError) rather than bind the data as the document has them.
func NotReadBackKey(name string) string { return "\x00not read back\x00" + name }

// DepthExceeded is the error Emacs stops with when Babel, resolving a
// reference, comes back to the block it resolves it for.
const DepthExceeded = "Variable binding depth exceeds max-specpdl-size"

// ReferenceError is Babel's error at a reference of a task: Emacs
// stops org-babel-execute-buffer with Emacs there.
type ReferenceError struct {
	Line  int
	Arg   string // ":var x=data"
	Emacs string
	Why   string
	// Binding: Emacs signals Emacs binding the value found, as ob-shell
	// binds it (bashAssocRuleStop), not resolving the reference.
	Binding bool
}

func (e *ReferenceError) Error() string {
	return fmt.Sprintf("line %d, %s: %s: %s", e.Line, e.Arg, e.Emacs, e.Why)
}

// ReadsBack names the blocks whose results, written over named data, t
// reads back (see ReadBackData), the next element of that name's
// included (boundValue.nextOf). The results are those of the task
// reading a block's output in Emacs (ReaderOf) when it ran, else the
// block's.
func (t *Task) ReadsBack() []string {
	var out []string
	for _, bv := range t.values {
		for _, r := range []string{bv.readBack, bv.nextOf} {
			if r != "" && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// ReadBackName is the name of the data block name's results are
// written over that t reads back (see ReadsBack).
func (t *Task) ReadBackName(name string) string {
	for _, bv := range t.values {
		if bv.readBack == name || bv.nextOf == name {
			return bv.data
		}
	}
	return ""
}

// CachedValue is the hash of a :cache yes block's existing results in the
// document and their value as Babel reads it back (org-babel-read-result):
// what the block's dependents receive when its hash has not changed and
// it is not run. ok is false when there are no such results to reuse.
func CachedValue(doc *org.Document, t *Task) (hash string, v Value, ok bool) {
	doc = t.docIn(doc)
	if t.owner != nil {
		return "", Value{}, false // a :post stands or runs with its block
	}
	if t.CalledResultsRewritten {
		return "", Value{}, false
	}
	blk, err := t.blockIn(doc)
	if err != nil {
		return "", Value{}, false
	}
	hash, got, ok := doc.CachedResult(blk)
	if !ok {
		return "", Value{}, false
	}
	return hash, readBackValue(got), true
}

// valueOf is the Value of a Babel value read by org (a plain list with
// sublists, d.List): a table's quoted cells that read as numbers stay
// strings.
func valueOf(d org.Data) Value {
	if d.List != nil {
		return plainListValue(d.List)
	}
	switch d.Kind {
	case org.ValueTable:
		// Rules stay: what a block receiving the table gets of them is
		// decided by its own header args (see bindTable).
		return withCellMarks(Value{Table: d.Table}, d.Quoted, textCell)
	case org.ValueString:
		return scalarValue(d.Scalar)
	case org.ValueTextTable:
		return Value{Table: d.Table, TextCells: true}
	case org.ValueFileLink, org.ValueHomeLink, org.ValueUserLink:
		// A link read back (org-babel-read-link): its path expanded.
		return linkValue(d.Kind, d.Scalar)
	case org.ValueNil, org.ValueNone:
		// Read as nil (a symbol, or no value: empty output read as a
		// table, ()): org-babel-ref-resolve gives its name.
		return Value{Scalar: "nil"}
	}
	return Value{}
}

// readBackValue is valueOf results read back from the document
// (org-babel-read-result): their text, 1.0e+INF a string.
func readBackValue(d org.Data) Value {
	if d.List == nil && d.Kind == org.ValueString {
		return scalarText(d.Scalar)
	}
	return valueOf(d)
}

// nowebText is what each of t's noweb references expands to, by its key
// (see nowebRef.call): the value org-babel-ref-resolve gives (the
// referenced block's result, or named data), inserted as
// org-babel-expand-noweb-references inserts it (see nowebInsert).
func (t *Task) nowebText(refs map[string]Value) (map[string]string, error) {
	noweb := map[string]string{}
	for _, r := range t.nowebRefs {
		if r.data != nil {
			noweb[r.call] = nowebInsert(*r.data)
			continue
		}
		v, ok := refs[r.block]
		if !ok {
			return nil, fmt.Errorf("block %s: result of %s is not available", t.Block, r.block)
		}
		noweb[r.call] = nowebInsert(indexValue(v, r.index))
	}
	return noweb, nil
}

// nowebInsert is a value as org-babel-expand-noweb-references inserts
// it: a string as it is, anything else as (format "%S") prints it.
func nowebInsert(v Value) string {
	if v.Table == nil && !v.IsList && !v.Number && !v.Symbol && !v.Rule {
		return v.Scalar
	}
	return lispValue(v)
}

// itemValue is a list's element as Babel read it: a list stays a list.
func itemValue(it org.Item) Value {
	switch {
	case it.IsList:
		items := make([]Value, len(it.List))
		for i, x := range it.List {
			items[i] = itemValue(x)
		}
		return Value{IsList: true, List: items}
	case it.Symbol:
		return Value{Scalar: it.Text, Symbol: true}
	case it.String:
		return Value{Scalar: it.Text}
	}
	return scalarValue(it.Text)
}

// bashForms is, for a "shell" block whose shell is known only where it
// runs (no ShellFileName), its script with the variables in bash's forms,
// which it takes where that shell, shell-file-name ($SHELL), is bash
// (shellfile.go), and where bash cannot bind them the output that says
// Emacs stops before the block runs (shellbindstop.go); script, the
// block's in the forms of other shells, and "" for any other block.
func (t *Task) bashForms(doc *org.Document, blk *org.Block, body, script string, refs map[string]Value) (bashScript, bashStop string, err error) {
	if t.Lang != "shell" || t.ShellFileName != "" {
		return script, "", nil
	}
	if bashScript, err = t.expandAround(blk, body, refs, bashVarsAtRun); err != nil {
		return "", "", err
	}
	why, err := t.runBashStop(blk, body, refs)
	if err != nil {
		return "", "", err
	}
	if why != "" {
		bashStop = shellBindStopOutput(doc, blk, why)
	}
	return bashScript, bashStop, nil
}
