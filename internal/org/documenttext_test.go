package org

import "testing"

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
		{"\ufeffa\x00\n", "\ufeffa\x00\n"},
		{"", ""},
	} {
		if got := DocumentText(c.in); got != c.want {
			t.Errorf("DocumentText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
