package org

import "testing"

// TestQuotedNonFinite: infinities and NaNs in a Lisp constant read as
// Emacs 28 reads and prints them; other spellings stay symbols.
func TestQuotedNonFinite(t *testing.T) {
	for text, want := range map[string]string{
		"1.0e+INF": "1.0e+INF", "-1.0e+INF": "-1.0e+INF", "2.5e+INF": "1.0e+INF", "1e+INF": "1.0e+INF",
		".5e+INF": "1.0e+INF", "+1.0e+INF": "1.0e+INF", "1.0E+INF": "1.0e+INF", "0.0e+NaN": "0.0e+NaN",
		"-0.0e+NaN": "-0.0e+NaN", "0.5e+NaN": "0.0e+NaN", "1.5e+NaN": "1.0e+NaN", "12e+NaN": "12.0e+NaN",
		"-7.0e+NaN": "-7.0e+NaN",
	} {
		a, ok := lispConstant(":foo", "'"+text)
		if !ok || a.Value == nil || *a.Value != want || !a.Printed {
			t.Errorf("'%s: %+v %v, want %s printed bare", text, a, ok, want)
		}
	}
	for _, text := range []string{"1.0e+inf", "1.0e+INFx", "1.0e-INF", "1.0e+NAN", "e+INF"} {
		a, ok := lispConstant(":foo", "'"+text)
		if !ok || !a.Symbol {
			t.Errorf("'%s: %+v %v, want a symbol", text, a, ok)
		}
	}
}
