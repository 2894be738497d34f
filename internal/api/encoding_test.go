package api

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestDocumentGivenBackEncoded: GET /org/ID.org gives the document back
// as Emacs saves the file it was read from (its BOM, its CRLF or CR line
// ends), decoding exactly once: a file's bytes by the server, text sent
// decoded=1 (an Emacs buffer's, a file borges submit decoded) never
// again. Failed first: a DOS file with a BOM came back with LF line ends
// and no BOM; a buffer's "\ufeff\ufeff" and CR CR LF were decoded again.
func TestDocumentGivenBackEncoded(t *testing.T) {
	e := engine.New(engine.Config{Backend: &stoppingBackend{}})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(e, Options{})
	for _, c := range []struct {
		query, body, want string
		decodedHTML       bool
	}{
		// A file's bytes: decoded by the server, given back as sent.
		{"", "\ufeff* h\r\ntext\r\n", "\ufeff* h\r\ntext\r\n", true},
		{"", "* mac\rtext\r", "* mac\rtext\r", true},
		{"", "\ufeff\ufeff* h\r\n", "\ufeff\ufeff* h\r\n", false},
		// A buffer's text: as it is, given back undecorated.
		{"?decoded=1", "\ufeff* h\r\n", "\ufeff* h\r\n", false},
		{"?decoded=1", "* h\ntext\r\r\n", "* h\ntext\r\r\n", false},
		// A file borges submit decoded, with its encoding.
		{"?decoded=1&eol=crlf&bom=1", "* h\ntext\r\n", "\ufeff* h\r\ntext\r\r\n", true},
		{"?decoded=1&eol=cr", "* h\ntext\n", "* h\rtext\r", true},
		// A coding cookie's: decoded as Emacs decodes the file,
		// given back in the bytes Emacs saves (Latin-1; a cookie
		// saving over a BOM).
		{"", "# -*- coding: latin-1 -*-\n* caf\xe9\n", "# -*- coding: latin-1 -*-\n* caf\xe9\n", true},
		{"", "# -*- coding: latin-1 -*-\r\n* caf\xe9\r\n", "# -*- coding: latin-1 -*-\r\n* caf\xe9\r\n", true},
		{"", "* caf\xe9\n\n# Local Variables:\n# coding: iso-8859-1\n# End:\n", "* caf\xe9\n\n# Local Variables:\n# coding: iso-8859-1\n# End:\n", true},
		{"", "# -*- coding: utf-8-with-signature -*-\n* h\n", "\ufeff# -*- coding: utf-8-with-signature -*-\n* h\n", true},
		{"", "\ufeff# -*- coding: utf-8 -*-\r\n* h\r\n", "# -*- coding: utf-8 -*-\r\n* h\r\n", true},
		{"", "\ufeff# -*- coding: latin-1 -*-\n* caf\u00e9\n", "# -*- coding: latin-1 -*-\n* caf\xe9\n", true},
		{"", "* a \x1b[1mbold\x1b[0m\r\n", "* a \x1b[1mbold\x1b[0m\r\n", false},
		{"?decoded=1&coding=iso-latin-1", "# -*- coding: latin-1 -*-\n* caf\u00e9\n", "# -*- coding: latin-1 -*-\n* caf\xe9\n", true},
	} {
		w := do(t, h, "POST", "/org"+c.query, c.body)
		if w.Code != 201 {
			t.Fatalf("POST %q: %d %s", c.query, w.Code, w.Body)
		}
		id := strings.TrimPrefix(w.Header().Get("Location"), "/org/")
		if got := do(t, h, "GET", "/org/"+id+".org", "").Body.String(); got != c.want {
			t.Errorf("POST /org%s %q, then GET: %q, want %q", c.query, c.body, got, c.want)
		}
		// The page renders the buffer's text (decoded): no line
		// end or BOM of the file's in it.
		if got := do(t, h, "GET", "/org/"+id+"/html", "").Body.String(); c.decodedHTML && strings.ContainsAny(got, "\r\ufeff") {
			t.Errorf("POST /org%s %q: rendered %q, from the file's text", c.query, c.body, got)
		}
	}
	// A coding Borges does not read as Emacs does: refused, naming
	// the line and the cookie.
	for _, c := range []struct{ body, want string }{
		{"# -*- coding: cp1252 -*-\n* h\x80\n", `line 1: the coding cookie "coding: cp1252"`},
		{"* h\n\n# Local Variables:\n# coding: euc-jp\n# End:\n", `line 4: the coding cookie "coding: euc-jp"`},
		{"* a \x1b$B\r\n", "line 1: an ESC byte not of a terminal's escape sequence (ESC $)"},
	} {
		if w := do(t, h, "POST", "/org", c.body); w.Code != 400 || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("POST /org %q: %d %s, want 400 (a document rejected) saying %s", c.body, w.Code, w.Body, c.want)
		}
	}
	for _, q := range []string{"?eol=crlf", "?bom=1", "?coding=iso-latin-1", "?decoded=1&coding=cp1252", "?decoded=1&coding=latin-1&bom=1", "?decoded=2", "?decoded=1&eol=dos", "?decoded=1&bom=yes", "?decoded=1&decoded=1"} {
		if w := do(t, h, "POST", "/org"+q, "* h\n"); w.Code != 400 {
			t.Errorf("POST /org%s: %d %s, want 400", q, w.Code, w.Body)
		}
	}
}
