package org

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The implementations the linear ones replaced, kept to check that the
// new ones give the same answers (reference_test.go's tests).

func refBalancedSplitBy(s string, twoFold bool, sep byte) []string {
	var result []string
	var partial []byte
	flush := func() {
		if len(partial) > 0 {
			result = append(result, string(partial))
			partial = partial[:0]
		}
	}
	i := 0
	for i < len(s) {
		c := s[i]
		var past byte
		hasPast := i > 0
		if hasPast {
			past = s[i-1]
		}
		split := false
		if twoFold {
			split = hasPast && (past == ' ' || past == '\t') && c == ':'
		} else {
			split = c == sep
		}
		switch {
		case split:
			if twoFold && len(partial) > 0 {
				partial = partial[:len(partial)-1]
			}
			flush()
			i++
		case c == '(' || c == '[':
			// Include everything up to the balancing bracket.
			if j, ok := refBalancedEnd(s, i); ok {
				partial = append(partial, s[i:j]...)
				i = j
			} else {
				partial = append(partial, c)
				i++
			}
		case c == '"' && !(hasPast && past == '\\'):
			// Up to the next double quote not preceded by a backslash
			// ("[^\\]\"" searched from the quote itself).
			end := -1
			for k := i + 1; k < len(s); k++ {
				if s[k] == '"' && s[k-1] != '\\' {
					end = k
					break
				}
			}
			if end >= 0 && end-1 >= i {
				partial = append(partial, s[i:end+1]...)
				i = end + 1
			} else {
				partial = append(partial, '"')
				i++
			}
		default:
			partial = append(partial, c)
			i++
		}
	}
	flush()
	return result
}
func refMergeWords(groups [][]string, existing []string, words []string) []string {
	var output []string
	for _, w := range append(append([]string(nil), existing...), words...) {
		for _, g := range groups {
			if contains(g, w) {
				output = refRemoveIf(output, func(o string) bool { return contains(g, o) })
			}
		}
		output = append([]string{w}, output...)
	}
	return output
}
func refRemoveIf(list []string, drop func(string) bool) []string {
	out := list[:0:0]
	for _, x := range list {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}
func refDeleteDups(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range list {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
func refMergeParams(layers ...[]rawArg) (Args, []string, error) {
	type varEntry struct{ name, assignment string }
	var vars []varEntry
	var results, exports []string
	var params []rawArg // most recent first
	varIndex := 0
	for _, layer := range layers {
		for _, p := range layer {
			switch p.Key {
			case ":var":
				if p.Number {
					return nil, nil, fmt.Errorf(":var: %s is a number, not an assignment: Emacs stops at the block; write :var NAME=%s (or \"%s\", which goes to the variables set before it, in order)", *p.Value, *p.Value, *p.Value)
				}
				value := ""
				if p.Value != nil {
					value = *p.Value
				}
				if name, ok := varName(value); ok {
					kept := vars[:0:0]
					for _, v := range vars {
						if v.name != name {
							kept = append(kept, v)
						}
					}
					vars = append(kept, varEntry{name, value})
				} else if varIndex < len(vars) {
					vars[varIndex].assignment = vars[varIndex].name + "=" + value
					varIndex++
				} else {
					return nil, nil, fmt.Errorf(":var: variable %q must be assigned a default value: Emacs stops at the block so; write :var %s=VALUE (a value without \"=\" goes to the variables set before it, in order, and none is left for this one)", value, value)
				}
			case ":results":
				if p.Value == nil || p.Number {
					return nil, nil, fmt.Errorf(":results: bad value")
				}
				results = refDeleteDups(refMergeWords(resultsGroups, results, splitString(*p.Value)))
			case ":exports":
				if p.Number {
					return nil, nil, fmt.Errorf(":exports: bad value")
				}
				v := ""
				if p.Value != nil {
					v = *p.Value
				}
				exports = refDeleteDups(refMergeWords(exportsGroups, exports, splitString(v)))
			default:
				kept := []rawArg{p}
				for _, q := range params {
					if q.Key != p.Key {
						kept = append(kept, q)
					}
				}
				params = kept
			}
		}
	}
	args := make(Args, 0, len(params)+2)
	args = append(args, Arg{Key: "results", Value: strings.Join(results, " ")})
	args = append(args, Arg{Key: "exports", Value: strings.Join(exports, " ")})
	for _, p := range params {
		if !strings.HasPrefix(p.Key, ":") {
			// Text before the first " :" on a header line becomes a
			// symbol without a colon in Emacs; Babel never reads it, and
			// it is not a header argument.
			continue
		}
		v := ""
		if p.Value != nil {
			v = *p.Value
		}
		args = append(args, Arg{Key: p.Key[1:], Value: v})
	}
	var assignments []string
	for _, v := range vars {
		assignments = append(assignments, v.assignment)
	}
	return args, assignments, nil
}
func refBalancedEnd(s string, i int) (int, bool) {
	openings := []byte{s[i]}
	j := i + 1
	for len(openings) > 0 && j < len(s) {
		k := strings.IndexAny(s[j:], "[]()")
		if k < 0 {
			return 0, false
		}
		j += k
		switch s[j] {
		case '[', '(':
			openings = append(openings, s[j])
		case ']':
			if openings[len(openings)-1] == '[' {
				openings = openings[:len(openings)-1]
			}
		case ')':
			if openings[len(openings)-1] == '(' {
				openings = openings[:len(openings)-1]
			}
		}
		j++
	}
	return j, len(openings) == 0
}

func refInheritedProperty(p *parser, i int, prop string) (string, bool) {
	var value string
	have := false
	cur := int(p.headingOf[i]) // -1: before the first heading
	for {
		base, hasBase, adds, found := refLocalValues(p, cur, prop)
		if found {
			parts := adds
			if hasBase {
				parts = append([]string{base}, adds...)
			}
			v := strings.Join(parts, " ")
			if have {
				v += " " + value
			}
			value, have = v, true
		}
		if hasBase {
			break
		}
		next, ok := p.upHeadingOrPointMin(cur)
		if !ok {
			if g, ok := p.props[strings.ToLower(prop)]; ok && g != "nil" {
				if have {
					value = g + " " + value
				} else {
					value, have = g, true
				}
			}
			break
		}
		cur = next
	}
	if !have || value == "nil" {
		return "", false
	}
	return value, true
}
func refLocalValues(p *parser, cur int, prop string) (base string, hasBase bool, adds []string, found bool) {
	from, to, ok := refDrawerOf(p, cur)
	if !ok {
		return "", false, nil, false
	}
	baseSeen := false
	for j := from; j < to; j++ {
		if v, ok := propertyLine(p.lines[j].Text, prop); ok && !baseSeen {
			baseSeen = true
			if v != "nil" {
				base, hasBase = v, true
			}
		}
		if v, ok := propertyLine(p.lines[j].Text, prop+"+"); ok {
			adds = append(adds, v)
		}
	}
	return base, hasBase, adds, hasBase || len(adds) > 0
}
func refDrawerOf(p *parser, cur int) (int, int, bool) {
	switch cur {
	case -1, pointMin:
		if cur == pointMin && len(p.headings) > 0 && p.headings[0].line == 0 {
			return refDrawerOf(p, 0)
		}
		// Before the first heading: a drawer after leading "# " comments.
		j := 0
		for j < len(p.lines) && strings.HasPrefix(strings.TrimLeft(p.lines[j].Text, " \t"), "# ") {
			j++
		}
		if end, ok := propertyDrawerAt(p.lines, j, len(p.lines)); ok {
			return j + 1, end, true
		}
		return 0, 0, false
	}
	h := p.headings[cur]
	return h.drawer[0], h.drawer[1], h.hasDrawer
}

func refConvertRegion(text, forced string) string {
	body := strings.TrimSuffix(text, "\n")
	lines := strings.Split(body, "\n")
	// The guess: every line has a TAB → TAB; else, searching on from the
	// first line without a TAB, no line without a comma → CSV; else
	// spaces.
	sep := "tab"
	for i, ln := range lines {
		if forced != "" {
			sep = forced
			break
		}
		if ln != "" && !strings.Contains(ln, "\t") {
			sep = "csv"
			for _, later := range lines[i+1:] {
				if later != "" && !strings.Contains(later, ",") {
					sep = "spaces"
					break
				}
			}
			// The search for a comma-free line starts at the end of the
			// tab-free line: that line itself is not looked at.
			break
		}
	}
	out := make([]string, len(lines))
	for i, ln := range lines {
		switch sep {
		case "tab":
			out[i] = "| " + strings.ReplaceAll(ln, "\t", "| ")
		case "spaces":
			// "^ *" turns the leading spaces (only spaces) into the first
			// "| "; then every " *\t *" or run of spaces.
			lead := 0
			for lead < len(ln) && ln[lead] == ' ' {
				lead++
			}
			out[i] = "| " + refSpacesRe.ReplaceAllString(ln[lead:], "| ")
		}
	}
	if sep == "csv" {
		return csvConvert(body)
	}
	return strings.Join(out, "\n")
}

var refSpacesRe = regexp.MustCompile(` *\t *| +`)

func refImportTableSep(text, sep string) (rows [][]cell, scalar string, isScalar bool) {
	if text == "" {
		return nil, "", false
	}
	converted := refConvertRegion(text, sep)
	var raw [][]string
	cols := 0
	for _, ln := range splitKeep(converted) {
		r := tableRowCells(ln)
		if r == nil && isRuleLine(ln) {
			continue // an hline: dropped
		}
		raw = append(raw, r)
		cols = max(cols, len(r))
	}
	// org-table-convert-region aligns the table, which gives every row
	// as many cells as the widest (an empty line becomes a row of empty
	// cells); a table of no cells at all aligns to "||", one empty cell.
	if cols == 0 {
		cols = 1
	}
	for _, r := range raw {
		for len(r) < cols {
			r = append(r, "")
		}
		for i := range r {
			v, _, err := readCellNumber(r[i])
			if err != nil {
				// org-babel-import-elisp-from-file catches the reader's
				// error (a cell that opens a string it does not close)
				// and returns nil for the whole output.
				return nil, "", false
			}
			r[i] = v
		}
		rows = append(rows, r)
	}
	if len(rows) == 1 && len(rows[0]) == 1 {
		return nil, rows[0][0], true
	}
	return rows, "", false
}
func refAlignTable(rows [][]cell) []string {
	cols := 0
	var rules []bool
	var plain [][]cell
	for _, r := range rows {
		if isHline(r) {
			rules = append(rules, true)
			continue
		}
		rules = append(rules, false)
		plain = append(plain, r)
		cols = max(cols, len(r))
	}
	all := rows
	rows = plain
	widths := make([]int, cols)
	right := make([]bool, cols)
	shown := make([][]int, len(rows))
	for k, r := range rows {
		shown[k] = rowWidths(nil, r)
	}
	for c := 0; c < cols; c++ {
		w, numbers, nonEmpty := 1, 0, 0
		fixed := ""
		for k, r := range rows {
			v, vw := "", 0
			if c < len(r) {
				v, vw = r[c], shown[k][c]
			}
			w = max(w, vw)
			switch {
			case fixed != "" || v == "":
			case fixedAlignRe.MatchString(v):
				fixed = fixedAlignRe.FindStringSubmatch(v)[1]
			default:
				nonEmpty++
				if numberRe.MatchString(v) {
					numbers++
				}
			}
		}
		widths[c] = w
		switch fixed {
		case "r":
			right[c] = true
		case "":
			right[c] = float64(numbers) >= 0.5*float64(nonEmpty)
		}
	}
	rule := "|"
	for c := 0; c < cols; c++ {
		if c > 0 {
			rule += "+"
		}
		rule += strings.Repeat("-", widths[c]+2)
	}
	rule += "|"
	out := make([]string, 0, len(all))
	k := 0
	for _, isRule := range rules {
		if isRule {
			out = append(out, rule)
			continue
		}
		r := rows[k]
		k++
		var b strings.Builder
		b.WriteByte('|')
		rw := rowWidths(nil, r)
		for c := 0; c < cols; c++ {
			v, vw := "", 0
			if c < len(r) {
				v, vw = r[c], rw[c]
			}
			pad := strings.Repeat(" ", widths[c]-vw)
			b.WriteByte(' ')
			if right[c] {
				b.WriteString(pad)
				b.WriteString(v)
			} else {
				b.WriteString(v)
				b.WriteString(pad)
			}
			b.WriteString(" |")
		}
		out = append(out, b.String())
	}
	return out
}

func refExamplify(body string) string {
	if body == "" {
		return ""
	}
	size := strings.Count(body, "\n")
	if !strings.HasSuffix(body, "\n") {
		size++
	}
	if size < minLinesForBlockOutput {
		var b strings.Builder
		for _, ln := range strings.SplitAfter(body, "\n") {
			if ln == "" {
				continue
			}
			b.WriteString(": ")
			b.WriteString(ln)
		}
		return b.String()
	}
	return "#+begin_example\n" + refEscapeCode(body) + "#+end_example\n"
}
func refEscapeCode(s string) string {
	var b strings.Builder
	for _, ln := range strings.SplitAfter(s, "\n") {
		i := skipBlanks(ln)
		j := i
		for j < len(ln) && ln[j] == ',' {
			j++
		}
		if strings.HasPrefix(ln[j:], "*") || strings.HasPrefix(ln[j:], "#+") {
			b.WriteString(ln[:i])
			b.WriteByte(',')
			b.WriteString(ln[i:])
			continue
		}
		b.WriteString(ln)
	}
	return b.String()
}
func refIndentRigidly(s string, n int, skip bool) string {
	if n <= 0 || skip {
		return s
	}
	var b strings.Builder
	for _, ln := range strings.SplitAfter(s, "\n") {
		if ln == "" {
			continue
		}
		content := strings.TrimSuffix(ln, "\n")
		i := skipBlanks(content)
		if i == len(content) {
			// Blank: its blanks are deleted, nothing indented.
			b.WriteString(ln[len(content):])
			continue
		}
		b.WriteString(indentString(columns(content[:i]) + n))
		b.WriteString(ln[i:])
	}
	return b.String()
}
func refNamedResult(p *parser, name string) (int, bool) {
	var s *scanner
	for k := 0; k < len(p.lines); k++ {
		if p.els.srcAt[k] != 0 {
			continue
		}
		t := p.lines[k].Text
		r := t[skipBlanks(t):]
		if hasPrefixFold(r, "#+BEGIN_") {
			typ := r[len("#+BEGIN_"):]
			if i := strings.IndexAny(typ, " \t"); i >= 0 {
				typ = typ[:i]
			}
			switch strings.ToUpper(typ) {
			case "EXAMPLE", "EXPORT", "COMMENT", "VERSE", "SRC":
				if s == nil {
					s = newScanner(p.lines)
				}
				if end := s.blockEnd(k+1, len(p.lines), typ); end >= 0 {
					k = end
					continue
				}
			}
		}
		if isResultsKeyword(t, name) {
			return k, true
		}
	}
	return 0, false
}
func refSplitVars(v string) []string {
	parts := balancedSplit(v, false)
	var joined []string
	for _, el := range parts {
		if n := len(joined); n > 0 {
			head := joined[n-1]
			if strings.HasSuffix(head, "=") || strings.HasPrefix(el, "=") {
				joined[n-1] = head + el
				continue
			}
		}
		joined = append(joined, el)
	}
	for i := range joined {
		joined[i] = orgTrim(joined[i])
	}
	return joined
}

func refPrint(it pyItem) string {
	if it.isLst && len(it.list) == 0 {
		return "nil" // the empty list, as Emacs prints it
	}
	if it.isLst {
		parts := make([]string, len(it.list))
		for i, x := range it.list {
			parts[i] = refPrintS(x)
		}
		return "(" + strings.Join(parts, " ") + ")"
	}
	if it.sym || it.str {
		return refPrintS(it)
	}
	return it.text
}

func refPrintS(it pyItem) string {
	if it.isLst {
		return refPrint(it)
	}
	if _, ok := lispNumber(it.text); ok || it.none {
		return it.text
	}
	if it.sym {
		return PrintSymbolText(it.text)
	}
	return strconv.Quote(it.text)
}
