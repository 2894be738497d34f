package plan

import "testing"

// TestShiftRightStringsAcrossLines: a line that starts inside a string
// (python-syntax-context 'string at its start) keeps its indentation,
// whatever quotes opened it: a triple-quoted string, a one-quote string
// continued by a backslash, or one left open at the line's end (Emacs's
// syntax tables do not end a string at a newline).
func TestShiftRightStringsAcrossLines(t *testing.T) {
	cases := []struct{ body, want string }{
		{"x = \"a \\\nb\"\nreturn x", "    x = \"a \\\nb\"\n    return x"},
		{"x = 'a \\\nb'\nreturn x", "    x = 'a \\\nb'\n    return x"},
		{"x = \"abc\ny = 1", "    x = \"abc\ny = 1"},
		{"x = f\"{1}\\\ny\"\nz", "    x = f\"{1}\\\ny\"\n    z"},
		{"x = r\"a\\\"b\ny", "    x = r\"a\\\"b\ny"},
		{"# \"abc\ny", "    # \"abc\n    y"},
		{"x = \"\"\"a\"\ny\"\"\"\nz", "    x = \"\"\"a\"\ny\"\"\"\n    z"},
		{"s = 'it''s'\nt", "    s = 'it''s'\n    t"},
		{"a = \"q\" + '\\\n'\nb", "    a = \"q\" + '\\\n'\n    b"},
		// python-syntax-propertize-function matches any three quotes
		// in the raw text: a string's closing quote and two more are a
		// close, a new string and a string fence, ignored inside it.
		{"x = \"a\"\"\"\nreturn x", "    x = \"a\"\"\"\nreturn x"},
		{"x = \"a\"\"\"\ny\"\"\"\nz", "    x = \"a\"\"\"\ny\"\"\"\nz"},
		{"x = 'a'''\nreturn x", "    x = 'a'''\nreturn x"},
		{"x = \"a\"\"\"\"\ny\nz", "    x = \"a\"\"\"\"\n    y\n    z"},
		{"x = \"\"\"\"\ny\nz", "    x = \"\"\"\"\ny\nz"},
		{"x = '''a\"\"\"\nb'''\nc", "    x = '''a\"\"\"\nb'''\n    c"},
		{"x = \"\"\"a\\\"\"\"\nb\"\"\"\nc", "    x = \"\"\"a\\\"\"\"\nb\"\"\"\n    c"},
		{"x = \"\\\"\"\"\nb\nc", "    x = \"\\\"\"\"\nb\nc"},
		{"x = 'a\"\"\"'\nb\nc", "    x = 'a\"\"\"'\n    b\n    c"},
		// A backslash escapes a quote outside strings too.
		{"x = \\\"\ny\nz", "    x = \\\"\n    y\n    z"},
	}
	for _, c := range cases {
		if got := shiftRight(c.body); got != c.want {
			t.Errorf("shiftRight(%q) = %q, want %q", c.body, got, c.want)
		}
	}
}
