package org

import "testing"

// TestVarNumber checks what a :var number with no name gives against
// Emacs 28.2's (org-babel-parse-multiple-vars '((:var . N))): the
// character of that code, trimmed of " \f\t\n\r\v" as
// org-babel-parse-multiple-vars trims (org-trim); 32 gives no :var.
func TestVarNumber(t *testing.T) {
	for _, c := range []struct {
		n    string
		want string
		ok   bool
	}{
		{"9", "", true}, {"10", "", true}, {"11", "", true}, {"12", "", true}, {"13", "", true},
		{"32", "", false}, {"61", "=", true}, {"160", "\u00a0", true}, {"65", "A", true},
	} {
		got, ok, err := varNumber(c.n)
		if err != nil || got != c.want || ok != c.ok {
			t.Errorf("varNumber(%s) = %q, %v, %v; Emacs gives %q (a :var: %v)", c.n, got, ok, err, c.want, c.ok)
		}
	}
}
