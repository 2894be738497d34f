package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
)

// visitSubmitter is a Service that takes where the sender visits a
// document (*engine.Engine): its :results file links are then made as
// Emacs makes them in a buffer visiting it there.
type visitSubmitter interface {
	SubmitFrom(ctx context.Context, text string, visit org.Visit) (*engine.DocumentView, error)
}

// maxVisitPath is the longest dir or home a submission may give, in bytes
// (Linux's PATH_MAX).
const maxVisitPath = 4096

// parseVisit reads POST /org's dir (the directory of the sender's
// document file) and home (the directory "~" stands for there). They are
// only text for making links, never a path the server reads or writes:
// each must be absolute, at most maxVisitPath bytes of UTF-8 without
// control characters (a NUL, a newline, which would end the link's
// line), and given once.
func parseVisit(r *http.Request) (org.Visit, error) {
	var v org.Visit
	q := r.URL.Query()
	for _, p := range []struct {
		name string
		to   *string
	}{{"dir", &v.Dir}, {"home", &v.Home}} {
		vals := q[p.name]
		if len(vals) == 0 {
			continue
		}
		if len(vals) > 1 {
			return v, fmt.Errorf("%w: %s given %d times", errBadRequest, p.name, len(vals))
		}
		if err := checkVisitPath(vals[0]); err != nil {
			return v, fmt.Errorf("%w: %s: %v", errBadRequest, p.name, err)
		}
		*p.to = vals[0]
	}
	return v, nil
}

func checkVisitPath(p string) error {
	switch {
	case len(p) > maxVisitPath:
		return fmt.Errorf("longer than %d bytes", maxVisitPath)
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q is not an absolute path", p)
	case !utf8.ValidString(p):
		return fmt.Errorf("not UTF-8")
	case strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return fmt.Errorf("%q holds a control character", p)
	}
	return nil
}
