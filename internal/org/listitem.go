package org

import (
	"regexp"
	"strings"
)

// listItemText is an item's text as org-list-to-generic writes it under
// :results list: it writes the items as an Org list, parses that again
// and exports it with no markup for counters, checkboxes and tags, so a
// counter ("[@3] "), a checkbox ("[ ] ", "[X] ", "[-] ") and the " :: "
// of a description item ("a :: b" is "ab", the tag being the first
// line up to its last " :: ") go, all read on the item's first line.
// When nothing is left of that line but the tag, the item's contents
// start at its next line that is not blank, joined onto it.
func listItemText(it string) string {
	first, rest, more := strings.Cut(it, "\n")
	if m := listCounterRe.FindStringIndex(first); m != nil {
		first = first[m[1]:]
	}
	if m := listCheckboxRe.FindStringIndex(first); m != nil {
		first = first[m[1]:]
	}
	tag := ""
	if m := listTagRe.FindStringSubmatchIndex(first); m != nil {
		tag, first = strings.TrimRight(first[:m[3]], " \t"), first[m[1]:]
	}
	if !more {
		return tag + first
	}
	if strings.Trim(first, " \t") == "" {
		// The item's contents begin after the blanks and newlines
		// following its bullet, checkbox and tag.
		rest = strings.TrimLeft(rest, " \t\n")
		first, rest, more = strings.Cut(rest, "\n")
		if !more {
			return tag + first
		}
	}
	return tag + first + "\n" + rest
}

// listItemLines is an item's text of several lines as org-list-to-generic
// leaves it: it writes the item's lines followed by a newline (each line
// after the first indented by 2), parses that and keeps the first list,
// exported. Two blank lines in a row (the newline after the item
// counted) end that list: the item is cut before them and ended is set,
// the items after it being lost. The item's trailing blank lines go. Each
// paragraph loses the indentation its lines share (the item's first line
// aside: org-element-normalize-contents); a line that starts with a
// bullet starts a sub-item, exported as an item "- " of its own with the
// more indented lines after it; an example or source block keeps its
// contents, their shared indentation replaced by 2 blanks.
func listItemLines(text string) (_ string, ended bool) {
	if !strings.Contains(text, "\n") {
		return text, false
	}
	lines := strings.Split(text+"\n", "\n")
	lines = lines[:len(lines)-1] // what follows the item's newline
	blanks := 0
	for i, ln := range lines {
		if i > 0 && isBlank(ln) {
			if blanks++; blanks == 2 {
				ended = true
				lines = lines[:i]
				break
			}
			continue
		}
		blanks = 0
	}
	for len(lines) > 1 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(itemContents(lines[0], lines[1:]), "\n"), ended
}

// itemContents are the lines an item's export is made of: its first line
// and then what the lines after it (rest) export to, element by element.
func itemContents(first string, rest []string) []string {
	out := make([]string, 0, 1+len(rest))
	out = append(out, first)
	for i := 0; i < len(rest); {
		ln := rest[i]
		ind := skipBlanks(ln)
		switch {
		case isBlank(ln):
			out = append(out, "")
			i++
		case listBulletRe.MatchString(ln[ind:]):
			// A sub-item: the lines after it more indented than its
			// bullet (blank lines between them) are its own.
			j := i + 1
			for j < len(rest) && (isBlank(rest[j]) || skipBlanks(rest[j]) > ind) {
				j++
			}
			for j > i+1 && isBlank(rest[j-1]) {
				j--
			}
			m := listBulletRe.FindStringIndex(ln[ind:])
			sub := listItemText(strings.Join(append([]string{ln[ind+m[1]:]}, rest[i+1:j]...), "\n"))
			subFirst, subRest, _ := strings.Cut(sub, "\n")
			var subLines []string
			if subRest != "" {
				subLines = strings.Split(subRest, "\n")
			}
			for k, s := range itemContents(subFirst, subLines) {
				if k == 0 {
					s = "- " + s
				}
				out = append(out, s)
			}
			i = j
		case verbatimBlockStart(ln[ind:]) != "":
			j := i + 1
			end := "#+end_" + verbatimBlockStart(ln[ind:])
			// The block ends at its first "#+end_" line of its kind.
			for j < len(rest) && !strings.HasPrefix(strings.ToLower(strings.TrimLeft(rest[j], " \t")), end) {
				j++
			}
			if j == len(rest) {
				// No end line: not a block, a paragraph line.
				out = append(out, dedent(rest[i:i+1])...)
				i++
				continue
			}
			// org-element's interpreter writes the block's keywords in
			// lower case.
			kind := verbatimBlockStart(ln[ind:])
			out = append(out, "#+begin_"+kind+strings.TrimRight(ln[ind+len("#+begin_")+len(kind):], " \t"))
			for _, c := range dedent(rest[i+1 : j]) {
				if !isBlank(c) {
					c = "  " + c
				}
				out = append(out, c)
			}
			out = append(out, "#+end_"+kind)
			i = j + 1
		default:
			// A paragraph: the lines up to a blank one, a bullet or a
			// block.
			j := i + 1
			for j < len(rest) && !isBlank(rest[j]) && !listBulletRe.MatchString(rest[j][skipBlanks(rest[j]):]) && verbatimBlockStart(rest[j][skipBlanks(rest[j]):]) == "" {
				j++
			}
			out = append(out, dedent(rest[i:j])...)
			i = j
		}
	}
	return out
}

// verbatimBlockStart is the kind ("example", "src") of the block whose
// first line (without indentation) is ln, "" when ln starts none.
func verbatimBlockStart(ln string) string {
	l := strings.ToLower(ln)
	for _, kind := range []string{"example", "src"} {
		if strings.HasPrefix(l, "#+begin_"+kind) && (len(l) == len("#+begin_"+kind) || isBlankByte(l[len("#+begin_"+kind)])) {
			return kind
		}
	}
	return ""
}

// dedent is lines without the indentation their non-blank lines share,
// blank lines empty.
func dedent(lines []string) []string {
	least := -1
	for _, ln := range lines {
		if isBlank(ln) {
			continue
		}
		if n := skipBlanks(ln); least < 0 || n < least {
			least = n
		}
	}
	out := make([]string, len(lines))
	for i, ln := range lines {
		if !isBlank(ln) {
			out[i] = ln[least:]
		}
	}
	return out
}

var (
	listBulletRe   = regexp.MustCompile(`^(?:[-+*]|[0-9]+[.)])(?:[ \t]+|$)`)
	listCounterRe  = regexp.MustCompile(`^\[@(?:start:)?(?:[0-9]+|[A-Za-z])\][ \t]*`)
	listCheckboxRe = regexp.MustCompile(`^\[[ X-]\](?:[ \t]+|$)`)
	listTagRe      = regexp.MustCompile(`^(.*)[ \t]+::(?:[ \t]+|$)`)
)
