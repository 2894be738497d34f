package org

//go:generate go run ./wordsyntax/gen

// The word constituents of org-mode's syntax table (wordSyntax) are
// generated from Emacs itself: they are not Unicode's letters, digits and
// marks (Emacs has "²", "·" and unassigned code points as words, "ª" and
// "ː" as symbols), and where "\<" falls decides whether "src_" starts an
// inline block.
