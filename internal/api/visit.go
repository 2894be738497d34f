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

// decodedSubmitter is a Service that takes a document's text decoded
// already and how its file holds it (*engine.Engine): see parseDecoded.
type decodedSubmitter interface {
	SubmitDecoded(ctx context.Context, text string, visit org.Visit, enc org.Encoding) (*engine.DocumentView, error)
}

// resultTexter is a Service that gives the results document as Emacs's
// buffer holds it (*engine.Engine), for the page's rendering.
type resultTexter interface {
	ResultText(ctx context.Context, id string) (string, error)
}

// parseDecoded reads POST /org's decoded, eol and bom. Without decoded
// the body is the file's bytes: the server reads it as Emacs reads the
// file (a BOM dropped, CRLF or CR line ends decoded) and gives the
// document back encoded as it found it. decoded=1 says the body is text
// as Emacs reads it already (an Emacs buffer's, or a file its sender
// decoded), not decoded again, since decoding twice may change it; eol
// (lf, crlf or cr, lf if not given), bom=1 and coding (utf-8, the
// default, iso-latin-1 or us-ascii) then say how the document is given
// back. ok is whether decoded=1 was given.
func parseDecoded(r *http.Request) (enc org.Encoding, ok bool, err error) {
	q := r.URL.Query()
	for _, name := range []string{"decoded", "eol", "bom", "coding"} {
		if len(q[name]) > 1 {
			return enc, false, fmt.Errorf("%w: %s given %d times", errBadRequest, name, len(q[name]))
		}
	}
	switch d := q.Get("decoded"); d {
	case "1", "true":
		ok = true
	case "", "0", "false":
		if q.Has("eol") || q.Has("bom") || q.Has("coding") {
			return enc, false, fmt.Errorf("%w: eol, bom and coding are only for a document sent decoded=1 (the server finds them in a file's bytes)", errBadRequest)
		}
		return enc, false, nil
	default:
		return enc, false, fmt.Errorf("%w: decoded must be 1 or 0, not %q", errBadRequest, d)
	}
	switch eol := q.Get("eol"); eol {
	case "", "lf":
	case "crlf":
		enc.EOL = "\r\n"
	case "cr":
		enc.EOL = "\r"
	default:
		return enc, false, fmt.Errorf("%w: eol must be lf, crlf or cr, not %q", errBadRequest, eol)
	}
	switch bom := q.Get("bom"); bom {
	case "", "0", "false":
	case "1", "true":
		enc.BOM = true
	default:
		return enc, false, fmt.Errorf("%w: bom must be 1 or 0, not %q", errBadRequest, bom)
	}
	switch coding := q.Get("coding"); coding {
	case "", "utf-8":
	case "iso-latin-1", "latin-1", "iso-8859-1":
		enc.Coding = "iso-latin-1"
	case "us-ascii":
		enc.Coding = "us-ascii"
	default:
		return enc, false, fmt.Errorf("%w: coding must be utf-8, iso-latin-1 or us-ascii, not %q", errBadRequest, coding)
	}
	// A file's encoding said (borges submit): saved as Emacs saves
	// the file; a buffer's text alone is given back as it is.
	enc.File = q.Has("eol") || q.Has("bom") || q.Has("coding")
	if enc.BOM && enc.Coding != "" {
		return enc, false, fmt.Errorf("%w: bom=1 is for utf-8 only, not coding %s", errBadRequest, enc.Coding)
	}
	return enc, true, nil
}
