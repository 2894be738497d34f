package plan

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// CacheCurrent is the value of a :cache yes block's results in the
// document when they carry the hash the block has now (refs the values
// it refers to, as for CacheHash): Babel then reads them back instead of
// running the block. ok is false when the block runs: no results to
// reuse, or another hash.
func CacheCurrent(doc *org.Document, t *Task, refs map[string]Value) (Value, bool) {
	if own := t.ownHash; own != nil {
		return ownCacheCurrent(doc, t, own, refs)
	}
	old, v, ok := CachedValue(doc, t)
	if !ok {
		return Value{}, false
	}
	hash, err := CacheHash(doc, t, refs)
	if err != nil || hash != old {
		return Value{}, false
	}
	return v, true
}

// ownCacheCurrent is CacheCurrent of t, a run of its own for a reference
// of a :cache yes block whose own run, own, stood before the reference
// (Task.ownHash): own's value, where t hashes as own did, the values of
// both runs' references in refs (t waits for own and for what own
// waited for: markOwnHash).
func ownCacheCurrent(doc *org.Document, t, own *Task, refs map[string]Value) (Value, bool) {
	v, ok := refs[own.Block]
	if !ok {
		return Value{}, false
	}
	old, err := CacheHash(doc, own, refs)
	if err != nil || old == "" {
		return Value{}, false
	}
	hash, err := CacheHash(doc, t, refs)
	if err != nil || hash != old {
		return Value{}, false
	}
	return v, true
}

// CacheHash is the hash Babel writes in #+RESULTS[HASH]: for a block with
// :cache yes (org-babel-sha1-hash, Org 9.5.5): the SHA-1 of the block's
// processed header arguments, sorted by name and printed as Emacs prints
// them (%S, joined by ":"), then "-" and the expanded body (variable
// assignments with their resolved values, noweb references expanded).
// refs are the results of the blocks the task depends on, as for Render.
// It is "" for a block without :cache yes.
func CacheHash(doc *org.Document, t *Task, refs map[string]Value) (string, error) {
	doc = t.docIn(doc)
	if t.lispVar != nil {
		return "", nil // its value is written nowhere
	}
	if t.owner != nil {
		// A :post's result is written under its block's hash.
		t = t.owner
	}
	// Emacs hashes a link's path as it reads it, expanded where it
	// visits the document: where the sender says so, that is known.
	t, refs = t.withVisitedLinks(refs, doc.Visit)
	// The hash expands a shell block as the Emacs process's own shell
	// would have it (shell-file-name, not the block's shell): bash, the
	// usual login shell, is assumed. A "shell" block's run takes the
	// forms of the $SHELL where it runs instead (shellfile.go), as
	// ob-shell's does of the Emacs's shell-file-name.
	// Its values stop Emacs where bash cannot bind them (bashVars) when
	// the hash is made: with :cache yes.
	vars := bashVarsAtRun
	if own, err := t.blockIn(doc); err == nil && hashedBlock(own) {
		vars = bashVars
	}
	blk, expanded, err := expand(doc, t, refs, vars, true)
	if err != nil {
		return "", err
	}
	if !hashedBlock(blk) {
		return "", nil
	}
	if elispLangs[t.Lang] {
		if expanded, err = elispExpanded(doc, t, blk, refs); err != nil {
			return "", err
		}
	}
	type param struct{ key, printed string }
	var params []param
	add := func(key, printed string) { params = append(params, param{":" + key, printed}) }
	for _, a := range blk.Args {
		if a.Value == "" {
			continue // nil or "": left out
		}
		switch {
		case a.Form && a.Key == "file-mode" && fileModeForm(a.Value):
			// (identity N): Emacs hashes the number N. Any other
			// form is hashed as written, and said (formsHashed).
			m, _ := fileMode(a.Value)
			add(a.Key, strconv.FormatUint(uint64(m), 10))
		case a.Key == "results" || a.Key == "exports":
			add(a.Key, printString(strings.Join(sortedWords(a.Value), " ")))
		case a.String:
			// A Lisp string stays one, "42" too: %S quotes it.
			add(a.Key, printString(a.Value))
		case a.Symbol:
			// A default's symbol, or a quoted one's, as prin1
			// printed it.
			add(a.Key, a.Value)
		case a.Printed:
			// A list or vector a Lisp constant evaluated to, as prin1
			// printed it; an empty vector is left out.
			if a.Value != "[]" {
				add(a.Key, a.Value)
			}
		default:
			add(a.Key, printArg(a.Value))
		}
	}
	results, _ := blk.Args.Get("results")
	if kept := sortedWords(results); len(kept) > 0 {
		printed := make([]string, len(kept))
		for i, w := range kept {
			printed[i] = printString(w)
		}
		add("result-params", "("+strings.Join(printed, " ")+")")
	}
	resultType := "output"
	if valueMode(blk.Args) {
		resultType = "value"
	}
	add("result-type", resultType)
	bound, err := t.bind(blk, refs)
	if err != nil {
		return "", err
	}
	var colnames []string
	for _, bv := range bound {
		add("var", printBinding(bv.name, bv.value))
		if bv.value.listName != nil {
			// (x . "name"): a flat list's car (bindRuledList).
			colnames = append(colnames, printBinding(bv.name, *bv.value.listName))
		} else if bv.colnames != nil {
			colnames = append(colnames, printBinding(bv.name, bv.value.namesValue(bv.colnames, bv.value.nameMarks)))
		}
	}
	if colnames != nil {
		add("colname-names", "("+strings.Join(colnames, " ")+")")
	}
	var rownames []string
	for _, bv := range bound {
		if bv.value.rownames != nil {
			rownames = append(rownames, printBinding(bv.name, bv.value.namesValue(bv.value.rownames, bv.value.rownameMarks)))
		}
	}
	if rownames != nil {
		add("rowname-names", "("+strings.Join(rownames, " ")+")")
	}
	// string< on the keys; Emacs's sort is stable, so :var entries keep
	// their order.
	sort.SliceStable(params, func(i, j int) bool { return params[i].key < params[j].key })
	printed := make([]string, len(params))
	for i, p := range params {
		printed[i] = p.printed
	}
	sum := sha1.Sum([]byte(strings.Join(printed, ":") + "-" + expanded))
	return hex.EncodeToString(sum[:]), nil
}

// sortedWords are the words of a :results or :exports value without
// those that do not change a result (replace, silent, none, append,
// prepend), sorted.
func sortedWords(v string) []string {
	var out []string
	for _, w := range strings.Fields(v) {
		switch w {
		case "replace", "silent", "none", "append", "prepend":
		default:
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// printArg prints a header argument's value as Babel holds it: a number
// (org-babel-read made it one) bare, anything else as a string.
func printArg(v string) string {
	if n, ok := lispNumber(v); ok {
		return n
	}
	return printString(v)
}

// printString is %S of a string: in double quotes, with " and \ escaped.
func printString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// printBinding is %S of a :var binding, (NAME . VALUE), the name a
// symbol (a\.b for a.b).
func printBinding(name string, v Value) string {
	name = org.PrintSymbol(name)
	switch {
	case v.IsList:
		items := make([]string, len(v.List))
		for i, it := range v.List {
			items[i] = printValue(it)
		}
		return "(" + strings.Join(append([]string{name}, items...), " ") + ")"
	case v.Table != nil:
		return "(" + strings.Join(append([]string{name}, printedRows(v)...), " ") + ")"
	}
	return "(" + name + " . " + printValue(v) + ")"
}

// printedRows are the rows of v's table as %S prints them: a rule the
// symbol hline, an empty row nil, a plain list's items (TextCells)
// strings even where they read as numbers.
func printedRows(v Value) []string {
	rows := make([]string, len(v.Table))
	for i, r := range v.Table {
		switch {
		case org.IsRule(r):
			rows[i] = "hline"
			continue
		case len(r) == 0:
			rows[i] = "nil"
			continue
		}
		cells := make([]string, len(r))
		for j, c := range r {
			if v.printedAt(i, j) {
				cells[j] = c
			} else if v.symAt(i, j) {
				cells[j] = org.PrintSymbolText(c)
			} else if v.unibyteAt(i, j) {
				cells[j] = org.Prin1Unibyte(c)
			} else if v.textAt(i, j) {
				cells[j] = org.Prin1String(c, v.Chars)
			} else if org.NonFinite(c) {
				cells[j] = c // a number read, printed so (1.0e+INF)
			} else if n, ok := lispNumber(c); ok {
				cells[j] = n
			} else {
				// prin1: a raw byte an octal escape ("r\351").
				cells[j] = org.Prin1String(c, v.Chars)
			}
		}
		rows[i] = "(" + strings.Join(cells, " ") + ")"
	}
	return rows
}

// printValue is %S of a scalar or list value.
func printValue(v Value) string {
	if v.IsList && len(v.List) == 0 {
		return "nil"
	}
	if v.IsList {
		items := make([]string, len(v.List))
		for i, it := range v.List {
			items[i] = printValue(it)
		}
		return "(" + strings.Join(items, " ") + ")"
	}
	if v.Table != nil {
		// A table among a list's items ((nil (1 2)) in a list).
		return "(" + strings.Join(printedRows(v), " ") + ")"
	}
	if v.Symbol && !v.Rule {
		return v.printedSymbol()
	}
	if v.Number || v.Rule {
		return v.Scalar
	}
	return prin1Scalar(v)
}

// prin1Scalar is %S of v's string: a unibyte one's bytes past ASCII
// (Value.Unibyte) octal escapes, as are a raw byte's of another
// (org.Prin1String; a surrogate a character where v.Chars), as prin1
// prints them and Emacs's reader reads them back.
func prin1Scalar(v Value) string {
	if v.Unibyte {
		return org.Prin1Unibyte(v.Scalar)
	}
	return org.Prin1String(v.Scalar, v.Chars)
}

// withVisitedLinks is t, and refs, with the paths of links relative to
// the document's directory (Value.Sandbox) or to home (Value.Home) that
// visit resolves written out, as org-babel-read-link expands them in a
// buffer visiting the document there (t itself when there are none).
func (t *Task) withVisitedLinks(refs map[string]Value, visit org.Visit) (*Task, map[string]Value) {
	abs := func(v Value) (Value, bool) { return visitedLink(v, visit) }
	var values []boundValue
	for i, bv := range t.values {
		if a, ok := abs(bv.value); ok {
			if values == nil {
				values = append([]boundValue(nil), t.values...)
			}
			values[i].value = a
		}
	}
	var mapped map[string]Value
	for k, v := range refs {
		if a, ok := abs(v); ok {
			if mapped == nil {
				mapped = make(map[string]Value, len(refs))
				for k2, v2 := range refs {
					mapped[k2] = v2
				}
			}
			mapped[k] = a
		}
	}
	if values == nil && mapped == nil {
		return t, refs
	}
	c := *t
	if values != nil {
		c.values = values
	}
	if mapped != nil {
		refs = mapped
	}
	return &c, refs
}

// visitedLink is v, a link's path relative to the document's directory
// (Value.Sandbox) or to home (Value.Home), written out as
// org-babel-read-link expands it in a buffer visiting the document where
// visit says; ok is false (v as it is) when visit does not say where
// that is, or for a link into another user's home.
func visitedLink(v Value, visit org.Visit) (Value, bool) {
	switch {
	case v.User != "":
		// "~user/…": that user's home on the sender's machine, which
		// the client does not say.
	case v.Sandbox && visit.Dir != "":
		return Value{Scalar: org.ExpandFileName(v.Scalar, visit.Dir, visit.Home)}, true
	case v.Home && visit.Home != "":
		return Value{Scalar: org.ExpandFileName("~/"+v.Scalar, "/", visit.Home)}, true
	}
	return v, false
}

// cachedNow reports whether t, a :cache yes block planned at its place
// in the document, or called by a reference (a :post's, or one with
// arguments), has results there carrying the hash it has now (as called),
// known before anything runs (its values need no other task, no Emacs
// Lisp block runs before it to change the buffer): Babel returns those
// results without running the block (org-babel-execute-src-block), and
// resolves neither its :stdin nor its :post, which a :post chain coming
// back to a block may pass through (Emacs stops there). Its hash is
// worked out from its :var values and noweb references, so t's are
// planned first.
func (b *builder) cachedNow(blk *org.Block, t *Task) bool {
	if !t.Cache || blk.Call != nil || len(t.After) > 0 || t.lispVar != nil || len(t.unresolved) > 0 {
		return false
	}
	if blk.Index >= 0 && b.elispBefore(t) {
		return false
	}
	results, hashed := blk, t
	if blk.Index < 0 {
		// Called: hashed with the call's arguments, against the
		// results of the block it calls as they are where its caller
		// runs.
		c := b.callingRef[t.Block]
		if c == nil || b.elispBeforeAt(b.placeAt) || !b.calledResultsKept(c.name) {
			return false
		}
		callee, err := b.doc.CalledWith(c.name, c.header, c.args)
		if err != nil {
			return false
		}
		called := *t
		called.called = c
		results, hashed = callee, &called
	}
	old, _, ok := b.doc.CachedResult(results)
	if !ok {
		return false
	}
	hash, err := CacheHash(b.doc, hashed, nil)
	return err == nil && hash == old
}

// calledResultsKept reports whether the results of block name, called
// from the document block being planned at its place (placeAt), are
// still those of the document there: the block's own place does not
// come before its caller with a run of its own, which rewrites its
// results under its own hash (its :cache hash not current at planning).
// Babel compares the call's hash with the results as they are then: a
// call with other arguments misses. (One with the own place's arguments
// would read the fresh results back; Borges runs the block again.)
func (b *builder) calledResultsKept(name string) bool {
	own := b.byName[name]
	if own == nil || own.Index < 0 || own.owner != nil {
		return true
	}
	return b.position(own) >= b.placeAt || own.cachedNow
}
