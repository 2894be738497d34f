package org

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is what Org's export machinery does to the links in a table
// result's cells: org-babel-insert-result prints a table with
// orgtbl-to-orgtbl, which exports it with the org back-end, and ox-org's
// org-org-link gives a link whose type has an :export function
// (org-export-custom-protocol-maybe) what that function returns for the
// back-end org. In emacs -Q with Org 9.5.5 loaded, those types are doi,
// docview, bbdb, info and irc; info's and irc's give nil for org (the
// link stays as written), so three rewrite:
//
//   - doi: org-link-doi-server-url and the path, the description dropped;
//   - docview: the path (before any "::") expanded in default-directory
//     (the block's :dir, else the document's directory);
//   - bbdb: the description, when there is one.
//
// A link in verbatim or code markup (=…=, ~…~) is no link. Any other link
// type, bracket, angle or plain, stays as it is.

// doiServerURL is org-link-doi-server-url's default.
const doiServerURL = "https://doi.org/"

// exportTypes are the link types rewritten, as a regexp alternation.
const exportTypes = `doi|docview|bbdb`

// exportLinkRe finds a bracket link of any type (group 1 its target,
// group 2 its description; one of another type is skipped whole), an
// angle link of an exported type (groups 3, 4: type and path), or a plain
// one (groups 5, 6), as org-link-plain-re: the path ends with a word
// character, a "/" or a parenthesized word.
var exportLinkRe = regexp.MustCompile(bracketLinkRe.String() +
	`|<(` + exportTypes + `):([^>\n]*)>` +
	`|(` + exportTypes + `):([^\]\[ \t\n()<>]+(?:\([\pL\pN_]+\)|[^[:punct:] \t\n]|/))`)

// exportedLinks rewrites the links of each cell of rows as orgtbl-to-orgtbl
// exports them (see above), dir being default-directory when the block
// runs (see linkDir); changed is false (rows returned as they are) when
// no cell has such a link.
func exportedLinks(rows [][]string, dir, home string) (out [][]string, changed bool) {
	for i, r := range rows {
		for j, c := range r {
			e, ok := exportedCell(c, dir, home)
			if !ok {
				continue
			}
			if out == nil {
				out = make([][]string, len(rows))
				copy(out, rows)
			}
			if &out[i][0] == &rows[i][0] {
				out[i] = append([]string(nil), r...)
			}
			out[i][j] = e
		}
	}
	if out == nil {
		return rows, false
	}
	return out, true
}

// withExportedLinks is v with its table's cells' links exported (see
// exportedLinks).
func (v babelValue) withExportedLinks(dir, home string) babelValue {
	if v.kind != valueTable || v.text != nil && !mayLink(v.text.text) {
		// A table read from text (often large) is only made rows
		// when its text may hold such a link.
		return v
	}
	rows, changed := exportedLinks(v.rows(), dir, home)
	if !changed {
		return v
	}
	v.text, v.table = nil, rows
	return v
}

// exportedCell is one cell's text with its links exported; ok is false
// when none changes.
func exportedCell(c, dir, home string) (string, bool) {
	if !mayLink(c) {
		return c, false
	}
	verbatim := verbatimRanges(c)
	var b strings.Builder
	last := 0
	changed := false
	for _, m := range exportLinkRe.FindAllStringSubmatchIndex(c, -1) {
		if inRanges(verbatim, m[0]) {
			continue
		}
		var typ, path, desc string
		hasDesc := false
		switch {
		case m[2] >= 0:
			target := c[m[2]:m[3]]
			k := strings.IndexByte(target, ':')
			if k < 0 {
				continue
			}
			typ, path = target[:k], target[k+1:]
			if m[4] >= 0 {
				desc, hasDesc = c[m[4]:m[5]], true
			}
		case m[6] >= 0:
			typ, path = c[m[6]:m[7]], c[m[8]:m[9]]
		default:
			if m[10] > 0 {
				// org-link-plain-re's "\<": the type starts a word.
				if r, _ := utf8.DecodeLastRuneInString(c[:m[10]]); unicode.IsLetter(r) || unicode.IsDigit(r) {
					continue
				}
			}
			typ, path = c[m[10]:m[11]], c[m[12]:m[13]]
		}
		e, ok := exportLink(typ, path, desc, hasDesc, dir, home)
		if !ok {
			continue
		}
		b.WriteString(c[last:m[0]])
		b.WriteString(e)
		last = m[1]
		changed = true
	}
	if !changed {
		return c, false
	}
	b.WriteString(c[last:])
	return b.String(), true
}

// exportLink is the :export function of a link of type typ for the
// back-end org; ok is false when the link stays as written.
func exportLink(typ, path, desc string, hasDesc bool, dir, home string) (string, bool) {
	switch typ {
	case "doi":
		return doiServerURL + path, true
	case "docview":
		// org-docview-export: the path before "::" ("\\(.+\\)::.+",
		// the last "::" with something after it), expanded.
		for k := len(path) - 3; k > 0; k-- {
			if path[k:k+2] == "::" {
				path = path[:k]
				break
			}
		}
		if strings.HasPrefix(path, "~") && home == "" || !strings.HasPrefix(path, "~") && !strings.HasPrefix(path, "/") && dir == "" {
			return "", false // where it expands is not known
		}
		return expandFileName(path, dir, home), true
	case "bbdb":
		if !hasDesc {
			return "", false
		}
		if desc == "bbdb:"+path {
			desc = path
		}
		return desc, true
	}
	return "", false
}

// mayLink reports whether s may hold a link exportedCell rewrites.
func mayLink(s string) bool {
	return strings.Contains(s, "doi:") || strings.Contains(s, "docview:") || strings.Contains(s, "bbdb:")
}

// verbatimRanges are the byte ranges of cell c in verbatim or code markup
// (as shownWidth finds them).
func verbatimRanges(c string) [][2]int {
	var shown [][2]int
	row := " " + c + " "
	for _, q := range emphasisStartRe.FindAllStringSubmatchIndex(row, -1) {
		re := verbatimRe[row[q[2]]]
		if re == nil {
			continue
		}
		if m := re.FindStringSubmatchIndex(row[q[0]:]); m != nil {
			shown = append(shown, [2]int{q[0] + m[2] - 1, q[0] + m[3] - 1})
		}
	}
	return shown
}

// linkDir is default-directory when block b runs, as text: its :dir
// expanded in the document's directory, else that directory; "" when it
// is not known: a :dir relative to the document's directory, or none,
// where that directory is not known (v.Dir), or a "~" in :dir that
// v.Home does not resolve. An absolute :dir needs no document's
// directory.
func linkDir(b *Block, v Visit) string {
	dir, _ := b.Args.Get("dir")
	absolute := strings.HasPrefix(dir, "/") || strings.HasPrefix(dir, "~")
	if v.Dir == "" && !absolute || !v.expands(dir) {
		return ""
	}
	docDir := "/"
	if v.Dir != "" {
		docDir = asDirectory(expandFileName(v.Dir, "/", ""))
	}
	if dir == "" {
		return docDir
	}
	return asDirectory(expandFileName(dir, docDir, v.Home))
}
