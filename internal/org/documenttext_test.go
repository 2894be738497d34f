package org

import (
	"strings"
	"testing"
)

// TestDocumentText holds the reading of a submitted document to Emacs's
// reading of its file (insert-file-contents): a UTF-8 BOM at its start
// dropped, line ends decoded where every one is CRLF or every one a lone
// CR; a document of mixed line ends, or holding a NUL, as it is.
func TestDocumentText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"#+begin_src sh\r\necho a\r\n#+end_src\r\n", "#+begin_src sh\necho a\n#+end_src\n"},
		{"\ufeff#+begin_src sh\necho a\n#+end_src\n", "#+begin_src sh\necho a\n#+end_src\n"},
		{"\ufeff* h\r\ntext\r\n", "* h\ntext\n"},
		{"a\r\nb\nc\r\n", "a\r\nb\nc\r\n"},
		{"a\rb\r", "a\nb\n"},
		{"a\r\nb", "a\nb"},
		{"x\ufeff\n", "x\ufeff\n"},
		{"\ufeff", ""},
		{"a\x00\r\nb\r\n", "a\x00\r\nb\r\n"},
		// A BOM is found before a NUL makes it no-conversion.
		{"\ufeffa\x00\n", "a\x00\n"},
		{"\ufeffa\x00\r\nb\r\n", "a\x00\nb\n"},
		{"", ""},
		// A coding cookie naming the line ends is followed
		// (find-auto-coding), whatever the file's line ends.
		{"# -*- coding: utf-8-unix -*-\r\n#+begin_src sh\r\n", "# -*- coding: utf-8-unix -*-\r\n#+begin_src sh\r\n"},
		{"# -*- mode: org; coding: utf-8-dos -*-\r\na\nb\r\r\n", "# -*- mode: org; coding: utf-8-dos -*-\na\nb\r\n"},
		{"#!/bin/sh\r# -*- coding:latin-1-mac -*-\ra\n", "#!/bin/sh\n# -*- coding:latin-1-mac -*-\na\n"},
		{"# -*- coding: utf-8 -*-\r\na\r\n", "# -*- coding: utf-8 -*-\na\n"},
	} {
		got, enc, err := DocumentText(c.in)
		if err != nil {
			t.Errorf("DocumentText(%q): %v", c.in, err)
		}
		if got != c.want {
			t.Errorf("DocumentText(%q) = %q, want %q", c.in, got, c.want)
		}
		// Saved again, the buffer is the file (Emacs keeps its
		// coding system), but for a NUL (no-conversion).
		if back, _ := enc.Encode(got); back != c.in && !strings.Contains(c.in, "\x00") && !strings.Contains(c.in, "coding:") {
			t.Errorf("DocumentText(%q) found %+v, which saves %q", c.in, enc, back)
		}
	}
}

// TestEncodingSaves holds Encode to Emacs 28.2's save-buffer of the
// buffers read from such files, results added (a reviewer's check).
func TestEncodingSaves(t *testing.T) {
	for _, c := range []struct {
		enc      Encoding
		in, want string
	}{
		{Encoding{BOM: true, EOL: "\r\n"}, "#+end_src\n\n#+RESULTS:\n: dos\n", "\ufeff#+end_src\r\n\r\n#+RESULTS:\r\n: dos\r\n"},
		{Encoding{EOL: "\r"}, "#+end_src\n\n#+RESULTS:\n: mac\n", "#+end_src\r\r#+RESULTS:\r: mac\r"},
		{Encoding{EOL: "\r\n"}, "a\r\nb\n", "a\r\r\nb\r\n"},
		{Encoding{}, "a\nb\n", "a\nb\n"},
	} {
		if got, err := c.enc.Encode(c.in); err != nil || got != c.want {
			t.Errorf("%+v.Encode(%q) = %q, want %q", c.enc, c.in, got, c.want)
		}
	}
}
