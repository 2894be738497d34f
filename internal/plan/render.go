package plan

import (
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// shellNames are ob-shell's languages (org-babel-shell-names and "shell").
var shellNames = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "fish": true, "csh": true, "ash": true,
	"dash": true, "ksh": true, "mksh": true, "posh": true, "shell": true,
}

// assignment renders one variable binding as Babel's
// org-babel-variable-assignments:LANG does for that language (checked
// against Emacs 28.2 / Org 9.5.5). For shells, ob-shell decides by the
// shell it runs: bash gets arrays (a list) and associative arrays (a
// table of two columns or more), any other shell one string (a list's
// items, or a table's rows of tab-separated cells, one a line).
//
// Rules kept in a table (:hlines yes) are written as each language's
// conversion writes the symbol hline: form.hline (ob-shell's :hline-string,
// else "hline") as a line of a shell string, "hline" as a bash array's
// item, None in Python, nil in Ruby, hline (a name) in JavaScript,
// q(hline) in Perl.
func assignment(lang, name string, v Value, bash bool, form shellForm) string {
	if v.User != "" {
		return userAssignment(lang, name, v)
	}
	if v.Sandbox || v.Home {
		return sandboxAssignment(lang, name, v.Scalar, v.Home)
	}
	switch {
	case shellNames[lang] && bash && bashAssoc(v):
		// A list whose first item is a list of two items or more (a
		// plain list with sublists): bash_assoc, each item's first
		// element the key, the rest the value (as ob-shell writes a
		// list).
		var lines []string
		for _, it := range v.List {
			if len(it.Pair) == 2 {
				// A cons (KEY . VALUE): its cdr the value.
				lines = append(lines, fmt.Sprintf("%s[%s]=%s", name, shQuote(shellVarText(it.Pair[0], form)), shQuote(it.Pair[1].shellText(form))))
				continue
			}
			if len(it.Table) > 0 && !org.IsRule(it.Table[0]) {
				// A table among the items ((nil (1 2))): its first
				// row (a list, as perlRow has it) the key, the
				// other rows the value.
				rest := Value{Table: it.Table[1:], marks: dropRows(it.marks, 1), TextCells: it.TextCells}
				lines = append(lines, fmt.Sprintf("%s[%s]=%s", name, shQuote(it.perlRow(0).shellText(form)), shQuote(rest.shellText(form))))
				continue
			}
			if !it.IsList || len(it.List) == 0 {
				continue // Emacs stops with an error (car of an atom)
			}
			rest := Value{IsList: true, List: it.List[1:]}
			lines = append(lines, fmt.Sprintf("%s[%s]=%s", name, shQuote(shellVarText(it.List[0], form)), shQuote(rest.shellText(form))))
		}
		return fmt.Sprintf("unset %s\ndeclare -A %s\n%s", name, name, strings.Join(lines, "\n"))
	case shellNames[lang] && bash && v.IsList && len(v.List) > 0:
		var items []string
		for _, it := range v.List {
			// bash_array: each item as org-babel-sh-var-to-sh
			// writes it.
			items = append(items, shQuote(shellVarText(it, form)))
		}
		return fmt.Sprintf("unset %s\ndeclare -a %s=( %s )", name, name, strings.Join(items, " "))
	case shellNames[lang] && bash && len(v.Table) > 0 && len(v.Table[0]) >= 2 && !org.IsRule(v.Table[0]):
		// org-babel--variable-assignments:bash_assoc: the first cell is
		// the key, the others (one a line) the value.
		var lines []string
		for i, row := range v.Table {
			if org.IsRule(row) {
				// Emacs stops with an error (car of hline).
				continue
			}
			var key, rest string
			if len(row) > 0 {
				cells := v.shellCells(i)
				key, rest = cells[0], strings.Join(cells[1:], "\n")
				if v.symAt(i, 0) && row[0] == "nil" {
					key = "" // the key alone is nil, an empty list: no item
				}
				if len(row) > 1 && v.symAt(i, 1) && row[1] == "nil" {
					// The value starts with nil, an empty list: a
					// list of lists to org-babel-sh-var-to-string,
					// whose atoms orgtbl-to-generic writes nothing of.
					rest = ""
				}
			}
			lines = append(lines, fmt.Sprintf("%s[%s]=%s", name, shQuote(key), shQuote(rest)))
		}
		return fmt.Sprintf("unset %s\ndeclare -A %s\n%s", name, name, strings.Join(lines, "\n"))
	case shellNames[lang] && bash && len(v.Table) > 0:
		// A table of one column is a list of one-item rows.
		var items []string
		for i, row := range v.Table {
			if org.IsRule(row) {
				items = append(items, shQuote("hline"))
				continue
			}
			items = append(items, shQuote(strings.Join(v.shellCells(i), "\n")))
		}
		return fmt.Sprintf("unset %s\ndeclare -a %s=( %s )", name, name, strings.Join(items, " "))
	case shellNames[lang]:
		return name + "=" + shQuote(v.shellText(form))
	case pythonLangs[lang]:
		return name + "=" + lispish(v, "None", true)
	case lang == "ruby":
		return name + "=" + lispish(v, "nil", false)
	case jsLangs[lang]:
		return "var " + name + "=" + strings.ReplaceAll(lispish(v, "hline", false), "\n", `\n`) + ";"
	case lang == "perl":
		return "my $" + name + "=" + perlValue(v) + ";\n"
	}
	return name + "=" + shQuote(v.text())
}

// sandboxAssignment binds name to the path rel (relative to the
// document's directory, see Value.Sandbox, or with home to the home
// directory, see Value.Home; in org.CleanRelative's form) as the program
// finds it: the sandbox's path ($BORGES_SANDBOX, else the working
// directory) or $HOME, a level taken off it for each ".." rel starts
// with, then the rest of rel, as Emacs's expand-file-name gives it. The
// levels are taken off as text (a directory's name), never by following
// a link.
func sandboxAssignment(lang, name, rel string, home bool) string {
	if !shellNames[lang] && !pythonLangs[lang] && lang != "ruby" && !jsLangs[lang] && lang != "perl" {
		lang = "sh"
	}
	base := sandboxBase[lang]
	if home {
		base = homeBase[lang]
	}
	if shellNames[lang] {
		return shellPathAssignment(name, rel, base)
	}
	return bindPath(lang, name, pathExpr(lang, rel, base))
}

// sandboxBase and homeBase are, in each language, the sandbox's path
// ($BORGES_SANDBOX, else the working directory) and $HOME.
var (
	sandboxBase = map[string]string{
		"python": "__import__('os').environ.get('BORGES_SANDBOX', __import__('os').getcwd())",
		"ruby":   "ENV.fetch('BORGES_SANDBOX') { Dir.pwd }",
		"js":     "(process.env.BORGES_SANDBOX || process.cwd())",
		"perl":   "($ENV{BORGES_SANDBOX} // do { require Cwd; Cwd::getcwd() })",
		"sh":     `"${BORGES_SANDBOX:-$PWD}"`,
	}
	homeBase = map[string]string{
		"python": "__import__('os').environ['HOME']",
		"ruby":   "ENV['HOME']",
		"js":     "process.env.HOME",
		"perl":   "$ENV{HOME}",
		"sh":     `"$HOME"`,
	}
)

func init() {
	for _, m := range []map[string]string{sandboxBase, homeBase} {
		m["python3"], m["node"], m["javascript"] = m["python"], m["js"], m["js"]
		for l := range shellNames {
			m[l] = m["sh"]
		}
	}
}

// shellPathAssignment binds a shell variable to rel (see
// sandboxAssignment) under base, a shell word: a level taken off the
// variable at a time.
func shellPathAssignment(name, rel, base string) string {
	up, suffix := splitRelative(rel)
	if up == 0 {
		return name + "=" + base + shQuote(suffix)
	}
	lines := []string{name + "=" + base}
	for i := 0; i < up; i++ {
		lines = append(lines, name+`="${`+name+`%/*}"`)
	}
	// Levels off the root leave it empty: the root.
	return strings.Join(append(lines, name+`="$`+name+`"`+shQuote(suffix), `[ -n "$`+name+`" ] || `+name+`=/`), "\n")
}

// pathExpr is an expression of lang (Python, Ruby, JavaScript, Perl)
// for rel under base, an expression of a directory's path.
func pathExpr(lang, rel, base string) string {
	up, suffix := splitRelative(rel)
	key := lang
	switch {
	case pythonLangs[lang]:
		key = "python"
	case jsLangs[lang]:
		key = "js"
	}
	// A level is taken off with its slash, and the root is left
	// empty: "" then is the root.
	for i := 0; i < up; i++ {
		base = fmt.Sprintf(dirnameExpr[key], base)
	}
	var e string
	if key == "perl" {
		e = base + " . " + perlValue(Value{Scalar: suffix})
	} else {
		e = base + " + " + lispString(suffix)
	}
	if up == 0 {
		return e
	}
	switch key {
	case "python":
		return "(" + e + " or '/')"
	case "ruby":
		return "[" + e + "].map { |p| p.empty? ? '/' : p }[0]"
	}
	return "(" + e + " || '/')"
}

// dirnameExpr is, by language, the expression of the directory of the
// path expression %s, without a trailing slash ("" for the root).
var dirnameExpr = map[string]string{
	"python": "__import__('os').path.dirname(%s).rstrip('/')",
	"ruby":   "File.dirname(%s).chomp('/')",
	"js":     "require('path').dirname(%s).replace(/\\/$/, '')",
	"perl":   "do { my $d = %s; $d =~ s{/[^/]*$}{}; $d }",
}

// bindPath binds name to expr, a path, in lang.
func bindPath(lang, name, expr string) string {
	switch {
	case jsLangs[lang]:
		return "var " + name + "=" + expr + ";"
	case lang == "perl":
		return "my $" + name + "=" + expr + ";\n"
	}
	return name + "=" + expr
}

// userAssignment binds name to a link's "~USER/…" (v.User) as Emacs's
// expand-file-name gives it where the program runs: in USER's home
// from the passwd database (getpwnam: the shell's "~USER", Python's
// pwd, Ruby's Dir.home, Perl's getpwnam; JavaScript, which has none,
// asks /bin/sh), or, for no such user, in the document's directory (the
// sandbox).
func userAssignment(lang, name string, v Value) string {
	_, inHome, _ := org.UserLink(v.Scalar)
	inDir := org.CleanRelative(v.Scalar)
	user := v.User // a name of userNameRe's characters only
	switch {
	case pythonLangs[lang]:
		return "try:\n    " + bindPath(lang, name, pathExpr(lang, inHome, "__import__('pwd').getpwnam('"+user+"').pw_dir")) +
			"\nexcept KeyError:\n    " + bindPath(lang, name, pathExpr(lang, inDir, sandboxBase[lang]))
	case lang == "ruby":
		return name + "=begin; " + pathExpr(lang, inHome, "Dir.home('"+user+"')") + "; rescue ArgumentError; " + pathExpr(lang, inDir, sandboxBase[lang]) + "; end"
	case jsLangs[lang]:
		h := "require('child_process').execFileSync('/bin/sh', ['-c', 'printf %s ~" + user + "']).toString()"
		return bindPath(lang, name, "(function(h) { return h[0] === '~' ? "+pathExpr(lang, inDir, sandboxBase[lang])+" : "+pathExpr(lang, inHome, "h")+"; })("+h+")")
	case lang == "perl":
		return bindPath(lang, name, "do { my @pw = getpwnam('"+user+"'); @pw ? "+pathExpr(lang, inHome, "$pw[7]")+" : "+pathExpr(lang, inDir, sandboxBase[lang])+" }")
	}
	return "__borges_home=~" + user + "\ncase $__borges_home in \"~\"*)\n" + shellPathAssignment(name, inDir, sandboxBase["sh"]) +
		";;\n*)\n" + shellPathAssignment(name, inHome, `"$__borges_home"`) + ";;\nesac"
}

// splitRelative cuts rel (in org.CleanRelative's form) into the levels it
// goes up from its directory and what follows the directory then: "",
// "/" or "/" and a name.
func splitRelative(rel string) (up int, suffix string) {
	for rel == ".." || strings.HasPrefix(rel, "../") {
		up++
		rel = strings.TrimPrefix(strings.TrimPrefix(rel, ".."), "/")
		if rel == "" {
			rel = "."
			break
		}
	}
	switch {
	case rel == ".":
		return up, ""
	case rel == "./":
		return up, "/"
	}
	return up, "/" + rel
}

// shellText is org-babel-sh-var-to-string of v: a table, or a list
// whose first item is a list or a rule, through orgtbl-to-generic (see
// orgtblGeneric); any other list's items one a line, a string as it is
// and anything else with %S (a\.b for the symbol a.b).
func (v Value) shellText(form shellForm) string {
	switch {
	case v.Table != nil:
		return orgtblGeneric(tableRows(v), form)
	case !v.IsList && v.Symbol && !v.Rule && len(v.Pair) == 0:
		// A symbol on its own (a Lisp :var value's): echo-var writes
		// what is not a string with %S (a\ b, \1).
		return v.printedSymbol()
	case !v.IsList:
		return v.textWithRules(form.hline)
	case len(v.List) > 0 && (v.List[0].IsList || v.List[0].Rule):
		return orgtblGeneric(listRows(v), form)
	}
	items := make([]string, len(v.List))
	for i, it := range v.List {
		items[i] = shellItem(it)
	}
	return strings.Join(items, "\n")
}

// princValue is v as %s (princ) prints it: printValue with strings and
// symbols bare.
func princValue(v Value) string {
	switch {
	case v.IsList && len(v.List) == 0:
		return "nil"
	case v.IsList:
		items := make([]string, len(v.List))
		for i, it := range v.List {
			items[i] = princValue(it)
		}
		return "(" + strings.Join(items, " ") + ")"
	case len(v.Pair) == 2:
		// A cons or dotted list: (A B . C).
		var items []string
		p := v
		for len(p.Pair) == 2 {
			items = append(items, princValue(p.Pair[0]))
			p = p.Pair[1]
		}
		return "(" + strings.Join(items, " ") + " . " + princValue(p) + ")"
	case v.Symbol && v.Scalar == "##":
		return ""
	}
	return v.Scalar
}

// shellCells are the cells of row i of v's table as ob-shell writes the
// items of a list: its symbols with %S.
func (v Value) shellCells(i int) []string {
	row := v.Table[i]
	cells := make([]string, len(row))
	for j, c := range row {
		cells[j] = c
		if v.symAt(i, j) && c != "hline" {
			cells[j] = org.PrintSymbolText(c)
		}
	}
	return cells
}

// shellVarText is a value as org-babel-sh-var-to-string writes it on
// its own (a bash array's item, an associative array's key): a list's
// items one a line, nil nothing (an empty list), an atom as shellItem
// has it; hline as for shellText.
func shellVarText(it Value, form shellForm) string {
	if it.IsList {
		return it.shellText(form)
	}
	return shellItem(it)
}

// shellItem is an item of a list as ob-shell writes it: a string as it
// is, anything else with %S.
func shellItem(it Value) string {
	if it.IsList {
		// A list among the items (nil, a nested list): %S.
		if len(it.List) == 0 {
			return "nil"
		}
		return printValue(it)
	}
	if it.Symbol && !it.Rule {
		return it.printedSymbol()
	}
	return it.Scalar
}

// text is the value as one string: a table's rows joined by newlines and
// its cells by tabs (how ob-shell passes tables to a plain shell).
func (v Value) text() string { return v.textWithRules("") }

// textWithRules is text with each rule of a table written as hline (none
// when ""), as orgtbl-to-generic writes them with :hline.
func (v Value) textWithRules(hline string) string {
	switch {
	case v.Table != nil:
		rows := make([]string, 0, len(v.Table))
		for i, r := range v.Table {
			if !org.IsRule(r) {
				rows = append(rows, strings.Join(v.princCells(i), "\t"))
			} else if hline != "" {
				rows = append(rows, hline)
			}
		}
		return strings.Join(rows, "\n")
	case v.IsList:
		items := make([]string, len(v.List))
		for i, it := range v.List {
			items[i] = it.Scalar
		}
		return strings.Join(items, "\n")
	}
	return v.Scalar
}

// shQuote is org-babel-sh-var-to-sh: single quotes, each ' as '"'"'.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// lispish prints v as (format "%S" v) does for Python, Ruby and JS: numbers
// bare, strings double-quoted with Lisp escapes, lists in brackets, a rule
// as hline says (the language's org-babel-LANG-hline-to). With python,
// a string of several lines, wherever it is, is written between two more
// pairs of quotes, as org-babel-python-var-to-python writes it; Ruby's and
// JavaScript's conversions do not.
func lispish(v Value, hline string, python bool) string {
	switch {
	case v.Rule:
		return hline
	case v.Symbol && v.Printed:
		return v.Scalar
	case v.Symbol:
		return bareSymbol(v.Scalar)
	case v.Table != nil:
		rows := make([]string, len(v.Table))
		for i, r := range v.Table {
			if org.IsRule(r) {
				rows[i] = hline
				continue
			}
			cells := make([]string, len(r))
			for j, c := range r {
				if v.printedAt(i, j) {
					cells[j] = c
				} else if v.symAt(i, j) && c == "hline" {
					cells[j] = hline // the symbol hline in a row
				} else if v.symAt(i, j) {
					cells[j] = bareSymbol(c)
				} else if org.PrintsAsNumber(c) && !v.textAt(i, j) {
					cells[j] = c
				} else {
					cells[j] = lispish(Value{Scalar: c, Chars: v.Chars, Unibyte: v.unibyteAt(i, j)}, hline, python)
				}
			}
			rows[i] = "[" + strings.Join(cells, ", ") + "]"
		}
		return "[" + strings.Join(rows, ", ") + "]"
	case v.IsList:
		items := make([]string, len(v.List))
		for i, it := range v.List {
			items[i] = lispish(it, hline, python)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case v.Number:
		return v.Scalar
	}
	// prin1Scalar prints a string as prin1 does (a unibyte one's
	// bytes past ASCII, a raw byte, octal escapes); Python's strings of
	// several lines between two more pairs of quotes, as
	// org-babel-python-var-to-python writes them.
	s := prin1Scalar(v)
	if python && strings.ContainsAny(v.Scalar, "\n\r") {
		return `""` + s + `""`
	}
	return s
}

// lispString is s as format's %S prints it (org.Prin1String): a raw
// byte an octal escape.
func lispString(s string) string {
	return org.Prin1String(s, false)
}

// perlValue is org-babel-perl--var-to-perl: a scalar is q(…); a list
// or a table an array reference, a table's rows arrays of their own, one
// item a line, indented two spaces a level.
func perlValue(v Value) string {
	var b strings.Builder
	switch {
	case v.Table != nil:
		b.WriteString("\n")
		perlArray(&b, 0, len(v.Table), func(i int) Value { return v.perlRow(i) })
	case v.IsList:
		b.WriteString("\n")
		perlArray(&b, 0, len(v.List), func(i int) Value { return v.List[i] })
	case v.Printed:
		b.WriteString("q(" + perlAtom(v) + ")")
	default:
		b.WriteString("q(" + v.text() + ")")
	}
	return b.String()
}

// perlArray writes n items as an array reference at nesting level lvl:
// each a line of its own ending in a comma, nested arrays indented more.
func perlArray(b *strings.Builder, lvl, n int, item func(int) Value) {
	prefix := strings.Repeat("  ", lvl)
	b.WriteString(prefix + "[\n")
	for i := 0; i < n; i++ {
		it := item(i)
		switch {
		case it.Table != nil:
			perlArray(b, lvl+1, len(it.Table), func(j int) Value { return it.perlRow(j) })
		case it.IsList:
			perlArray(b, lvl+1, len(it.List), func(j int) Value { return it.List[j] })
		default:
			b.WriteString(prefix + "  q(" + perlAtom(it) + ")")
		}
		b.WriteString(",\n")
	}
	b.WriteString(prefix + "]")
}

// perlRow is row i of v's table as ob-perl takes it: a list of its
// cells, or a rule, the atom hline.
func (v Value) perlRow(i int) Value {
	row := v.Table[i]
	if org.IsRule(row) {
		return Value{Scalar: "hline", Rule: true}
	}
	items := make([]Value, len(row))
	for j, c := range row {
		switch {
		case v.printedAt(i, j):
			items[j] = Value{Scalar: c, Symbol: true, Printed: true}
		case v.symAt(i, j) && c == "nil":
			items[j] = Value{IsList: true} // the empty list: an array
		case v.textAt(i, j):
			items[j] = Value{Scalar: c} // a string, "01" as it is
		default:
			items[j] = scalarValue(c)
		}
	}
	return Value{IsList: true, List: items, Chars: v.Chars}
}

// perlAtom is an atom as (format "%s") prints it: a number as Emacs
// prints it, a value %S printed (a vector) as princ prints it.
func perlAtom(v Value) string {
	if v.Printed {
		return princPrinted(v.Scalar)
	}
	if n, ok := lispNumber(v.Scalar); ok && v.Number {
		return n
	}
	return v.Scalar
}
