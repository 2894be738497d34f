package client

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// includeRe matches #+include: "file" [args] and #+setupfile: file.
var (
	includeRe   = regexp.MustCompile(`(?i)^([ \t]*)#\+include:[ \t]*("([^"]+)"|(\S+))(.*)$`)
	setupfileRe = regexp.MustCompile(`(?i)^[ \t]*#\+setupfile:[ \t]*("([^"]+)"|(\S+))[ \t]*$`)
	linesRe     = regexp.MustCompile(`:lines[ \t]+"(\d*)-(\d*)"`)
)

// Resolve reads an Org file and inlines what Emacs would read from other
// files: #+include: (whole files, or :lines "A-B") and #+setupfile: (its
// in-buffer settings), relative to the including file, recursively. The
// server only ever sees one text.
func Resolve(path string) (string, error) {
	return resolve(path, map[string]bool{}, 0)
}

func resolve(path string, active map[string]bool, depth int) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if active[abs] || depth > 20 {
		return "", fmt.Errorf("%s: includes itself", path)
	}
	active[abs] = true
	defer delete(active, abs)
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(abs)
	lines := strings.SplitAfter(string(data), "\n")
	var out strings.Builder
	inBlock := false
	for i, ln := range lines {
		trimmed := strings.ToLower(strings.TrimSpace(ln))
		if strings.HasPrefix(trimmed, "#+begin_") {
			inBlock = true
		} else if strings.HasPrefix(trimmed, "#+end_") {
			inBlock = false
		}
		content := strings.TrimRight(ln, "\n")
		if !inBlock {
			if m := includeRe.FindStringSubmatch(content); m != nil {
				file := m[3] + m[4]
				text, err := resolve(filepath.Join(dir, file), active, depth+1)
				if err != nil {
					return "", fmt.Errorf("%s:%d: #+include: %w", path, i+1, err)
				}
				if lm := linesRe.FindStringSubmatch(m[5]); lm != nil {
					text = selectLines(text, lm[1], lm[2])
				}
				if text != "" && !strings.HasSuffix(text, "\n") {
					text += "\n"
				}
				out.WriteString(text)
				continue
			}
			if m := setupfileRe.FindStringSubmatch(content); m != nil {
				file := m[2] + m[3]
				text, err := resolve(filepath.Join(dir, file), active, depth+1)
				if err != nil {
					return "", fmt.Errorf("%s:%d: #+setupfile: %w", path, i+1, err)
				}
				// Only the in-buffer settings of a setupfile count.
				for _, s := range strings.SplitAfter(text, "\n") {
					if strings.HasPrefix(strings.TrimSpace(s), "#+") {
						out.WriteString(s)
						if !strings.HasSuffix(s, "\n") {
							out.WriteString("\n")
						}
					}
				}
				continue
			}
		}
		out.WriteString(ln)
	}
	return out.String(), nil
}

// selectLines keeps lines A to B-1 (1-based, Org's :lines "A-B").
func selectLines(text, from, to string) string {
	lines := strings.SplitAfter(text, "\n")
	a, b := 1, len(lines)+1
	if n, err := strconv.Atoi(from); err == nil {
		a = n
	}
	if n, err := strconv.Atoi(to); err == nil {
		b = n
	}
	if a < 1 {
		a = 1
	}
	if b > len(lines)+1 {
		b = len(lines) + 1
	}
	if a >= b {
		return ""
	}
	return strings.Join(lines[a-1:b-1], "")
}
