package org

import (
	"strings"
	"testing"
)

// TestDocumentCodings holds the reading of a file's bytes to Emacs 28.2's
// (find-file, insert-file-contents: find-auto-coding, then detection),
// and the saving of the buffer read to save-buffer's
// (select-safe-coding-system: a coding the buffer's cookie names wins),
// each row checked with emacs -Q --batch: buffer-file-coding-system, the
// buffer's text, the bytes saved. A coding Borges cannot read or write as
// Emacs does refuses the document, naming the line and the cookie.
func TestDocumentCodings(t *testing.T) {
	for _, c := range []struct {
		name     string
		in, want string
		enc      Encoding
		saved    string // the bytes saved, "" for in
		err      string
	}{
		{name: "latin-1 cookie", in: "# -*- coding: latin-1 -*-\na \xe9\n", want: "# -*- coding: latin-1 -*-\na é\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "latin-1 cookie, CRLF", in: "# -*- coding: latin-1 -*-\r\na \xe9\r\n", want: "# -*- coding: latin-1 -*-\na é\n", enc: Encoding{Coding: "iso-latin-1", EOL: "\r\n", File: true}},
		{name: "iso-8859-1 cookie", in: "# -*- coding: iso-8859-1 -*-\na \xe9\x85\n", want: "# -*- coding: iso-8859-1 -*-\na é\u0085\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "mode and coding, no blank", in: "# -*- mode: org; coding:latin-1; -*-\na\n", want: "# -*- mode: org; coding:latin-1; -*-\na\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "latin-1-dos forces the line ends", in: "# -*- coding: latin-1-dos -*-\na\nb\r\n", want: "# -*- coding: latin-1-dos -*-\na\nb\n", enc: Encoding{Coding: "iso-latin-1", EOL: "\r\n", File: true},
			saved: "# -*- coding: latin-1-dos -*-\r\na\r\nb\r\n"},
		{name: "latin-1-unix keeps CR", in: "# -*- coding: latin-1-unix -*-\r\na\r\n", want: "# -*- coding: latin-1-unix -*-\r\na\r\n", enc: Encoding{Coding: "iso-latin-1", EOL: "\n", File: true}},
		{name: "after a #! line", in: "#!/bin/sh\n# -*- coding: latin-1 -*-\na \xe9\n", want: "#!/bin/sh\n# -*- coding: latin-1 -*-\na é\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "second line is no cookie", in: "x\n# -*- coding: latin-1 -*-\na\n", want: "x\n# -*- coding: latin-1 -*-\na\n"},
		{name: "local variables", in: "a \xe9\n\n# Local Variables:\n# coding: latin-1\n# End:\n", want: "a é\n\n# Local Variables:\n# coding: latin-1\n# End:\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "local variables, prefix and suffix", in: "a\n\n;;; Local Variables: ***\n;;; coding: latin-1 ***\n;;; End: ***\n", want: "a\n\n;;; Local Variables: ***\n;;; coding: latin-1 ***\n;;; End: ***\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "local variables, CRLF", in: "a\r\n\r\n# Local Variables:\r\n# coding: latin-1\r\n# End:\r\n", want: "a\n\n# Local Variables:\n# coding: latin-1\n# End:\n", enc: Encoding{Coding: "iso-latin-1", EOL: "\r\n", File: true}},
		{name: "local variables before a page", in: "a\n\n# Local Variables:\n# mode: org\n# coding: latin-1\n# End:\n\f\nmore\n", want: "a\n\n# Local Variables:\n# mode: org\n# coding: latin-1\n# End:\n\f\nmore\n"},
		{name: "local variables far from the end", in: "# Local Variables:\n# coding: latin-1\n# End:\n" + strings.Repeat("b", 4000) + "\n", want: "# Local Variables:\n# coding: latin-1\n# End:\n" + strings.Repeat("b", 4000) + "\n"},
		{name: "local variables near the end of a long file", in: "a\n" + strings.Repeat("b", 4000) + "\n# Local Variables:\n# coding: latin-1\n# End:\n", want: "a\n" + strings.Repeat("b", 4000) + "\n# Local Variables:\n# coding: latin-1\n# End:\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "utf-8-with-signature cookie", in: "# -*- coding: utf-8-with-signature -*-\na \xc3\xa9\n", want: "# -*- coding: utf-8-with-signature -*-\na é\n", enc: Encoding{BOM: true, File: true},
			saved: "\ufeff# -*- coding: utf-8-with-signature -*-\na \xc3\xa9\n"},
		{name: "utf-8-with-signature cookie, CRLF", in: "# -*- coding: utf-8-with-signature -*-\r\na\r\n", want: "# -*- coding: utf-8-with-signature -*-\na\n", enc: Encoding{BOM: true, EOL: "\r\n", File: true},
			saved: "\ufeff# -*- coding: utf-8-with-signature -*-\r\na\r\n"},
		// The BOM wins reading (auto-coding-regexp-alist), the
		// cookie saving (select-safe-coding-system).
		{name: "BOM and a latin-1 cookie", in: "\ufeff# -*- coding: latin-1 -*-\na \xc3\xa9\n", want: "# -*- coding: latin-1 -*-\na é\n", enc: Encoding{BOM: true, File: true},
			saved: "# -*- coding: latin-1 -*-\na \xe9\n"},
		{name: "BOM and a utf-8-unix cookie", in: "\ufeff# -*- coding: utf-8-unix -*-\r\na\r\n", want: "# -*- coding: utf-8-unix -*-\na\n", enc: Encoding{BOM: true, EOL: "\r\n", File: true},
			saved: "# -*- coding: utf-8-unix -*-\na\n"},
		{name: "BOM and a utf-8 cookie", in: "\ufeff# -*- coding: utf-8 -*-\na\n", want: "# -*- coding: utf-8 -*-\na\n", enc: Encoding{BOM: true, File: true},
			saved: "# -*- coding: utf-8 -*-\na\n"},
		{name: "us-ascii cookie", in: "# -*- coding: us-ascii -*-\na\n", want: "# -*- coding: us-ascii -*-\na\n", enc: Encoding{Coding: "us-ascii", File: true}},
		// ESC before the first line end: detection reads the file as
		// utf-8-unix, its CRs kept; after it, as any.
		{name: "ESC before the first CRLF", in: "a \x1b[31mred\r\nb\r\n", want: "a \x1b[31mred\r\nb\r\n"},
		{name: "ESC before the first CR", in: "a\x1b\rb\r", want: "a\x1b\rb\r"},
		{name: "ESC after the first CRLF", in: "a\r\n\x1b[1m\r\nb\r\n", want: "a\n\x1b[1m\nb\n", enc: Encoding{EOL: "\r\n", File: true}},
		{name: "ESC and UTF-8 before the first CRLF", in: "\xc3\xa9 \x1b[1m\r\nb\r\n", want: "é \x1b[1m\r\nb\r\n"},
		{name: "ESC with a utf-8 cookie", in: "# -*- coding: utf-8 -*- \x1b[1m\r\na\r\n", want: "# -*- coding: utf-8 -*- \x1b[1m\na\n", enc: Encoding{EOL: "\r\n", File: true}},
		{name: "ESC with a BOM", in: "\ufeffa \x1b[1m\r\nb\r\n", want: "a \x1b[1m\nb\n", enc: Encoding{BOM: true, EOL: "\r\n", File: true}},
		{name: "ESC with a latin-1 cookie in local variables, mixed line ends", in: "a \x1b[1m\r\nb\r\n\n# Local Variables:\r\n# coding: latin-1\r\n# End:\r\n", want: "a \x1b[1m\r\nb\r\n\n# Local Variables:\r\n# coding: latin-1\r\n# End:\r\n", enc: Encoding{Coding: "iso-latin-1", File: true}},
		{name: "OSC before the first CRLF", in: "a \x1b]0;t\x07\r\nb\r\n", want: "a \x1b]0;t\x07\r\nb\r\n"},
		{name: "ESC last, after the first CRLF", in: "a\r\nb \x1b", want: "a\nb \x1b", enc: Encoding{EOL: "\r\n", File: true}},
		// A cookie's coding decodes a file holding a NUL, which
		// detection alone reads as it is.
		{name: "NUL with a utf-8 cookie", in: "# -*- coding: utf-8 -*-\r\na\x00\r\n", want: "# -*- coding: utf-8 -*-\na\x00\n", enc: Encoding{EOL: "\r\n", File: true}},
		{name: "NUL with a latin-1 cookie", in: "# -*- coding: latin-1 -*-\r\na\x00\xe9\r\n", want: "# -*- coding: latin-1 -*-\na\x00é\n", enc: Encoding{Coding: "iso-latin-1", EOL: "\r\n", File: true}},
		// Refused: what Emacs reads otherwise, or cannot save.
		{name: "ISO-2022 escape", in: "a \x1b$B\r\nb\r\n", err: "line 1: an ESC byte not of a terminal's escape sequence (ESC $)"},
		{name: "cp1252 cookie", in: "# -*- coding: cp1252 -*-\na \x80\n", err: `line 1: the coding cookie "coding: cp1252"`},
		{name: "unknown coding", in: "# -*- coding: nosuchcoding -*-\na\n", err: `line 1: the coding cookie "coding: nosuchcoding"`},
		{name: "upper case coding", in: "# -*- Coding: LATIN-1 -*-\na\n", err: `line 1: the coding cookie "Coding: LATIN-1"`},
		{name: "cookie in local variables", in: "a\n\n# Local Variables:\n# coding: cp1252\n# End:\n", err: `line 4: the coding cookie "coding: cp1252"`},
		{name: "cookie of a Mac file", in: "#!/bin/sh\r# -*- coding: cp1252 -*-\ra\n", err: `line 2: the coding cookie "coding: cp1252"`},
		{name: "UTF-16 BOM", in: "\xff\xfea\x00", err: "line 1: a UTF-16 byte order mark"},
		{name: "us-ascii cookie, a byte past ASCII", in: "# -*- coding: us-ascii -*-\na \xe9\n", err: `line 2: a byte past ASCII (0xe9) in a file whose coding cookie "coding: us-ascii" names us-ascii`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, enc, err := DocumentText(c.in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("DocumentText(%q): error %v, want one holding %q", c.in, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DocumentText(%q): %v", c.in, err)
			}
			if c.enc == (Encoding{}) {
				c.enc.File = true
			}
			if got != c.want || enc != c.enc {
				t.Fatalf("DocumentText(%q) = %q, %+v; want %q, %+v", c.in, got, enc, c.want, c.enc)
			}
			want := c.saved
			if want == "" {
				want = c.in
			}
			if back, err := enc.Encode(got); err != nil || back != want {
				t.Errorf("saved as %q (%v), want %q", back, err, want)
			}
		})
	}
}

// TestEncodingSavesCodings holds Encode to save-buffer of a buffer read in
// a coding, results added: what the coding cannot hold makes Emacs ask
// which coding to save in (select-safe-coding-system; in batch, an
// end-of-file error and nothing saved), so Borges gives no document back.
func TestEncodingSavesCodings(t *testing.T) {
	for _, c := range []struct {
		enc      Encoding
		in, want string
		err      string
	}{
		{Encoding{Coding: "iso-latin-1", File: true}, "# -*- coding: latin-1 -*-\na é\n\n#+RESULTS:\n: é\n", "# -*- coding: latin-1 -*-\na \xe9\n\n#+RESULTS:\n: \xe9\n", ""},
		{Encoding{Coding: "iso-latin-1", EOL: "\r\n"}, "# -*- coding: latin-1 -*-\na\n: é\n", "# -*- coding: latin-1 -*-\r\na\r\n: \xe9\r\n", ""},
		{Encoding{Coding: "iso-latin-1"}, "# -*- coding: latin-1 -*-\na\n\n#+RESULTS:\n: 5 €\n", "", "line 5: the character € cannot be saved in iso-latin-1"},
		{Encoding{Coding: "us-ascii"}, "# -*- coding: us-ascii -*-\na\n: é\n", "", "line 3: the character é cannot be saved in us-ascii"},
		// A cookie the results add at the end names the coding Emacs
		// saves in; a buffer's text (decoded=1) is given back as it
		// is.
		{Encoding{}, "a\n: é\n\n# Local Variables:\n# coding: latin-1\n# End:\n", "a\n: é\n\n# Local Variables:\n# coding: latin-1\n# End:\n", ""},
		{Encoding{File: true}, "a\n: é\n\n# Local Variables:\n# coding: latin-1\n# End:\n", "a\n: \xe9\n\n# Local Variables:\n# coding: latin-1\n# End:\n", ""},
		{Encoding{File: true}, "a\n\n# Local Variables:\n# coding: cp1252\n# End:\n", "", `line 4: the coding cookie "coding: cp1252"`},
	} {
		got, err := c.enc.Encode(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v.Encode(%q): error %v, want one holding %q", c.enc, c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%+v.Encode(%q) = %q (%v), want %q", c.enc, c.in, got, err, c.want)
		}
	}
}

// TestLocalVariablesNonUTF8: a Local Variables list whose prefix or
// suffix holds a byte that is not UTF-8 (a Latin-1 file's é) is read as
// Emacs reads it, byte for byte; it once made the reading of the list
// build a regular expression of those bytes, which Go refuses (a panic).
func TestLocalVariablesNonUTF8(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"prefix", "\xe9 x\n\xe9 Local Variables:\n\xe9 coding: latin-1\n\xe9 End:\n", "é x\né Local Variables:\né coding: latin-1\né End:\n"},
		{"suffix", "x\n# Local Variables: \xe9\n# coding: latin-1 \xe9\n# End: \xe9\n", "x\n# Local Variables: é\n# coding: latin-1 é\n# End: é\n"},
		{"suffix glued to the name", "x\n# Local Variables: \xe9\n# coding: latin-1\xe9\n# End: \xe9\n", "x\n# Local Variables: é\n# coding: latin-1é\n# End: é\n"},
		{"prefix in upper case", "x\n;; Local Variables:\n;; CODING: latin-1\n;; end:\n\xe9\n", "x\n;; Local Variables:\n;; CODING: latin-1\n;; end:\né\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, enc, err := DocumentText(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want || enc.Coding != "iso-latin-1" {
				t.Fatalf("read %q (%+v), want %q in iso-latin-1", got, enc, c.want)
			}
		})
	}
}

// FuzzDocumentText: any bytes are read without a panic, and a document
// read is given back without one (what the reading keeps, the saving
// writes).
func FuzzDocumentText(f *testing.F) {
	for _, s := range []string{
		"# -*- coding: latin-1 -*-\na \xe9\n",
		"\xe9 x\n\xe9 Local Variables:\n\xe9 coding: latin-1\n\xe9 End:\n",
		"a\r\n\r\n# Local Variables:\r\n# coding: latin-1\r\n# End:\r\n",
		"\ufeff# -*- coding: utf-8 -*-\na\n",
		"a \x1b[31mred\r\nb\r\n",
		"#!/bin/sh\n# -*- coding: us-ascii -*-\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		text, enc, err := DocumentText(in)
		if err != nil {
			return
		}
		_, _ = enc.Encode(text)
	})
}
